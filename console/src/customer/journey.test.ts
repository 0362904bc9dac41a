import { describe, expect, it } from 'vitest';
import { allEventTypes, type EventView } from '../../../contract/events';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import type { Locale } from '../i18n/locale';
import { describeEvent, excerpt, journeyLines, mergeJourney, type JourneyContext } from './journey';

const users: Record<string, string> = { alex: 'Alex Agent', lina: '李娜' };
const contextFor = (locale: Locale): JourneyContext => ({
  t: translatorOf(createConsoleI18n(locale)),
  userName: (id) => (id ? (users[id] ?? null) : null),
  teamName: (id) => (id === 't-spec' ? 'Specialists' : null),
  customerName: 'Ann',
  formatTime: (iso) => `[${iso.slice(11, 16)}]`,
});
const en = contextFor('en');
const zh = contextFor('zh-CN');

const conversation = (overrides: Record<string, unknown> = {}) => ({
  id: 'c1',
  number: 12,
  status: 'open',
  assigneeId: 'alex',
  assigneeName: 'Alex Agent',
  ...overrides,
});
const ticket = (overrides: Record<string, unknown> = {}) => ({
  id: 't1',
  number: 7,
  subject: 'Refund for order 1001',
  status: 'open',
  assigneeId: 'lina',
  assigneeName: '李娜',
  ...overrides,
});
const message = (overrides: Record<string, unknown> = {}) => ({
  id: 'm1',
  conversationId: 'c1',
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Ann',
  body: 'Where is my transfer?',
  private: false,
  metadata: null,
  createdAt: '2025-01-01T10:00:00.000Z',
  ...overrides,
});

let id = 100;
const event = (type: string, payload: Record<string, unknown>, overrides: Partial<EventView> = {}): EventView => ({
  id: String(id++),
  type,
  occurredAt: '2025-01-01T10:00:00.000Z',
  actorKind: 'system',
  actorId: null,
  customerId: 'ann',
  conversationId: 'c1',
  ticketId: null,
  payload,
  ...overrides,
});
const byAlex = { actorKind: 'agent', actorId: 'alex' } as const;
const onTicket = { conversationId: null, ticketId: 't1' } as const;

/** One example of every event type api/README.md lists for the WebSocket, with the sentence it makes. */
const examples: [EventView, string, string][] = [
  [
    event('conversation.created', { conversation: conversation({ status: 'queued', assigneeId: null }) }, { actorKind: 'customer', actorId: 'ann' }),
    'Ann started conversation #12',
    'Ann 发起了会话 #12',
  ],
  [
    event('conversation.classified', { classification: { language: 'en', intent: 'transfers', tier: 'junior' }, conversation: conversation() }),
    'Conversation #12 was classified: topic transfers, junior tier',
    '会话 #12 已分类：主题 转账，级别：初级',
  ],
  [
    event('conversation.assigned', { previousAssigneeId: null, conversation: conversation() }),
    'Conversation #12 was assigned to Alex Agent',
    '会话 #12 已分配给 Alex Agent',
  ],
  [
    event('conversation.assigned', { conversation: conversation({ assigneeId: 'lina', assigneeName: '李娜' }) }, byAlex),
    'Alex Agent assigned conversation #12 to 李娜',
    'Alex Agent 将会话 #12分配给 李娜',
  ],
  [
    event('conversation.requeued', { reason: 'agent went offline', conversation: conversation({ assigneeId: null }) }),
    'Conversation #12 went back to the queue',
    '会话 #12 回到了队列',
  ],
  [
    event('conversation.resolved', { conversation: conversation({ status: 'resolved' }) }, byAlex),
    'Alex Agent resolved conversation #12',
    'Alex Agent 解决了会话 #12',
  ],
  [event('conversation.reopened', { conversation: conversation() }), 'Conversation #12 was reopened', '会话 #12 已重新打开'],
  [event('conversation.reopened', { conversation: conversation() }, byAlex), 'Alex Agent reopened conversation #12', 'Alex Agent 重新打开了会话 #12'],
  [
    event('conversation.snoozed', { until: '2025-01-02T09:00:00.000Z', conversation: conversation({ status: 'snoozed' }) }, byAlex),
    'Alex Agent snoozed conversation #12 until [09:00]',
    'Alex Agent 将会话 #12暂缓至 [09:00]',
  ],
  [
    event('conversation.snoozed', { until: null, conversation: conversation({ status: 'snoozed' }) }, byAlex),
    'Alex Agent snoozed conversation #12 until the customer replies',
    'Alex Agent 将会话 #12暂缓至客户回复',
  ],
  [
    event('conversation.unsnoozed', { reason: 'the snooze time came', conversation: conversation() }),
    'Conversation #12 is back from snooze',
    '会话 #12 已结束暂缓',
  ],
  [
    event('conversation.closed', { reason: 'reopen window elapsed', conversation: conversation({ status: 'closed' }) }),
    'Conversation #12 was closed',
    '会话 #12 已关闭',
  ],
  [
    event('conversation.team_changed', { teamId: 'tm', teamName: 'Specialists', conversation: conversation() }, byAlex),
    'Conversation #12 moved to team Specialists',
    '会话 #12 已转到团队 Specialists',
  ],
  [
    event('conversation.priority_changed', { from: 'normal', to: 'urgent', conversation: conversation() }, byAlex),
    'Priority of conversation #12 changed from Normal to Urgent',
    '会话 #12 的优先级从普通改为紧急',
  ],
  [
    event('conversation.merged', { into: 'c2', movedMessages: 3, conversation: conversation({ status: 'closed' }) }, byAlex),
    'Conversation #12 was merged into another conversation',
    '会话 #12 已合并到另一个会话',
  ],
  [
    event('conversation.merged_into', { from: 'c0', movedMessages: 3, conversation: conversation() }, byAlex),
    'Another conversation was merged into conversation #12',
    '另一个会话已合并到会话 #12',
  ],
  [event('message.created', { message: message() }, { actorKind: 'customer' }), 'Ann wrote: “Where is my transfer?”', 'Ann 写道：“Where is my transfer?”'],
  [
    event(
      'message.created',
      { message: message({ authorName: 'Bob', metadata: { email: {}, sender: { name: 'Bob Stone', address: 'bob@shop.example' } } }) },
      { actorKind: 'customer' },
    ),
    'Bob Stone wrote: “Where is my transfer?”',
    'Bob Stone 写道：“Where is my transfer?”',
  ],
  [
    event('message.created', { message: message({ authorKind: 'agent', authorUserId: 'alex', authorName: 'Alex Agent', body: 'Checking now' }) }, byAlex),
    'Alex Agent replied: “Checking now”',
    'Alex Agent 回复：“Checking now”',
  ],
  [
    event('message.created', { message: message({ authorKind: 'agent', authorUserId: 'alex', authorName: 'Alex Agent', body: 'VIP', private: true }) }, byAlex),
    'Alex Agent added a private note: “VIP”',
    'Alex Agent 添加了内部备注：“VIP”',
  ],
  [
    event(
      'message.created',
      {
        message: message({
          authorKind: 'bot',
          authorName: null,
          body: 'Transfers take 1-2 days.',
          metadata: { kind: 'bot_answer', confidence: 0.8, citations: [] },
        }),
      },
      { actorKind: 'bot' },
    ),
    'The bot answered: “Transfers take 1-2 days.”',
    '机器人回答：“Transfers take 1-2 days.”',
  ],
  [
    event(
      'message.created',
      { message: message({ authorKind: 'bot', private: true, body: 'Customer asks…', metadata: { kind: 'handoff_summary', reason: 'wants_human' } }) },
      { actorKind: 'bot' },
    ),
    'The bot left a hand-off summary for the team',
    '机器人为团队留下了转人工摘要',
  ],
  [
    event('agent.presence_changed', { userId: 'lina', from: 'online', to: 'away' }, { actorKind: 'agent', actorId: 'lina', conversationId: null }),
    '李娜 is now Away',
    '李娜 现在离开',
  ],
  [
    event('ticket.created', { ticket: ticket({ status: 'new' }), conversationId: 'c1' }, { ...byAlex, ...onTicket }),
    'Ticket #7 was opened: Refund for order 1001',
    '工单 #7 已创建：Refund for order 1001',
  ],
  [
    event('ticket.status_changed', { from: 'open', to: 'pending', ticket: ticket({ status: 'pending' }) }, { ...byAlex, ...onTicket }),
    'Ticket #7 changed from Open to Pending',
    '工单 #7 从处理中变为等待客户',
  ],
  [
    event('ticket.assigned', { previousAssigneeId: null, ticket: ticket() }, { ...byAlex, ...onTicket }),
    'Ticket #7 was assigned to 李娜',
    '工单 #7 已分配给 李娜',
  ],
  [
    event('ticket.assigned', { previousAssigneeId: 'lina', ticket: ticket({ assigneeId: null, assigneeName: null }) }, { ...byAlex, ...onTicket }),
    'Ticket #7 was unassigned',
    '工单 #7 已取消分配',
  ],
  [
    event('ticket.priority_changed', { from: 'low', to: 'high', ticket: ticket() }, { ...byAlex, ...onTicket }),
    'Priority of ticket #7 changed from Low to High',
    '工单 #7 的优先级从低改为高',
  ],
  [
    event('ticket.pending_reminder', { pendingSince: '2025-01-01T00:00:00.000Z', hours: 48, ticket: ticket() }, onTicket),
    'Ticket #7 has waited 48 hours for the customer',
    '工单 #7 已等待客户 48 小时',
  ],
  [
    event('ticket.pending_reminder', { pendingSince: '2025-01-01T00:00:00.000Z', hours: 1, ticket: ticket() }, onTicket),
    'Ticket #7 has waited 1 hour for the customer',
    '工单 #7 已等待客户 1 小时',
  ],
  [
    event('ticket.closed', { from: 'solved', to: 'closed', reason: 'solved 4 days ago', ticket: ticket({ status: 'closed' }) }, onTicket),
    'Ticket #7 was closed',
    '工单 #7 已关闭',
  ],
  [
    event('sla.warning', { metric: 'first_response', kind: 'warning', dueAt: '2025-01-01T10:30:00.000Z', conversation: conversation() }),
    'The first response target of conversation #12 is at risk',
    '会话 #12 的首次响应目标即将超时',
  ],
  [
    event('sla.breached', { metric: 'resolution', kind: 'breached', dueAt: '2025-01-01T12:00:00.000Z', ticket: ticket() }, onTicket),
    'The resolution target of ticket #7 was missed',
    '工单 #7 的解决目标已超时',
  ],
  [
    event('sla.escalated', { action: 'raise_priority', metric: 'resolution', conversation: conversation() }),
    'Conversation #12 was escalated: the priority was raised',
    '会话 #12 已升级：已提高优先级',
  ],
  [
    event('bot.answered', { confidence: 0.834, citations: ['a1'], provider: 'local', conversation: conversation({ status: 'bot' }) }, { actorKind: 'bot' }),
    'The bot answered conversation #12 (confidence 83%)',
    '机器人回答了会话 #12（置信度 83%）',
  ],
  [
    event('bot.declined', { reason: 'low_confidence', confidence: 0.2 }, { actorKind: 'bot' }),
    'The bot did not answer a conversation',
    '机器人没有回答一个会话',
  ],
  [
    event(
      'bot.handed_off',
      { reason: 'wants_human', summary: '…', classification: {}, conversation: conversation({ status: 'queued' }) },
      { actorKind: 'bot' },
    ),
    'The bot handed conversation #12 to a person: the customer asked for a person',
    '机器人将会话 #12转给人工：客户要求转人工',
  ],
  [event('bot.helpful', { conversation: conversation({ status: 'resolved' }) }), 'Ann said the bot’s answer helped', 'Ann 表示机器人的回答有帮助'],
  [event('bot.not_helpful', { conversation: conversation({ status: 'bot' }) }), 'Ann said the bot’s answer did not help', 'Ann 表示机器人的回答没有帮助'],
  [
    event('bot.assumed_resolved', { conversation: conversation({ status: 'resolved' }) }),
    'Conversation #12 was resolved: no reply after the bot’s answer',
    '会话 #12 已解决：机器人回答后客户未再回复',
  ],
  [
    event('rule.matched', { rule: { id: 'r1', version: 2, name: 'Upset VIP' }, trigger: 'message_received', actions: ['set_priority', 'add_tag'] }),
    'Automation rule “Upset VIP” ran (trigger: A message is received): Set priority, Add tag',
    '自动化规则“Upset VIP”已执行（触发条件：收到消息）：设置优先级、添加标签',
  ],
  // Issue 21: the rule by its name and what each action did, never the identifiers.
  [
    event('rule.matched', {
      rule: { id: 'r1', version: 2, name: 'VIP first' },
      trigger: 'message_received',
      actions: ['set_priority', 'add_tag'],
      steps: [
        { type: 'set_priority', priority: 'high' },
        { type: 'add_tag', tag: 'vip' },
      ],
    }),
    'Rule “VIP first” set priority to High, added tag vip',
    '规则“VIP first”将优先级设为高、添加了标签 vip',
  ],
  [
    event('rule.matched', {
      rule: { id: 'r2', version: 1, name: 'Night shift' },
      trigger: 'conversation_created',
      actions: ['assign_team', 'assign_agent', 'set_status', 'call_webhook'],
      steps: [
        { type: 'assign_team', teamId: 't-spec' },
        { type: 'assign_agent', agentId: 'lina' },
        { type: 'set_status', status: 'snooze' },
        { type: 'call_webhook' },
      ],
    }),
    'Rule “Night shift” moved it to team Specialists, assigned it to 李娜, snoozed it, called a webhook',
    '规则“Night shift”将其转给团队 Specialists、将其分配给 李娜、将其暂停、调用了 Webhook',
  ],
  // Written before the payload named the rule: still readable, with readable actions.
  [
    event('rule.matched', { rule: { id: 'r1', version: 2 }, trigger: 'message_received', actions: ['set_priority', 'some_future_action'] }),
    'An automation rule ran (trigger: A message is received): Set priority, some_future_action',
    '一条自动化规则已执行（触发条件：收到消息）：设置优先级、some_future_action',
  ],
  [event('conversation.tag_added', { tag: 'refund', conversation: conversation() }), 'Conversation #12 was tagged “refund”', '会话 #12 被加上标签“refund”'],
  [
    event('conversation.mentioned', { mentionedUserId: 'lina', excerpt: '@李娜 please check' }, byAlex),
    'Alex Agent mentioned a colleague in a conversation: “@李娜 please check”',
    'Alex Agent 在一个会话中提及了同事：“@李娜 please check”',
  ],
  [
    event('csat.received', { score: 4, comment: 'Quick,\n thanks' }, { actorKind: 'customer' }),
    'Ann rated a conversation 4 out of 5: “Quick, thanks”',
    'Ann 给一个会话打了 4 分（满分 5 分）：“Quick, thanks”',
  ],
  [
    event('call.requested', { call: { media: 'video', requestedBy: 'customer' }, conversation: conversation() }, { actorKind: 'customer' }),
    'Ann asked for a video call in conversation #12',
    'Ann 在会话 #12中请求视频通话',
  ],
  [
    event('call.ended', { call: { media: 'audio', durationSeconds: 125 } }, byAlex),
    'The call in a conversation ended after 2:05',
    '一个会话中的通话结束，时长 2:05',
  ],
  [event('call.missed', { call: { media: 'audio' } }), 'Nobody answered the call in a conversation: missed', '一个会话中的通话无人接听：未接来电'],
  [
    event('call.recording_requested', { call: { media: 'audio' }, by: 'customer' }, { actorKind: 'customer' }),
    'Ann asked to record the call in a conversation',
    'Ann 请求录制一个会话中的通话',
  ],
  [
    event('call.recording_saved', { call: { media: 'video' }, attachment: { fileName: 'call-recording.webm' } }, byAlex),
    'The recording of the call in a conversation was saved (call-recording.webm)',
    '一个会话中通话的录音已保存（call-recording.webm）',
  ],
  [
    event('settings.changed', { section: 'selfService', before: {}, after: {} }, { conversationId: null, customerId: null }),
    'Settings changed: self-service',
    '设置已更改：自助服务',
  ],
  [
    event('customer.updated', { changed: ['company', 'vip', 'attributes'], before: {}, after: {} }, { ...byAlex, conversationId: null }),
    'Alex Agent edited the profile: company, VIP, custom attributes',
    'Alex Agent 编辑了资料：公司、VIP、自定义属性',
  ],
  [
    event(
      'customer.merged',
      {
        survivorId: 'cust',
        merged: { id: 'other', name: null, email: 'wei@example.cn', phone: null, externalId: null },
        moved: { conversations: 2, tickets: 1, messages: 5, events: 9, attachments: 0 },
        filled: ['email'],
      },
      { ...byAlex, conversationId: null },
    ),
    'Alex Agent merged wei@example.cn into this contact (2 conversations and 1 ticket moved)',
    'Alex Agent 将 wei@example.cn 合并到此联系人（移入 2 个会话、1 个工单）',
  ],
];

describe('describeEvent', () => {
  it.each(examples.map(([e, english]) => [e.type, e, english] as const))('writes %s as an English sentence', (_type, e, english) => {
    expect(describeEvent(e, en).text).toBe(english);
  });

  it.each(examples.map(([e, , chinese]) => [e.type, e, chinese] as const))('writes %s as a Chinese sentence', (_type, e, chinese) => {
    expect(describeEvent(e, zh).text).toBe(chinese);
  });

  it('covers every event type api/README.md lists for the WebSocket', () => {
    const listed = [
      'conversation.created',
      'conversation.classified',
      'conversation.assigned',
      'conversation.requeued',
      'conversation.resolved',
      'conversation.reopened',
      'conversation.snoozed',
      'conversation.unsnoozed',
      'conversation.closed',
      'conversation.team_changed',
      'conversation.priority_changed',
      'conversation.merged',
      'conversation.merged_into',
      'message.created',
      'agent.presence_changed',
      'ticket.created',
      'ticket.status_changed',
      'ticket.assigned',
      'ticket.priority_changed',
      'ticket.pending_reminder',
      'ticket.closed',
      'sla.warning',
      'sla.breached',
      'sla.escalated',
      'bot.answered',
      'bot.declined',
      'bot.handed_off',
      'bot.helpful',
      'bot.not_helpful',
      'bot.assumed_resolved',
      'csat.received',
      'call.requested',
      'call.ended',
      'call.missed',
      'call.recording_requested',
      'call.recording_saved',
      'settings.changed',
      // Not in that list: rule executions and mentions, in the timeline too.
      'rule.matched',
      'conversation.tag_added',
      'conversation.mentioned',
      // A contact's own (api/services/customer-profile.ts, customer-merge.ts), on their journey.
      'customer.updated',
      'customer.merged',
    ];
    expect(new Set(examples.map(([e]) => e.type))).toEqual(new Set(listed));
    for (const [e] of examples) expect(describeEvent(e, en).text, e.type).not.toMatch(/^Event:/);
  });

  it('names an unknown event by its type instead of failing', () => {
    expect(describeEvent(event('conversation.teleported', {}), en).text).toBe('Event: conversation.teleported');
  });

  it('groups lines by what they are about', () => {
    const kinds = Object.fromEntries(examples.map(([e]) => [e.type, describeEvent(e, en).kind]));
    expect(kinds).toMatchObject({
      'conversation.created': 'conversation',
      'conversation.assigned': 'assignment',
      'ticket.created': 'ticket',
      'sla.breached': 'sla',
      'bot.answered': 'bot',
    });
  });
});

describe('journeyLines', () => {
  it('lists the newest event first and names a message by the number its conversation events carry', () => {
    const created = event('conversation.created', { conversation: conversation() }, { id: '9', actorKind: 'customer' });
    const wrote = event('message.created', { message: message({ body: 'hi' }) }, { id: '10', actorKind: 'customer' });
    const lines = journeyLines([created, wrote], en);
    expect(lines.map((l) => l.id)).toEqual(['10', '9']);
    const sla = event('sla.warning', { metric: 'first_response' }, { id: '11' });
    expect(journeyLines([created, sla], en)[0]?.text).toBe('The first response target of conversation #12 is at risk');
  });
});

describe('mergeJourney', () => {
  it('adds live events once, in id order, and keeps the array when nothing is new', () => {
    const a = event('conversation.created', {}, { id: '9' });
    const b = event('message.created', {}, { id: '10' });
    const merged = mergeJourney([a], [b, b]);
    expect(merged.map((e) => e.id)).toEqual(['9', '10']);
    expect(mergeJourney(merged, [a])).toBe(merged);
  });
});

describe('excerpt', () => {
  it('keeps a message on one line and cuts a long one', () => {
    expect(excerpt('a\n\nb')).toBe('a b');
    expect(excerpt('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });
});

describe('every event type', () => {
  it('makes a line, even from an event whose payload lacks every field (an old one)', () => {
    for (const type of allEventTypes) {
      for (const context of [en, zh]) {
        const line = describeEvent(event(type, {}), context);
        expect(line.text, type).not.toBe('');
        expect(line.text, type).not.toMatch(/journey\./);
      }
    }
  });

  it('names a type this build does not know by its name, in both languages', () => {
    expect(describeEvent(event('something.new', { conversation: conversation() }), en).text).toContain('something.new');
    expect(describeEvent(event('something.new', { conversation: conversation() }), zh).text).toContain('something.new');
  });
});

describe("the bot's HTTP actions", () => {
  it('names the input asked for, and a call by its status, latency and shown fields (en, zh-CN)', () => {
    const asked = event('bot.action_asked', { actionId: 'a1', action: 'Order status', input: 'order', again: false });
    expect(describeEvent(asked, en)).toMatchObject({ kind: 'bot', text: 'The bot asked for order (action “Order status”)' });
    expect(describeEvent(asked, zh).text).toBe('机器人询问了order（操作“Order status”）');
    const called = event('bot.action_called', {
      actionId: 'a1',
      action: 'Order status',
      ok: true,
      status: 200,
      latencyMs: 42,
      fields: { status: 'shipped' },
      error: null,
    });
    expect(describeEvent(called, en).text).toBe('The bot called “Order status”: HTTP 200 in 42 ms · status: shipped');
    expect(describeEvent(called, zh).text).toBe('机器人调用了“Order status”：HTTP 200，耗时 42 毫秒 · status: shipped');
    const failed = event('bot.action_called', {
      action: 'Order status',
      ok: false,
      status: null,
      latencyMs: 5000,
      fields: {},
      error: 'no answer within 5000 ms',
    });
    expect(describeEvent(failed, en).text).toBe('The bot’s call of “Order status” failed (HTTP —, 5000 ms): no answer within 5000 ms');
  });
});
