import { describe, expect, it } from 'vitest';
import { errorBody, errorOf, fieldProblemsOf } from './errors.js';

describe('the error body', () => {
  it('reads back what errorBody writes, through JSON, with and without details', () => {
    const problems = [{ path: 'body', message: '不能为空' }];
    expect(errorOf(JSON.parse(JSON.stringify(errorBody('invalid_input', 'The request body is not valid.', problems))))).toEqual({
      code: 'invalid_input',
      message: 'The request body is not valid.',
      details: problems,
    });
    expect(errorOf(JSON.parse(JSON.stringify(errorBody('not_found', 'Ticket was not found.'))))).toEqual({
      code: 'not_found',
      message: 'Ticket was not found.',
    });
  });

  it('is not recognised in what a proxy or a crash answers', () => {
    for (const body of [undefined, null, '<html>502</html>', { error: 'boom' }, { error: { code: 5, message: 'x' } }, { message: 'x' }])
      expect(errorOf(body), JSON.stringify(body)).toBeNull();
  });

  it("lists an invalid_input error's problems by path, skipping malformed ones", () => {
    expect(
      fieldProblemsOf([{ path: 'weekly.2.close', message: 'must be a local time' }, { message: 'Change at least one field.' }, { path: 'x' }, null, 3]),
    ).toEqual([
      { path: 'weekly.2.close', message: 'must be a local time' },
      { path: '', message: 'Change at least one field.' },
    ]);
    expect(fieldProblemsOf(undefined)).toEqual([]);
  });
});
