// Following a what-if job must not read its tally (megabytes for the routing kinds, rewritten each
// batch): the reads are checked on a recording stand-in for the database; the answers themselves
// are covered by api/routes/what-if-routes.integration-test.ts (real PostgreSQL and Temporal).
import { describe, expect, it } from 'vitest';
import type { Db } from '../../infra/db.js';
import { cancelWhatIf, getWhatIf } from './what-if-service.js';

const row = {
  id: 'run-1',
  kind: 'routing',
  days: 7,
  candidate: { defaultCapacity: 2 },
  periodStart: new Date('2026-03-01T00:00:00Z'),
  periodEnd: new Date('2026-03-08T00:00:00Z'),
  status: 'running',
  processed: 500,
  total: 1000,
  result: null,
  error: null,
  createdAt: new Date('2026-03-08T00:00:00Z'),
  finishedAt: null,
  createdById: 'admin',
};

function recordingDb() {
  const reads: unknown[] = [];
  const read = async (args: unknown) => {
    reads.push(args);
    return row;
  };
  const whatIfRun = { findUnique: read, findUniqueOrThrow: read, updateMany: async () => ({ count: 1 }) };
  return { db: { whatIfRun } as unknown as Db, reads };
}

describe('what-if service', () => {
  it('reads a run without its tally when it is followed or cancelled', async () => {
    const { db, reads } = recordingDb();
    const temporal = { workflow: { getHandle: () => ({ cancel: async () => undefined }) } };
    const deps = { db, temporal, taskQueue: 'seamless' } as unknown as Parameters<typeof getWhatIf>[0];
    const admin = { userId: 'admin', role: 'admin' };
    expect((await getWhatIf(deps, admin, 'run-1')).processed).toBe(500);
    await cancelWhatIf(deps, admin, 'run-1');
    expect(reads.length).toBe(3);
    for (const args of reads) expect(args).toMatchObject({ where: { id: 'run-1' }, omit: { tally: true } });
  });
});
