import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, lifecycleLogger, logFormatOf, logFunction } from './logger.js';
import { runWithRequestId } from './request-context.js';

function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level, format: 'json', destination }) };
}

describe('createLogger', () => {
  it('never writes the values of secret-bearing fields, at the top level or one object down', () => {
    const { lines, logger } = capture();
    logger.info({ password: 'hunter2', token: 'sess_abc', user: { apiKey: 'sk_live_1', name: 'Lina' }, headers: { authorization: 'Bearer x' } }, 'signed in');
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 'sess_abc', 'sk_live_1', 'Bearer x']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ msg: 'signed in', password: '[redacted]', user: { name: 'Lina', apiKey: '[redacted]' } });
  });

  it('puts the current request id on every line written while serving it', () => {
    const { lines, logger } = capture();
    runWithRequestId('req-42', () => logger.info('inside'));
    logger.info('outside');
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([
      ['inside', 'req-42'],
      ['outside', undefined],
    ]);
  });

  it("writes errors with their message, code and stack, and keeps an error's code (not a secret field)", () => {
    const { lines, logger } = capture();
    logFunction(logger)('event stream connection lost', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    logFunction(logger)('no error here');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'event stream connection lost', err: { message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' } });
    expect(String((lines[0]!.err as { stack: string }).stack)).toContain('Error: connect ECONNREFUSED');
    expect(lines[1]).toMatchObject({ level: 40, msg: 'no error here' });
  });
});

describe('lifecycleLogger', () => {
  it('writes where the process is in its life even when it logs only warnings, and nothing else changes', () => {
    const { lines, logger } = capture('warn');
    logger.info('dropped at warn');
    lifecycleLogger(logger).info('worker polling task queue "seamless"');
    runWithRequestId('req-7', () => lifecycleLogger(logger).warn('still a warning'));
    expect(lines.map((line) => [line.level, line.msg, line.requestId])).toEqual([
      [30, 'worker polling task queue "seamless"', undefined],
      [40, 'still a warning', 'req-7'],
    ]);
  });
});

describe('logFormatOf', () => {
  it('is JSON in production or when asked, readable lines otherwise', () => {
    expect(logFormatOf({ NODE_ENV: 'production' })).toBe('json');
    expect(logFormatOf({})).toBe('pretty');
    expect(logFormatOf({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormatOf({ LOG_FORMAT: 'json' })).toBe('json');
  });
});
