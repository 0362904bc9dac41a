import { describe, expect, it } from 'vitest';
import { classifyAutomatedMail, mayAutoReply, type AutomatedMailInput } from './automated-mail.js';

function input(headers: Record<string, string | string[]>, extra: Partial<AutomatedMailInput> = {}): AutomatedMailInput {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) map.set(name.toLowerCase(), Array.isArray(value) ? value : [value]);
  return { headers: map, from: 'person@example.com', subject: 'Hello', messageId: 'm@example.com', deliveryStatus: null, returnedHeaders: null, ...extra };
}

describe('classifyAutomatedMail', () => {
  it('lets ordinary mail be answered', () => {
    const result = classifyAutomatedMail(input({ 'auto-submitted': 'no', 'x-auto-response-suppress': 'DR, RN, NRN' }));
    expect(result).toEqual({ autoReply: false, bounce: null, list: false, ownLoop: false, reasons: [] });
    expect(mayAutoReply(result)).toBe(true);
  });

  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'auto-submitted: auto-replied'],
    [{ 'auto-submitted': 'auto-generated' }, 'auto-submitted: auto-generated'],
    [{ 'x-autoreply': 'yes' }, 'x-autoreply: yes'],
    [{ 'x-autorespond': 'vacation' }, 'x-autorespond: vacation'],
    [{ 'x-auto-response-suppress': 'All' }, 'x-auto-response-suppress: All'],
    [{ 'x-auto-response-suppress': 'OOF, AutoReply' }, 'x-auto-response-suppress: OOF, AutoReply'],
    [{ precedence: 'auto_reply' }, 'precedence: auto_reply'],
    [{ 'x-loop': 'helpdesk@other.example' }, 'x-loop: helpdesk@other.example'],
    [{ 'return-path': '<>' }, 'return-path: <>'],
  ])('never answers automatic mail (%j)', (headers, reason) => {
    const result = classifyAutomatedMail(input(headers));
    expect(result.autoReply).toBe(true);
    expect(result.reasons).toContain(reason);
    expect(mayAutoReply(result)).toBe(false);
  });

  it.each(['bulk', 'list', 'junk'])('treats Precedence: %s as list mail', (precedence) => {
    expect(classifyAutomatedMail(input({ precedence }))).toMatchObject({ autoReply: true, list: true });
  });

  it('treats List-Id and List-Unsubscribe as list mail', () => {
    expect(classifyAutomatedMail(input({ 'list-id': '<news.example.com>' })).list).toBe(true);
    expect(classifyAutomatedMail(input({ 'list-unsubscribe': '<mailto:u@example.com>' })).list).toBe(true);
  });

  it('reads the failed recipient and status from a delivery-status report', () => {
    const report =
      'Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822;late@example.org\nAction: delayed\nStatus: 4.4.7\n';
    const result = classifyAutomatedMail(
      input(
        { 'content-type': 'multipart/report; report-type=delivery-status; boundary=x', 'return-path': '<>' },
        { from: 'mailer-daemon@mx.example.org', deliveryStatus: report, returnedHeaders: 'Message-ID: <ours@support.example.com>\nSubject: x' },
      ),
    );
    expect(result.bounce).toEqual({ failedRecipients: ['gone@example.org'], permanent: true, status: '5.1.1', originalMessageId: 'ours@support.example.com' });
    expect(mayAutoReply(result)).toBe(false);
  });

  it('does not call a delay notice a bounce, but never answers it', () => {
    const report = 'Final-Recipient: rfc822; late@example.org\nAction: delayed\nStatus: 4.4.7\n';
    const result = classifyAutomatedMail(input({ 'content-type': 'multipart/report; report-type=delivery-status' }, { deliveryStatus: report }));
    expect(result.bounce).toBeNull();
    expect(result.autoReply).toBe(true);
  });

  it('takes Exim’s X-Failed-Recipients', () => {
    const result = classifyAutomatedMail(
      input(
        { 'x-failed-recipients': 'A@Example.org, b@example.org' },
        { from: 'mailer-daemon@mx.example.org', subject: 'Mail delivery failed: returning message to sender' },
      ),
    );
    expect(result.bounce?.failedRecipients).toEqual(['a@example.org', 'b@example.org']);
  });

  it('recognises a Chinese bounce notice from a daemon without a report', () => {
    const result = classifyAutomatedMail(input({ 'return-path': '<>' }, { from: 'postmaster@mail.example.cn', subject: '系统退信：邮件无法投递' }));
    expect(result.bounce).toMatchObject({ failedRecipients: [], permanent: true });
  });

  it('an auto-reply with a null sender is automatic but not a bounce', () => {
    const result = classifyAutomatedMail(input({ 'return-path': '<>', 'auto-submitted': 'auto-replied' }, { subject: '自动回复：我正在休假' }));
    expect(result).toMatchObject({ autoReply: true, bounce: null });
  });

  it('recognises our own mail by X-Loop tag or Message-ID scheme', () => {
    expect(classifyAutomatedMail(input({ 'x-loop': 'Support@Support.Example.com' }, { ownLoopTags: ['support@support.example.com'] })).ownLoop).toBe(true);
    expect(classifyAutomatedMail(input({}, { isOwnMessageId: (id) => id === 'm@example.com' })).ownLoop).toBe(true);
    expect(classifyAutomatedMail(input({ 'x-loop': 'other' }, { ownLoopTags: ['support@support.example.com'] })).ownLoop).toBe(false);
  });
});
