// The event log's announcements (issue 19): one NOTIFY per statement that appends events, each a
// JSON array of them in insertion order under NOTIFY's size limit, an event too large for a payload
// announced by id and read back; the row trigger's single-object payloads are still read, for API
// processes upgraded before the migration ran.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../infra/db.js';
import type { EventRow } from '../infra/event-log.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { barrierChannel, eventChannel, listenToEvents, type EventStream } from './event-stream.js';

let databaseUrl: string;
let db: Db;
let stream: EventStream;
let received: EventRow[] = [];
let gaps = 0;
/** Resolves the next barrier's wait: every event committed before it has been handed over. */
let barrierPassed: (() => void) | null = null;

beforeAll(async () => {
  databaseUrl = await cloneTemplateDatabase(inject('postgresAdminUrl'));
  db = createDb(databaseUrl, { poolSize: 2 });
  stream = await listenToEvents({
    databaseUrl,
    db,
    onEvent: (row) => received.push(row),
    onSessionRevoked: () => {},
    onViewerChanged: () => {},
    onTyping: () => {},
    onGap: () => (gaps += 1),
    onBarrier: () => barrierPassed?.(),
    log: () => {},
  });
});
afterAll(async () => {
  await stream?.close();
  await db?.$disconnect();
});

/** Runs `write` (committed when it resolves), then waits until the stream has handed over everything committed before. */
async function handedOver(write: () => Promise<unknown>): Promise<EventRow[]> {
  received = [];
  await write();
  const passed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no barrier within 15 s')), 15_000);
    barrierPassed = () => (clearTimeout(timer), resolve());
  });
  await stream.requestBarrier();
  await passed;
  barrierPassed = null;
  return received;
}

/** A LISTEN connection of its own: the event payloads as sent, until the first barrier after them. */
async function rawListener() {
  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  const payloads: string[] = [];
  let barrier: () => void;
  const barrierHeard = new Promise<void>((resolve) => (barrier = resolve));
  listener.on('notification', (message) => {
    if (message.channel === eventChannel) payloads.push(message.payload!);
    if (message.channel === barrierChannel) barrier();
  });
  await listener.query(`LISTEN ${eventChannel}`);
  await listener.query(`LISTEN ${barrierChannel}`);
  return { payloads, barrierHeard, end: () => listener.end() };
}

/** 60 events in one statement, ~300 bytes of payload each and the 30th over 10 kB; their ids in insertion order. */
const insertSixty = `INSERT INTO "Event" (type, "actorKind", payload)
  SELECT 'test.probe', 'system', jsonb_build_object('n', g, 'text', repeat('x', CASE WHEN g = 30 THEN 10000 ELSE 300 END))
  FROM generate_series(1, 60) g ORDER BY g RETURNING id::text`;

describe('event announcements', () => {
  it('one statement announces its events in a few payloads under the limit, in insertion order', async () => {
    const { payloads, barrierHeard, end } = await rawListener();
    try {
      let ids: string[] = [];
      const rows = await handedOver(async () => (ids = (await db.$queryRawUnsafe<{ id: string }[]>(insertSixty)).map((row) => row.id)));
      await barrierHeard;

      // 59 rows of ~600 bytes and one by id fit in a handful of payloads (a row trigger sent 60).
      expect(payloads.length).toBeLessThanOrEqual(8);
      for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(7900);
      const announced = payloads.flatMap((payload) => JSON.parse(payload) as { id: number; truncated?: boolean }[]);
      expect(announced.map((event) => String(event.id))).toEqual(ids);
      expect(announced.filter((event) => event.truncated).map((event) => String(event.id))).toEqual([ids[29]]);

      // The listener hands over every one in order, the large one read back whole.
      expect(rows.map((row) => String(row.id))).toEqual(ids);
      expect((rows[29]!.payload as { text: string }).text).toHaveLength(10_000);
      expect((rows[0]!.payload as { n: number }).n).toBe(1);
      expect(gaps).toBe(0);
    } finally {
      await end();
    }
  });

  it('a statement that appends no event announces nothing', async () => {
    const { payloads, barrierHeard, end } = await rawListener();
    try {
      const rows = await handedOver(() => db.$executeRawUnsafe(`INSERT INTO "Event" (type, "actorKind") SELECT 'test.probe', 'system' WHERE false`));
      await barrierHeard;
      expect(payloads).toEqual([]);
      expect(rows).toEqual([]);
    } finally {
      await end();
    }
  });

  it("still reads the row trigger's single-object payloads, whole or by id", async () => {
    let ids: string[] = [];
    await handedOver(async () => {
      ids = (
        await db.$queryRawUnsafe<{ id: string }[]>(
          `INSERT INTO "Event" (type, "actorKind", payload) VALUES ('test.probe', 'system', '{"size": "small"}'), ('test.probe', 'system', jsonb_build_object('text', repeat('y', 9000))) RETURNING id::text`,
        )
      ).map((row) => row.id);
    });
    const [small, large] = ids as [string, string];
    const rows = await handedOver(() =>
      db.$executeRawUnsafe(`SELECT pg_notify('${eventChannel}', row_to_json(e)::text) FROM "Event" e WHERE id = $1::bigint`, small),
    );
    expect(rows.map((row) => String(row.id))).toEqual([small]);
    expect(rows[0]!.payload).toEqual({ size: 'small' });

    const byId = await handedOver(() =>
      db.$executeRawUnsafe(`SELECT pg_notify('${eventChannel}', json_build_object('id', $1::bigint, 'truncated', true)::text)`, large),
    );
    expect(byId.map((row) => String(row.id))).toEqual([large]);
    expect((byId[0]!.payload as { text: string }).text).toHaveLength(9000);
  });
});
