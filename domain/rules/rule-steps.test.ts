import { describe, expect, it } from 'vitest';
import { ruleStepOf } from './rule-steps.js';

describe('ruleStepOf', () => {
  it('keeps the setting that says what an action did', () => {
    expect(ruleStepOf({ type: 'set_priority', priority: 'high' })).toEqual({ type: 'set_priority', priority: 'high' });
    expect(ruleStepOf({ type: 'add_tag', tag: 'vip' })).toEqual({ type: 'add_tag', tag: 'vip' });
    expect(ruleStepOf({ type: 'set_status', status: 'resolve' })).toEqual({ type: 'set_status', status: 'resolve' });
  });

  it('leaves out texts, addresses, URLs and secrets', () => {
    expect(ruleStepOf({ type: 'send_reply', text: 'Your refund is on its way' })).toEqual({ type: 'send_reply' });
    expect(ruleStepOf({ type: 'send_email', to: 'address', address: 'boss@example.com', subject: 'VIP', body: 'Look' })).toEqual({ type: 'send_email' });
    expect(ruleStepOf({ type: 'call_webhook', url: 'https://hooks.example.com/t0k3n', secret: 'a'.repeat(16) })).toEqual({ type: 'call_webhook' });
  });
});
