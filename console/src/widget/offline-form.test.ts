import { describe, expect, it } from 'vitest';
import { offersOfflineForm, useOfflineForm, type OfflineMessage } from './offline-form';

describe('offersOfflineForm', () => {
  const closed = { open: false, backAt: '2026-12-07T01:00:00.000Z', agentsOnline: true, offlineForm: true };
  it('offers it outside hours or with nobody online, with an email channel on and no conversation under way', () => {
    expect(offersOfflineForm(closed, false)).toBe(true);
    expect(offersOfflineForm({ open: true, backAt: null, agentsOnline: false, offlineForm: true }, false)).toBe(true);
    expect(offersOfflineForm({ open: true, backAt: null, agentsOnline: true, offlineForm: true }, false)).toBe(false);
  });
  it('keeps the chat inside hours, without an email channel, before the availability is known, and in a conversation', () => {
    expect(offersOfflineForm({ ...closed, open: true }, false)).toBe(false);
    expect(offersOfflineForm({ ...closed, offlineForm: false }, false)).toBe(false);
    expect(offersOfflineForm(null, false)).toBe(false);
    expect(offersOfflineForm(closed, true)).toBe(false);
  });
});

describe('useOfflineForm', () => {
  it('sends the trimmed form once with a key, keeps the key for a retry of the same form, and says where the reply goes', async () => {
    const calls: [OfflineMessage, string][] = [];
    let fail = true;
    const form = useOfflineForm(
      async (input, key) => {
        calls.push([input, key]);
        if (fail) throw new Error('offline');
        return { email: input.email };
      },
      () => 'network down',
    );
    form.fields.value = { name: ' ', email: ' ada@example.com ', message: ' Hello? ' };
    await form.submit({ channelId: 'c1', locale: 'zh-TW' });
    expect(form.error.value).toBe('network down');
    expect(form.sentTo.value).toBeNull();
    fail = false;
    await form.submit({ locale: 'zh-TW' });
    expect(form.sentTo.value).toBe('ada@example.com');
    expect(calls[0]![0]).toEqual({ channelId: 'c1', email: 'ada@example.com', message: 'Hello?', locale: 'zh-TW' });
    expect(calls[1]![1]).toBe(calls[0]![1]);
  });

  it('sends nothing without an email or a message', async () => {
    let sent = 0;
    const form = useOfflineForm(async (input) => {
      sent += 1;
      return { email: input.email };
    }, String);
    form.fields.value = { name: 'Ada', email: '', message: 'Hi' };
    await form.submit({ locale: 'en' });
    form.fields.value = { name: 'Ada', email: 'ada@example.com', message: '  ' };
    await form.submit({ locale: 'en' });
    expect(sent).toBe(0);
  });
});
