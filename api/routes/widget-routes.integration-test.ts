// The widget routes in-process (test/support/in-process-api.ts): a visitor reaches only its own
// conversations, never a private note, and sees the customer cut of each view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let agent: string;
let mine: CustomerConversation;
let someoneElses: CustomerConversation;

beforeAll(async () => {
  api = await startInProcessApi();
  ({ agent } = await signIn(api, 'agent'));
  mine = await startCustomerConversation(api, { name: 'Vera Visitor', body: 'Where is my parcel?' });
  someoneElses = await startCustomerConversation(api, { name: 'Otto Other', body: 'Private matter' });
  await api.request('POST', `/api/conversations/${mine.conversationId}/messages`, { token: agent, body: { body: 'Customer sounds upset', private: true } });
  await api.request('POST', `/api/conversations/${mine.conversationId}/messages`, { token: agent, body: { body: 'It ships today.' } });
});
afterAll(() => api?.stop());

describe('a visitor', () => {
  it('lists its own conversations only, without the staff fields', async () => {
    const list = await api.request('GET', '/api/widget/conversations', { token: mine.visitor.token });
    expect(list.body.conversations.map((conversation: { id: string }) => conversation.id)).toEqual([mine.conversationId]);
    expect(list.body.conversations[0]).not.toHaveProperty('tags');
    expect(list.body.conversations[0]).not.toHaveProperty('priority');
  });

  it('reads its thread without private notes', async () => {
    const thread = await api.request('GET', `/api/widget/conversations/${mine.conversationId}/messages`, { token: mine.visitor.token });
    expect(thread.body.messages.map((message: { body: string }) => message.body)).toEqual(['Where is my parcel?', 'It ships today.']);
  });

  it('gets 404 for another customer’s conversation, reading or writing, and stores nothing', async () => {
    const path = `/api/widget/conversations/${someoneElses.conversationId}`;
    expect(await api.request('GET', `${path}/messages`, { token: mine.visitor.token })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await api.request('POST', `${path}/messages`, { token: mine.visitor.token, body: { body: 'hello?' } })).toMatchObject({ status: 404 });
    expect(await api.db.message.count({ where: { conversationId: someoneElses.conversationId, body: 'hello?' } })).toBe(0);
  });

  it('is refused on staff routes, and staff on the widget’s', async () => {
    expect(await api.request('GET', `/api/conversations/${mine.conversationId}`, { token: mine.visitor.token })).toMatchObject({ status: 403 });
    expect(await api.request('GET', '/api/widget/conversations', { token: agent })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });

  it('refuses an empty message, an unknown field and a bad verdict by path', async () => {
    const path = `/api/widget/conversations/${mine.conversationId}`;
    expect(await api.request('POST', `${path}/messages`, { token: mine.visitor.token, body: { body: '   ' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', details: [{ path: 'body', message: 'A message cannot be empty' }] } },
    });
    expect(await api.request('POST', `${path}/messages`, { token: mine.visitor.token, body: { body: 'hi', private: true } })).toMatchObject({ status: 400 });
    expect(await api.request('POST', `${path}/bot-feedback`, { token: mine.visitor.token, body: { outcome: 'meh' } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'outcome' }] } },
    });
  });

  it('gets the same visitor again for a retried Idempotency-Key, from the same address', async () => {
    const create = () =>
      api.request('POST', '/api/widget/visitors', { body: { name: 'Retry Rita', email: ' Rita@Example.COM ' }, headers: { 'idempotency-key': 'visitor-1' } });
    const first = await create();
    const again = await create();
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.customer.id).toBe(first.body.customer.id);
    // Kept as given (trimmed, lower-cased), not as the customer's identity: nobody verified it.
    const stored = await api.db.customer.findUniqueOrThrow({ where: { id: first.body.customer.id } });
    expect([stored.email, stored.attributes]).toEqual([null, { providedEmail: 'rita@example.com' }]);
  });

  it('rates a conversation once it is resolved: 201, then 200 for a change; the workflow hears of it', async () => {
    const path = `/api/widget/conversations/${mine.conversationId}/csat`;
    expect(await api.request('POST', path, { token: mine.visitor.token, body: { score: 5 } })).toMatchObject({
      status: 409,
      body: { error: { code: 'not_resolved' } },
    });
    await api.db.conversation.update({ where: { id: mine.conversationId }, data: { status: 'resolved' } });
    expect(await api.request('POST', path, { token: mine.visitor.token, body: { score: 6 } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'score' }] } },
    });
    expect(await api.request('POST', path, { token: mine.visitor.token, body: { score: 2, comment: '太慢了' } })).toMatchObject({
      status: 201,
      body: { csat: { score: 2 } },
    });
    expect(await api.request('POST', path, { token: mine.visitor.token, body: { score: 4 } })).toMatchObject({ status: 200, body: { csat: { score: 4 } } });
    await api.temporal.waitForCall(
      (call) => call.kind === 'signal' && call.name === 'csatReceived' && call.workflowId === `conversation-${mine.conversationId}`,
    );
  });

  it('gives a verdict on the bot only where the bot answered', async () => {
    const answer = await api.request('POST', `/api/widget/conversations/${someoneElses.conversationId}/bot-feedback`, {
      token: someoneElses.visitor.token,
      body: { outcome: 'helpful' },
    });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition' } } });
  });
});

describe("the visitor's time zone", () => {
  it('is kept from a conversation started or written in (canonical spelling); an unknown zone changes nothing; agents see it on the contact', async () => {
    const visitor = await api.visitor('Tia Zone');
    const zoneOf = async () => (await api.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } })).timeZone;
    const started = await api.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Hello', timeZone: 'Asia/Shanghai' } });
    expect(started.status).toBe(201);
    expect(await zoneOf()).toBe('Asia/Shanghai');
    const path = `/api/widget/conversations/${started.body.conversation.id}/messages`;
    // Ignored rather than refused: the message still counts.
    for (const timeZone of ['Mars/Olympus', '+08:00', ''])
      expect((await api.request('POST', path, { token: visitor.token, body: { body: `From ${timeZone}`, timeZone } })).status).toBe(201);
    expect(await zoneOf()).toBe('Asia/Shanghai');
    expect((await api.request('POST', path, { token: visitor.token, body: { body: 'Moved', timeZone: 'europe/london' } })).status).toBe(201);
    expect(await zoneOf()).toBe('Europe/London');
    const contact = await api.request('GET', `/api/customers/${visitor.customerId}`, { token: agent });
    expect(contact.body.customer.timeZone).toBe('Europe/London');
  });
});

describe('GET /api/widget/availability', () => {
  it('answers from the teams’ business hours: open inside them, closed (with when back) outside', async () => {
    const teams = await api.db.team.findMany({ select: { id: true, businessHoursId: true } });
    const setHours = async (weekly: { day: number; open: string; close: string }[]) => {
      const hours = await api.db.businessHours.create({
        data: { name: `availability ${Date.now()} ${weekly.length}`, timeZone: 'Asia/Shanghai', weekly, holidays: [] },
      });
      await api.db.team.updateMany({ data: { businessHoursId: hours.id } });
    };
    try {
      await setHours([0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' })));
      expect(await api.request('GET', '/api/widget/availability')).toMatchObject({ status: 200, body: { availability: { open: true, backAt: null } } });

      // Open one day a week, the day after tomorrow in Shanghai: closed now, back at that day's 09:00 there (01:00 UTC).
      const shanghaiDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000);
      await setHours([{ day: shanghaiDay(2).getUTCDay(), open: '09:00', close: '10:00' }]);
      const closed = await api.request('GET', '/api/widget/availability');
      expect(closed.body.availability.open).toBe(false);
      expect(closed.body.availability.backAt).toBe(`${shanghaiDay(2).toISOString().slice(0, 10)}T01:00:00.000Z`);
    } finally {
      for (const team of teams) await api.db.team.update({ where: { id: team.id }, data: { businessHoursId: team.businessHoursId } });
    }
  });

  it('refuses a channel id that is not a uuid (400) or no web chat channel (404)', async () => {
    expect(await api.request('GET', '/api/widget/availability?channelId=nope')).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(await api.request('GET', '/api/widget/availability?channelId=00000000-0000-4000-8000-000000000000')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });
});
