// The bot's decisions before any AI call, with a fake database and an AI that must not be asked.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { AiApi } from '../infra/ai/ai-api.js';
import type { Db } from '../infra/db.js';
import type { KnowledgeSearch } from '../infra/search/knowledge-search.js';
import { clarifyingQuestion, createAiActivities } from './ai-activities.js';

const untouchable = <T extends object>(name: string) =>
  new Proxy({} as T, {
    get: (_target, key) => {
      if (key === 'provider') return 'local';
      if (key === 'then') return undefined;
      throw new Error(`${name}.${String(key)} was used, but the decision needs no ${name}`);
    },
  });

interface Scenario {
  selfService?: unknown;
  channel?: 'web_chat' | 'email' | 'api';
  status?: string;
  messages?: { authorKind: string; body: string; metadata?: unknown }[];
}

function botFor(scenario: Scenario) {
  const db = {
    conversation: {
      findUniqueOrThrow: async () => ({
        id: 'c1',
        status: scenario.status ?? 'queued',
        channel: { kind: scenario.channel ?? 'web_chat' },
        messages: scenario.messages ?? [{ authorKind: 'customer', body: 'How do I freeze my card?', metadata: null }],
      }),
    },
    organization: { findUnique: async () => ({ settings: { selfService: scenario.selfService ?? { enabled: true, threshold: null, idleMinutes: 30 } } }) },
  } as unknown as Db;
  const activities = createAiActivities({ db, ai: untouchable<AiApi>('ai'), search: untouchable<KnowledgeSearch>('search') });
  return () => new MockActivityEnvironment().run(activities.answerWithBot, { conversationId: 'c1' });
}

describe('answerWithBot, before asking the AI', () => {
  it('stays quiet while self-service is off', async () => {
    expect(await botFor({ selfService: { enabled: false, threshold: null, idleMinutes: 30 } })()).toEqual({ answered: false, reason: 'disabled' });
  });

  it('does not answer on a channel the bot does not serve (the API channel)', async () => {
    expect(await botFor({ channel: 'api' })()).toEqual({ answered: false, reason: 'channel' });
  });

  it('does not answer a conversation a person already has, or one without a customer message', async () => {
    expect(await botFor({ status: 'open' })()).toEqual({ answered: false, reason: 'not_waiting' });
    expect(await botFor({ messages: [] })()).toEqual({ answered: false, reason: 'not_waiting' });
  });

  it('on a retry after its answer was stored, returns that answer instead of answering again', async () => {
    const stored = { authorKind: 'bot', body: 'Freeze it in the app.', metadata: { kind: 'bot_answer', confidence: 0.82, citations: [] } };
    expect(
      await botFor({
        messages: [{ authorKind: 'customer', body: 'How?', metadata: null }, stored],
        selfService: { enabled: true, threshold: null, idleMinutes: 12 },
      })(),
    ).toEqual({
      answered: true,
      confidence: 0.82,
      idleMinutes: 12,
    });
  });
});

describe('the clarifying question', () => {
  it('asks "Do you mean A or B?" in Traditional, with the titles as the buttons show them', () => {
    const choices = [{ title: '鹈鹕贷如何还款' }, { title: '鹈鹕付如何还款' }];
    expect(clarifyingQuestion('zh-TW', choices)).toBe('請問您想了解的是“鹈鹕贷如何还款”，還是“鹈鹕付如何还款”？請在下方選擇。');
    expect(clarifyingQuestion('zh-CN', choices)).toBe('请问您想了解的是“鹈鹕贷如何还款”，还是“鹈鹕付如何还款”？请在下方选择。');
    expect(clarifyingQuestion('en', [{ title: 'Freeze a card' }, { title: 'Unfreeze a card' }])).toBe(
      'Do you mean “Freeze a card” or “Unfreeze a card”? Please choose one below.',
    );
  });
});
