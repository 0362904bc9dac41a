// The embedded widget page's frame-ancestors: the directive replaced in helmet's policy, nothing else touched.
import { describe, expect, it } from 'vitest';
import { withFrameAncestors } from './widget-framing.js';

describe("the widget frame's policy", () => {
  it('replaces frame-ancestors and keeps the other directives', () => {
    const policy = "default-src 'self';frame-ancestors 'self';object-src 'none'";
    expect(withFrameAncestors(policy, ["'self'", 'https://shop.example'])).toBe(
      "default-src 'self';frame-ancestors 'self' https://shop.example;object-src 'none'",
    );
  });

  it('adds the directive to a policy without one', () => {
    expect(withFrameAncestors("default-src 'self'", ["'self'"])).toBe("default-src 'self';frame-ancestors 'self'");
  });
});
