import { describe, expect, it } from 'vitest';
import type { Db } from '../infra/db.js';
import { workerReadiness } from './metrics.js';

const answering = { $queryRaw: () => Promise.resolve([{ '?column?': 1 }]) } as unknown as Db;
const refusing = { $queryRaw: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } as unknown as Db;

describe('workerReadiness', () => {
  it('is ready only while the worker polls and the database answers', async () => {
    expect(await workerReadiness({ getState: () => 'RUNNING' }, answering)).toEqual({
      ready: true,
      worker: { ok: true, state: 'RUNNING' },
      database: { ok: true },
    });
    expect(await workerReadiness({ getState: () => 'INITIALIZED' }, answering)).toMatchObject({ ready: false, worker: { ok: false, state: 'INITIALIZED' } });
    expect(await workerReadiness({ getState: () => 'DRAINING' }, answering)).toMatchObject({ ready: false });
    expect(await workerReadiness({ getState: () => 'RUNNING' }, refusing)).toMatchObject({ ready: false, worker: { ok: true }, database: { ok: false } });
  });
});
