import { describe, expect, it, vi } from 'vitest';
import { ApiError, createHttpClient, toApiError } from './http';

describe('toApiError', () => {
  it('keeps the code and message of the error body the API sends', () => {
    const error = toApiError(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password' } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_credentials');
    expect(error.message).toBe('Wrong email or password');
  });

  it('falls back to a generic message when the body is not the error shape', () => {
    const error = toApiError(502, '<html>Bad gateway</html>');
    expect(error.code).toBe('http_502');
    expect(error.message).toBe('Request failed (502)');
    expect(error.retryable).toBe(true);
  });

  it('does not treat a validation error as retryable', () => {
    expect(toApiError(400, { error: { code: 'invalid', message: 'x' } }).retryable).toBe(false);
  });
});

describe('createHttpClient', () => {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('sends the bearer token, the JSON body and the idempotency key', async () => {
    const fetch = vi.fn(async () => json(201, { message: { id: 'm1' } }));
    const request = createHttpClient({ getToken: () => 'sst_abc', fetch });
    const result = await request<{ message: { id: string } }>('POST', '/api/x', { body: { body: 'hi' }, idempotencyKey: 'k1' });

    expect(result.message.id).toBe('m1');
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/x');
    expect(init.body).toBe('{"body":"hi"}');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer sst_abc', 'Idempotency-Key': 'k1' });
  });

  it('reports a 401 before throwing, so the session can be dropped', async () => {
    const onUnauthorized = vi.fn();
    const request = createHttpClient({
      getToken: () => 'expired',
      onUnauthorized,
      fetch: async () => json(401, { error: { code: 'unauthorized', message: 'Sign in again' } }),
    });
    await expect(request('GET', '/api/auth/me')).rejects.toMatchObject({ status: 401, message: 'Sign in again' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('turns a network failure into a retryable error with status 0', async () => {
    const request = createHttpClient({
      getToken: () => null,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(request('GET', '/api/health')).rejects.toMatchObject({ status: 0, code: 'network', retryable: true });
  });

  it('returns undefined for 204 No Content', async () => {
    const request = createHttpClient({ getToken: () => 't', fetch: async () => new Response(null, { status: 204 }) });
    await expect(request('POST', '/api/auth/logout')).resolves.toBeUndefined();
  });
});
