import { describe, expect, it } from 'vitest';
import { messageWakesWorkflow, waitingOnAfter, type MessageFacts } from './conversation-flow.js';
import { authorKinds, waitingOnValues, type WaitingOn } from './vocabulary.js';

const message = (authorKind: MessageFacts['authorKind'], isPrivate = false): MessageFacts => ({ authorKind, private: isPrivate });
const currents: (WaitingOn | null)[] = [null, ...waitingOnValues];

describe('waitingOnAfter', () => {
  it('waits on the agent after a public customer message, whoever it waited on before', () => {
    for (const current of currents) expect(waitingOnAfter(current, message('customer'))).toBe('agent');
  });

  it('waits on the customer after a public agent reply, whoever it waited on before', () => {
    for (const current of currents) expect(waitingOnAfter(current, message('agent'))).toBe('customer');
  });

  it('leaves the waiting side unchanged for bot and system lines', () => {
    for (const current of currents) {
      expect(waitingOnAfter(current, message('bot'))).toBe(current);
      expect(waitingOnAfter(current, message('system'))).toBe(current);
    }
  });

  it('leaves the waiting side unchanged for private notes, whoever writes them', () => {
    for (const current of currents) {
      for (const kind of authorKinds) expect(waitingOnAfter(current, message(kind, true))).toBe(current);
    }
  });
});

describe('messageWakesWorkflow', () => {
  const answered = new Date('2026-11-24T09:00:00Z');

  it('wakes the workflow for the first agent reply even when it already waits on the customer', () => {
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'customer', firstResponseAt: null }, message('agent'))).toBe(true);
  });

  it('wakes the workflow when a customer message turns the wait onto the agent', () => {
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'customer', firstResponseAt: answered }, message('customer'))).toBe(true);
    expect(messageWakesWorkflow({ status: 'open', waitingOn: null, firstResponseAt: null }, message('customer'))).toBe(true);
  });

  it('wakes the workflow when an agent reply turns the wait onto the customer', () => {
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'agent', firstResponseAt: answered }, message('agent'))).toBe(true);
  });

  it('stays quiet for a second customer message in a row', () => {
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'agent', firstResponseAt: null }, message('customer'))).toBe(false);
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'agent', firstResponseAt: answered }, message('customer'))).toBe(false);
  });

  it('stays quiet for a further agent reply once the first response is recorded', () => {
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'customer', firstResponseAt: answered }, message('agent'))).toBe(false);
  });

  it('wakes the workflow for every public agent reply to a queued conversation (the reply takes it), never for a note', () => {
    expect(messageWakesWorkflow({ status: 'queued', waitingOn: 'customer', firstResponseAt: answered }, message('agent'))).toBe(true);
    expect(messageWakesWorkflow({ status: 'queued', waitingOn: 'customer', firstResponseAt: answered }, message('agent', true))).toBe(false);
    expect(messageWakesWorkflow({ status: 'bot', waitingOn: 'customer', firstResponseAt: answered }, message('agent'))).toBe(false);
  });

  it('wakes the workflow when a customer writes to a snoozed or resolved conversation', () => {
    expect(messageWakesWorkflow({ status: 'snoozed', waitingOn: 'agent', firstResponseAt: answered }, message('customer'))).toBe(true);
    expect(messageWakesWorkflow({ status: 'resolved', waitingOn: null, firstResponseAt: answered }, message('customer'))).toBe(true);
    expect(messageWakesWorkflow({ status: 'resolved', waitingOn: null, firstResponseAt: answered }, message('customer', true))).toBe(false);
  });

  it('stays quiet for private notes, even an agent’s first one', () => {
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'agent', firstResponseAt: null }, message('agent', true))).toBe(false);
    expect(messageWakesWorkflow({ status: 'open', waitingOn: 'customer', firstResponseAt: null }, message('customer', true))).toBe(false);
  });

  it('stays quiet for bot and system lines', () => {
    for (const kind of ['bot', 'system'] as const) {
      expect(messageWakesWorkflow({ status: 'open', waitingOn: 'agent', firstResponseAt: null }, message(kind))).toBe(false);
      expect(messageWakesWorkflow({ status: 'open', waitingOn: null, firstResponseAt: null }, message(kind))).toBe(false);
    }
  });
});
