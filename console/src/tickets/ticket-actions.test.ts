import { describe, expect, it } from 'vitest';
import type { MessageView, UserView } from '../shared/wire-types';
import {
  assignBody,
  assigneeOptions,
  inboxPathOf,
  isTicketEditable,
  oneLine,
  statusChoices,
  suggestedTicketSubject,
  ticketSlaOf,
  validSubject,
} from './ticket-actions';

describe('statusChoices', () => {
  it('offers the statuses the lifecycle allows next, the current one first', () => {
    expect(statusChoices('new')).toEqual(['new', 'open', 'pending', 'on_hold', 'solved']);
    expect(statusChoices('pending')).toEqual(['pending', 'open', 'on_hold', 'solved']);
  });

  it('offers only a reopen for a solved ticket and nothing for a closed one', () => {
    expect(statusChoices('solved')).toEqual(['solved', 'open']);
    expect(statusChoices('closed')).toEqual(['closed']);
    expect(isTicketEditable({ status: 'closed' })).toBe(false);
    expect(isTicketEditable({ status: 'solved' })).toBe(true);
  });

  it('never offers closed: only the workflow closes a ticket', () => {
    for (const status of ['new', 'open', 'pending', 'on_hold', 'solved'] as const) expect(statusChoices(status)).not.toContain('closed');
  });
});

describe('assigneeOptions', () => {
  const user = (id: string, name: string): UserView => ({
    id,
    name,
    email: `${id}@x`,
    role: 'agent',
    presence: 'online',
    teamId: null,
    tier: 'junior',
    skills: [],
    capacity: 5,
    locale: 'en',
    timeZone: 'UTC',
    active: true,
  });
  const users = [user('u2', 'Priya'), user('me', 'Alex'), user('u3', 'Ada')];

  it('puts the signed-in agent first, then everyone by name', () => {
    expect(assigneeOptions(users, 'me', { id: null, name: null }).map((o) => [o.value, o.isMe])).toEqual([
      ['me', true],
      ['u3', false],
      ['u2', false],
    ]);
  });

  it('keeps the current assignee when the directory does not list them', () => {
    expect(assigneeOptions([], 'me', { id: 'gone', name: 'Former Agent' })).toEqual([{ value: 'gone', label: 'Former Agent', isMe: false }]);
  });

  it('unassigns with an empty choice', () => {
    expect(assignBody('')).toBeNull();
    expect(assignBody('u2')).toBe('u2');
  });
});

describe('suggestedTicketSubject', () => {
  const message = (authorKind: MessageView['authorKind'], body: string): MessageView => ({
    id: body,
    conversationId: 'c1',
    authorKind,
    authorUserId: null,
    authorName: null,
    body,
    private: false,
    metadata: null,
    createdAt: '2025-03-10T09:00:00.000Z',
  });

  it('takes the conversation subject, else the first customer message on one line', () => {
    expect(suggestedTicketSubject({ subject: 'Card declined' }, [message('customer', 'Hello')])).toBe('Card declined');
    expect(
      suggestedTicketSubject({ subject: null }, [message('bot', 'Hi!'), message('customer', 'My card\nwas   declined'), message('customer', 'again')]),
    ).toBe('My card was declined');
    expect(suggestedTicketSubject({ subject: '  ' }, [])).toBe('');
  });

  it('cuts a long message to 120 characters with an ellipsis', () => {
    const subject = suggestedTicketSubject({ subject: null }, [message('customer', 'word '.repeat(60))]);
    expect(subject.length).toBeLessThanOrEqual(120);
    expect(subject.endsWith('…')).toBe(true);
    expect(oneLine('短句')).toBe('短句');
  });

  it('refuses an empty or over-long subject', () => {
    expect(validSubject('  Refund  ')).toBe('Refund');
    expect(validSubject('   ')).toBeNull();
    expect(validSubject('x'.repeat(301))).toBeNull();
  });
});

describe('links and SLA', () => {
  it('opens a linked conversation in the inbox view that lists it', () => {
    expect(inboxPathOf('c1', { status: 'open' })).toBe('/inbox/all/c1');
    expect(inboxPathOf('c1', { status: 'snoozed' })).toBe('/inbox/snoozed/c1');
    expect(inboxPathOf('c1', { status: 'resolved' })).toBe('/inbox/resolved/c1');
    expect(inboxPathOf('c/1', null)).toBe('/inbox/all/c%2F1');
  });

  it('counts down to the resolution due date while the clock runs, not while paused or once solved', () => {
    const due = '2025-03-11T09:00:00.000Z';
    expect(ticketSlaOf({ status: 'open', slaState: 'warning', resolutionDueAt: due })).toEqual({ state: 'warning', dueAt: due, breachedAt: null });
    expect(ticketSlaOf({ status: 'pending', slaState: 'paused', resolutionDueAt: due })).toEqual({ state: 'paused', dueAt: null, breachedAt: null });
    expect(ticketSlaOf({ status: 'solved', slaState: 'ok', resolutionDueAt: due })).toBeNull();
    expect(ticketSlaOf({ status: 'new', slaState: 'none', resolutionDueAt: null })).toBeNull();
  });
});
