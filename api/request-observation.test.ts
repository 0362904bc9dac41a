import { describe, expect, it } from 'vitest';
import { routeLabel } from './request-observation.js';

describe('routeLabel', () => {
  it("is the matched route's pattern, never the URL with its ids", () => {
    expect(routeLabel({ baseUrl: '', originalUrl: '/api/conversations/3f2a/messages?after=9', route: { path: '/api/conversations/:id/messages' } })).toBe(
      '/api/conversations/:id/messages',
    );
    expect(routeLabel({ baseUrl: '/api/widget', originalUrl: '/api/widget/conversations', route: { path: '/conversations' } })).toBe(
      '/api/widget/conversations',
    );
  });

  it('puts every unmatched API request under one label and everything else under the console', () => {
    expect(routeLabel({ baseUrl: '', originalUrl: '/api/nothing/42' })).toBe('unmatched');
    expect(routeLabel({ baseUrl: '', originalUrl: '/api' })).toBe('unmatched');
    expect(routeLabel({ baseUrl: '', originalUrl: '/inbox/42' })).toBe('console');
    expect(routeLabel({ baseUrl: '', originalUrl: '/apis' })).toBe('console');
  });
});
