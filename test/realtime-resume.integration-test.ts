// A socket resumes from a commit-ordered position (issue 15, item 11). Event ids are taken at
// insert, so an event can commit after one with a higher id: a client that resumed "after the
// highest id it saw" would never get it. The test forces that interleaving with two real
// transactions and shows both sides: resuming after the highest id misses the late event, the
// server's position (after + xmin) finds it, once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgradeStatus } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let conversationId: string;
let customerId: string;

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  admin = await system.login('admin@seamless.local');
  const visitor = await system.visitor('Late Lee');
  customerId = visitor.customerId;
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  conversationId = (await system.db.conversation.create({ data: { workflowId: `resume-${Date.now()}`, customerId, channelId: channel.id } })).id;
});
afterAll(async () => {
  await system?.stop();
});

/** Inserts a message.created event in its own transaction; returns its id and a commit to call later. */
async function openTransactionWithEvent(client: pg.Client, body: string): Promise<{ id: string; commit: () => Promise<void> }> {
  await client.query('BEGIN');
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "Event" (type, "actorKind", "customerId", "conversationId", payload) VALUES ('message.created', 'system', $1, $2, $3) RETURNING id::text`,
    [customerId, conversationId, JSON.stringify({ message: { id: body, conversationId, body } })],
  );
  return { id: rows[0]!.id, commit: async () => void (await client.query('COMMIT')) };
}

describe('resuming a socket', () => {
  it('gets an event that committed after a higher id the client already had', async () => {
    const slow = new pg.Client({ connectionString: system.databaseUrl });
    const fast = new pg.Client({ connectionString: system.databaseUrl });
    await Promise.all([slow.connect(), fast.connect()]);
    try {
      const socket = await system.socket(admin);
      // The slow transaction takes the lower id first; the fast one takes a higher id and commits.
      const late = await openTransactionWithEvent(slow, 'written first, committed last');
      const early = await openTransactionWithEvent(fast, 'written second, committed first');
      expect(BigInt(late.id)).toBeLessThan(BigInt(early.id));
      await early.commit();
      await socket.waitForEvent((event) => event.id === early.id);
      // The server names a position once the stream has passed the fast commit (a barrier, within a second).
      await socket.waitFor((frame) => frame.type === 'cursor' && BigInt(frame.after) >= BigInt(early.id));
      const position = socket.position()!;
      const highestSeen = socket.events().reduce((max, event) => (BigInt(event.id) > max ? BigInt(event.id) : max), 0n);
      await socket.close();

      // While the client is away, the slow transaction commits its lower id.
      await late.commit();

      // Resuming after the highest id seen would miss it: this is the interleaving.
      const naive = await system.socket(admin, String(highestSeen));
      expect(naive.events().map((event) => event.id)).not.toContain(late.id);
      // The server's position finds it, once (the fast one may come again: clients drop repeats by id).
      const resumed = await system.socket(admin, position.after, position.xmin);
      expect(resumed.events().filter((event) => event.id === late.id)).toHaveLength(1);
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it('refuses a position that is not two numbers', async () => {
    expect(await upgradeStatus(system.url, `?token=${admin}&after=12&xmin=abc`)).toBe(400);
    expect(await upgradeStatus(system.url, `?token=${admin}&xmin=12`)).toBe(400);
  });
});
