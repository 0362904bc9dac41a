// The per-sender limit of automatic email answers: the server's default (EMAIL_AUTO_ANSWERS_PER_HOUR,
// here 1 through the API's deps as api/main.ts passes it) until an admin sets the number with the bot
// settings; an admin's other changes do not freeze the default into the stored settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessApi, type InProcessApi } from '../../../test/support/in-process-api.js';

const channelAddress = 'support@support.example.com';
let api: InProcessApi;
let channelId: string;
let admin: string;
let webhookSecret: string;

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { replyDomain: 'support.example.com', autoAnswersPerHour: 1 } });
  channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true, settings: { address: channelAddress } } });
  admin = await api.login('admin@seamless.local');
  webhookSecret = (await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin })).body.secret;
});
afterAll(() => api?.stop());

/** Posts a plain mail from one sender; answers whether it may be answered automatically. */
const mailFrom = async (sender: string, n: number) => {
  const raw = [`From: ${sender}`, `To: ${channelAddress}`, `Subject: Question ${n}`, `Message-ID: <${n}.${sender}>`, '', 'Hello'].join('\r\n');
  const response = await fetch(`${api.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': webhookSecret },
    body: raw,
  });
  expect(response.status).toBe(202);
  const { inboundEmailId } = (await response.json()) as { inboundEmailId: string };
  return (await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId } })).autoAnswer;
};
const perHour = async () => (await api.request('GET', '/api/settings/self-service', { token: admin })).body.selfService.emailAutoAnswersPerHour;

describe('automatic answers per email sender per hour', () => {
  it("follows the server's default until an admin sets the number", async () => {
    expect(await perHour()).toBe(1);
    // Another change of the bot settings stores only what changed: the default still applies.
    expect((await api.request('PATCH', '/api/settings/self-service', { token: admin, body: { idleMinutes: 45 } })).status).toBe(200);
    expect(await perHour()).toBe(1);
    const stored = (await api.db.organization.findUniqueOrThrow({ where: { id: 1 } })).settings as { selfService: Record<string, unknown> };
    expect(stored.selfService).not.toHaveProperty('emailAutoAnswersPerHour');

    expect([await mailFrom('gina@example.com', 1), await mailFrom('gina@example.com', 2)]).toEqual([true, false]);
    expect((await api.request('PATCH', '/api/settings/self-service', { token: admin, body: { emailAutoAnswersPerHour: 3 } })).status).toBe(200);
    expect(await perHour()).toBe(3);
    expect([await mailFrom('gina@example.com', 3), await mailFrom('gina@example.com', 4), await mailFrom('gina@example.com', 5)]).toEqual([true, true, false]);
  });
});
