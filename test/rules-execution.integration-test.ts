// Automation rules run by the conversation workflow, end to end on the real stack: an admin
// creates rules over REST, customers' messages fire them, the actions' effects are in the
// conversation, and the execution records (matched or not, each action's outcome) are readable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;
let specialistsId: string;

beforeAll(async () => {
  system = await startSystem();
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  specialistsId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } })).id;
});
afterAll(() => system?.stop());

const createRule = async (rule: object) => {
  const response = await system.request('POST', '/api/rules', { token: admin, body: rule });
  expect(response.status).toBe(201);
  return response.body.rule.id as string;
};

const of = (conversationId: string, type: string) => (event: EventView) => event.conversationId === conversationId && event.type === type;

async function customerWrites(body: string, vip: boolean) {
  const visitor = await system.visitor();
  await system.db.customer.update({ where: { id: visitor.customerId }, data: { vip } });
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(started.status).toBe(201);
  return { visitor, conversationId: started.body.conversation.id as string };
}

describe('automation rules in the conversation workflow', () => {
  it('an upset VIP is made urgent, sent to the expert team, with a note — and the execution is recorded', async () => {
    const ruleId = await createRule({
      name: 'Upset VIP: urgent, experts, call back',
      enabled: true,
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        all: [
          { field: 'customer.vip', op: 'eq', value: true },
          { field: 'message.sentiment', op: 'eq', value: 'negative' },
        ],
      },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'assign_team', teamId: specialistsId },
        { type: 'add_note', text: 'VIP and upset: call them back within the hour.' },
      ],
    });

    const upset = await customerWrites('This is unacceptable, I am furious about these fees', true);
    await adminSocket.waitForEvent(of(upset.conversationId, 'rule.matched'));
    await adminSocket.waitForEvent((event) => of(upset.conversationId, 'message.created')(event) && (event.payload.message as { private: boolean }).private);

    const conversation = await system.db.conversation.findUniqueOrThrow({ where: { id: upset.conversationId } });
    expect(conversation).toMatchObject({ priority: 'urgent', teamId: specialistsId, tier: 'expert' });
    const teamChange = await system.db.event.findFirstOrThrow({ where: { conversationId: upset.conversationId, type: 'conversation.team_changed' } });
    expect(teamChange.payload).toMatchObject({ rule: { id: ruleId, version: 1 } });
    // The timeline names the rule, so the journey reads its name rather than an id.
    const matched = await system.db.event.findFirstOrThrow({ where: { conversationId: upset.conversationId, type: 'rule.matched' } });
    expect(matched.payload).toMatchObject({ rule: { id: ruleId, version: 1, name: 'Upset VIP: urgent, experts, call back' } });
    // …and why it ran: each condition with the value the rule saw (issue 22, domain/explanation.ts).
    expect((matched.payload as { explanation: unknown }).explanation).toEqual({
      kind: 'rule',
      ruleName: 'Upset VIP: urgent, experts, call back',
      trigger: 'message_received',
      mode: 'all',
      conditions: [
        { field: 'customer.vip', op: 'eq', expected: true, seen: true, held: true },
        { field: 'message.sentiment', op: 'eq', expected: 'negative', seen: 'negative', held: true },
      ],
    });
    // …and what each action did, without its text (issue 21: "Rule “…” set priority to Urgent, moved it to team …, added a note").
    expect((matched.payload as { steps: unknown }).steps).toEqual([
      { type: 'set_priority', priority: 'urgent' },
      { type: 'assign_team', teamId: specialistsId },
      { type: 'add_note' },
    ]);
    const note = await system.db.message.findFirstOrThrow({ where: { conversationId: upset.conversationId, private: true } });
    expect(note.body).toBe('VIP and upset: call them back within the hour.');
    // The customer never sees the note.
    const seen = await system.request('GET', `/api/widget/conversations/${upset.conversationId}/messages`, { token: upset.visitor.token });
    expect(seen.body.messages.some((message: { private: boolean }) => message.private)).toBe(false);

    // A calm non-VIP fires the rule's trigger but not its conditions: recorded as not matched.
    const calm = await customerWrites('Hello, how do I order a new card?', false);
    const executions = await waitUntil(async () => {
      const rows = await system.db.ruleExecution.findMany({ where: { ruleId }, orderBy: { createdAt: 'asc' } });
      return rows.length === 2 ? rows : null;
    });
    expect(executions.map((row) => [row.conversationId, row.matched, row.trigger])).toEqual([
      [upset.conversationId, true, 'message_received'],
      [calm.conversationId, false, 'message_received'],
    ]);
    expect(executions[0]!.actions).toEqual([
      { type: 'set_priority', status: 'done' },
      { type: 'assign_team', status: 'done' },
      { type: 'add_note', status: 'done' },
    ]);
    const history = await system.request('GET', `/api/rules/${ruleId}/executions`, { token: admin });
    expect(history.body.executions.map((row: { matched: boolean }) => row.matched)).toEqual([false, true]); // newest first
    // Each names its conversation by the number people use.
    const numberOf = async (id: string) => (await system.db.conversation.findUniqueOrThrow({ where: { id } })).number;
    expect(history.body.executions.map((row: { conversationNumber: number }) => row.conversationNumber)).toEqual([
      await numberOf(calm.conversationId),
      await numberOf(upset.conversationId),
    ]);
    await system.request('PATCH', `/api/rules/${ruleId}`, { token: admin, body: { enabled: false } });
  });

  it('a later message in Chinese tags the conversation and raises a ticket from it', async () => {
    const ruleId = await createRule({
      name: '退款 → refund tag',
      enabled: true,
      scope: 'both',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: { all: [{ field: 'message.text', op: 'contains', value: '退款' }] },
      actions: [{ type: 'add_tag', tag: 'refund' }, { type: 'create_ticket' }],
    });
    const agent = await system.login('lina@seamless.local');
    const { visitor, conversationId } = await customerWrites('Hello there', false);
    const assigned = await adminSocket.waitForEvent(of(conversationId, 'conversation.assigned'));
    expect(assigned).toBeTruthy();
    expect(
      (await system.request('POST', `/api/conversations/${conversationId}/messages`, { token: agent, body: { body: 'Hi! How can I help?' } })).status,
    ).toBe(201);
    expect(
      (await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body: '我要退款，谢谢' } })).status,
    ).toBe(201);

    const tagged = await adminSocket.waitForEvent(of(conversationId, 'conversation.tag_added'));
    expect(tagged.payload).toMatchObject({ tag: 'refund', rule: { id: ruleId } });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).tags).toEqual(['refund']);
    const execution = await waitUntil(async () => {
      const row = await system.db.ruleExecution.findFirst({ where: { ruleId, matched: true } });
      return row && (row.actions as { status: string }[]).every((action) => action.status !== 'pending') ? row : null;
    });
    expect(execution.actions).toEqual([
      { type: 'add_tag', status: 'done' },
      { type: 'create_ticket', status: 'done' },
    ]);
    const link = await system.db.ticketConversation.findFirstOrThrow({ where: { conversationId }, include: { ticket: true } });
    expect(link.ticket.subject).toBe('Hello there'); // from the first customer message
  });

  it('records an action that fails, runs the others, and the conversation goes on to a person', async () => {
    const ruleId = await createRule({
      name: 'Broken team, working tag',
      enabled: true,
      scope: 'conversation',
      trigger: { on: 'conversation_created' },
      conditions: { all: [{ field: 'message.text', op: 'contains', value: 'broken-rule-probe' }] },
      actions: [
        { type: 'assign_team', teamId: '00000000-0000-4000-8000-000000000000' },
        { type: 'add_tag', tag: 'still-runs' },
      ],
    });
    await system.login('lina@seamless.local');
    const { conversationId } = await customerWrites('broken-rule-probe: my transfer is late', false);
    const execution = await waitUntil(async () => {
      const row = await system.db.ruleExecution.findFirst({ where: { ruleId, matched: true } });
      return row && (row.actions as { status: string }[]).every((action) => action.status !== 'pending') ? row : null;
    }, 30_000);
    expect((execution.actions as { type: string; status: string }[]).map((action) => [action.type, action.status])).toEqual([
      ['assign_team', 'failed'],
      ['add_tag', 'done'],
    ]);
    await adminSocket.waitForEvent(of(conversationId, 'conversation.assigned'), 30_000);
  });
});
