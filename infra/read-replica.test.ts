import { describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { createReportReader, primaryReports } from './read-replica.js';

/** A stand-in database: `up` decides whether its SELECT 1 answers. */
function fakeDb(name: string) {
  const state = { up: true };
  const db = {
    name,
    $queryRaw: async () => {
      if (!state.up) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });
      return [{ '?column?': 1 }];
    },
  } as unknown as Db & { name: string };
  return { db, state };
}

const nameOf = async (db: Db) => (db as Db & { name: string }).name;
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });

describe('report reads', () => {
  it('go to the primary without a replica, and readiness reports none', async () => {
    const reports = primaryReports(fakeDb('primary').db);
    expect(await reports.read(nameOf)).toBe('primary');
    expect(await reports.check()).toBeNull();
  });

  it('go to the replica while it serves', async () => {
    const reports = createReportReader(fakeDb('primary').db, fakeDb('replica').db);
    expect(await reports.read(nameOf)).toBe('replica');
    expect(await reports.check()).toEqual({ ok: true });
  });

  it('run on the primary when the replica cannot serve, and skip it for a while before trying it again', async () => {
    let clock = 0;
    const reports = createReportReader(fakeDb('primary').db, fakeDb('replica').db, { retryAfterMs: 1_000, now: () => clock });
    const tried: string[] = [];
    const work = async (db: Db) => {
      const name = await nameOf(db);
      tried.push(name);
      if (name === 'replica' && clock < 2_000) throw refused();
      return name;
    };
    expect(await reports.read(work)).toBe('primary');
    expect(tried).toEqual(['replica', 'primary']);
    clock = 999;
    expect(await reports.read(work)).toBe('primary');
    expect(tried).toEqual(['replica', 'primary', 'primary']);
    clock = 2_000;
    expect(await reports.read(work)).toBe('replica');
  });

  it('run on the primary when the replica cancels the query for a conflict with its replay, without skipping the replica', async () => {
    const reports = createReportReader(fakeDb('primary').db, fakeDb('replica').db);
    let conflicts = 1;
    const work = async (db: Db) => {
      const name = await nameOf(db);
      if (name === 'replica' && conflicts-- > 0)
        throw Object.assign(new Error('canceling statement due to conflict with recovery'), {
          code: 'P2010',
          meta: { driverAdapterError: { cause: { originalCode: '40001' } } },
        });
      return name;
    };
    expect(await reports.read(work)).toBe('primary');
    expect(await reports.read(work)).toBe('replica');
  });

  it('throw an error of the query itself, without running it again on the primary', async () => {
    const reports = createReportReader(fakeDb('primary').db, fakeDb('replica').db);
    const tried: string[] = [];
    const failing = async (db: Db) => {
      tried.push(await nameOf(db));
      throw Object.assign(new Error('division by zero'), { code: '22012' });
    };
    await expect(reports.read(failing)).rejects.toThrow('division by zero');
    expect(tried).toEqual(['replica']);
  });

  it('learn from readiness checks that the replica is down and back', async () => {
    const replica = fakeDb('replica');
    const reports = createReportReader(fakeDb('primary').db, replica.db, { retryAfterMs: 60_000, now: () => 0 });
    replica.state.up = false;
    expect(await reports.check()).toEqual({ ok: false, problem: 'unreachable' });
    // Skipped without trying it: a report does not wait for a replica known to be down.
    expect(await reports.read(nameOf)).toBe('primary');
    replica.state.up = true;
    expect(await reports.check()).toEqual({ ok: true });
    expect(await reports.read(nameOf)).toBe('replica');
  });
});
