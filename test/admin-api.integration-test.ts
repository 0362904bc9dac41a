// The admin pages' REST API on the real stack (PostgreSQL, Temporal dev server, API): teams,
// business hours, SLA policies, channels and canned responses written by admins with an audit
// event per write (before and after), bad input and in-use deletes refused without a trace,
// agents refused on writes, and the audit log read back page by page.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventTypes } from '../api/services/audit-service.js';
import { slaPolicyChanged } from '../api/services/sla-policy-service.js';
import type { ConversationStatus, TicketStatus } from '../domain/vocabulary.js';
import { databaseFingerprint } from './support/fingerprint.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let admin: string;
let agent: string;
let adminId: string;
let frontlineId: string;
let specialistsId: string;
let londonHoursId: string;
let expertId: string;

beforeAll(async () => {
  system = await startSystem();
  ({ admin, agent } = await signIn(system, 'admin', 'agent'));
  adminId = (await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
  expertId = (await system.db.user.findUniqueOrThrow({ where: { email: 'expert@seamless.local' } })).id;
  frontlineId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } })).id;
  specialistsId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } })).id;
  londonHoursId = (await system.db.businessHours.findUniqueOrThrow({ where: { name: 'London office' } })).id;
});
afterAll(() => system?.stop());

const asAdmin = (body?: unknown) => ({ token: admin, body });
const lastAudit = (type: string) => system.db.event.findFirst({ where: { type }, orderBy: { id: 'desc' } });
const paths = (body: { error: { details?: { path: string }[] } }) => body.error.details?.map((detail) => detail.path) ?? [];

/** A conversation row with no workflow behind it: something for the in-use checks to find. */
async function insertConversation(data: { status: ConversationStatus; teamId?: string; slaPolicyId?: string }) {
  const customer = await system.db.customer.findUniqueOrThrow({ where: { email: 'customer@example.com' } });
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  return system.db.conversation.create({ data: { workflowId: `test-${randomUUID()}`, customerId: customer.id, channelId: channel.id, ...data } });
}

async function insertTicket(data: { status: TicketStatus; teamId?: string; slaPolicyId?: string }) {
  const customer = await system.db.customer.findUniqueOrThrow({ where: { email: 'customer@example.com' } });
  return system.db.ticket.create({ data: { workflowId: `test-${randomUUID()}`, subject: 'Row for an in-use check', customerId: customer.id, ...data } });
}

/** Sends each request and expects its status and error code, then that the database is unchanged. */
async function expectRefusedWithoutTrace(cases: [method: string, path: string, options: { token?: string; body?: unknown }, status: number, code: string][]) {
  const before = await databaseFingerprint(system.db);
  for (const [method, path, options, status, code] of cases) {
    const response = await system.request(method, path, options);
    expect({ request: `${method} ${path} ${JSON.stringify(options.body)}`, status: response.status, code: response.body?.error?.code }).toEqual({
      request: `${method} ${path} ${JSON.stringify(options.body)}`,
      status,
      code,
    });
    expect(typeof response.body.error.message).toBe('string');
  }
  expect(await databaseFingerprint(system.db)).toEqual(before);
}

describe('teams', () => {
  it('creates, changes and deletes a team, auditing each write with the team before and after', async () => {
    const created = await system.request(
      'POST',
      '/api/teams',
      asAdmin({ name: 'Night shift', tier: 'expert', leadId: expertId, businessHoursId: londonHoursId }),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.team.id;
    expect(created.body.team).toMatchObject({
      name: 'Night shift',
      tier: 'expert',
      leadId: expertId,
      lead: { id: expertId, email: 'expert@seamless.local' },
      timeZone: 'Europe/London',
      memberCount: 0,
    });
    expect(await system.db.team.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: 'Night shift',
      tier: 'expert',
      leadId: expertId,
      businessHoursId: londonHoursId,
    });
    expect(await lastAudit('team.created')).toMatchObject({
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { before: null, after: { id, name: 'Night shift', tier: 'expert', leadId: expertId, businessHoursId: londonHoursId } },
    });

    const changed = await system.request('PATCH', `/api/teams/${id}`, asAdmin({ name: '夜班', leadId: null, businessHoursId: null }));
    expect(changed.status).toBe(200);
    expect(await system.db.team.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: '夜班', tier: 'expert', leadId: null, businessHoursId: null });
    expect((await lastAudit('team.updated'))?.payload).toEqual({
      before: { id, name: 'Night shift', tier: 'expert', leadId: expertId, businessHoursId: londonHoursId },
      after: { id, name: '夜班', tier: 'expert', leadId: null, businessHoursId: null },
      changed: ['name', 'leadId', 'businessHoursId'],
    });

    expect((await system.request('DELETE', `/api/teams/${id}`, asAdmin())).status).toBe(204);
    expect(await system.db.team.findUnique({ where: { id } })).toBeNull();
    expect((await lastAudit('team.deleted'))?.payload).toMatchObject({ before: { id, name: '夜班' }, after: null });
    expect((await system.request('DELETE', `/api/teams/${id}`, asAdmin())).status).toBe(404);
  });

  it('lists teams for agents with lead, business hours and member count, keeping the fields the console reads', async () => {
    const listed = await system.request('GET', '/api/teams', { token: agent });
    expect(listed.status).toBe(200);
    const frontline = listed.body.teams.find((team: { id: string }) => team.id === frontlineId);
    expect(frontline).toMatchObject({
      id: frontlineId,
      name: 'Frontline',
      tier: 'junior',
      leadId: adminId,
      timeZone: 'Europe/London',
      lead: { id: adminId, name: 'Ada Admin', email: 'admin@seamless.local' },
      businessHours: { id: londonHoursId, name: 'London office', timeZone: 'Europe/London' },
      memberCount: 2,
    });
  });

  it('refuses to delete a team that still has members, open conversations or tickets, saying which', async () => {
    const members = await system.request('DELETE', `/api/teams/${frontlineId}`, asAdmin());
    expect(members.status).toBe(409);
    expect(members.body.error).toMatchObject({ code: 'team_in_use', details: { members: 2 } });
    expect(members.body.error.message).toContain('2 members');

    const holding = (await system.request('POST', '/api/teams', asAdmin({ name: 'Holding' }))).body.team.id as string;
    const conversation = await insertConversation({ status: 'open', teamId: holding });
    const ticket = await insertTicket({ status: 'pending', teamId: holding });
    await expectRefusedWithoutTrace([
      ['DELETE', `/api/teams/${holding}`, asAdmin(), 409, 'team_in_use'],
      ['DELETE', `/api/teams/${frontlineId}`, asAdmin(), 409, 'team_in_use'],
    ]);
    const refused = await system.request('DELETE', `/api/teams/${holding}`, asAdmin());
    expect(refused.body.error.message).toBe('The team still has 1 open conversation, 1 open ticket.');

    // Once the work is done the team can go; the finished records lose their team.
    await system.db.conversation.update({ where: { id: conversation.id }, data: { status: 'closed' } });
    await system.db.ticket.update({ where: { id: ticket.id }, data: { status: 'solved' } });
    expect((await system.request('DELETE', `/api/teams/${holding}`, asAdmin())).status).toBe(204);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).teamId).toBeNull();
  });

  it('refuses bad team input without a trace', async () => {
    const customerId = (await system.db.customer.findFirstOrThrow()).id;
    await expectRefusedWithoutTrace([
      ['POST', '/api/teams', asAdmin({ name: '' }), 400, 'invalid_input'],
      ['POST', '/api/teams', asAdmin({ name: 'Nights', tier: 'senior' }), 400, 'invalid_input'],
      ['POST', '/api/teams', asAdmin({ name: 'Nights', colour: 'blue' }), 400, 'invalid_input'],
      ['POST', '/api/teams', asAdmin({ name: 'frontline' }), 409, 'team_name_taken'],
      ['POST', '/api/teams', asAdmin({ name: 'Nights', leadId: customerId }), 400, 'unknown_lead'],
      ['POST', '/api/teams', asAdmin({ name: 'Nights', businessHoursId: randomUUID() }), 400, 'unknown_business_hours'],
      ['PATCH', `/api/teams/${frontlineId}`, asAdmin({}), 400, 'invalid_input'],
      ['PATCH', `/api/teams/${frontlineId}`, asAdmin({ name: 'Specialists' }), 409, 'team_name_taken'],
      ['PATCH', `/api/teams/${randomUUID()}`, asAdmin({ name: 'Nights' }), 404, 'not_found'],
      ['PATCH', '/api/teams/not-a-uuid', asAdmin({ name: 'Nights' }), 400, 'invalid_input'],
    ]);
  });
});

describe('business hours', () => {
  it('creates overnight hours with holidays in a canonical time zone, changes them and deletes them, audited', async () => {
    const created = await system.request(
      'POST',
      '/api/business-hours',
      asAdmin({
        name: '上海夜班',
        timeZone: 'asia/shanghai',
        weekly: [
          { day: 5, open: '22:00', close: '06:00' },
          { day: 1, open: '09:00', close: '24:00' },
        ],
        holidays: ['2027-02-10', '2027-02-06', '2027-02-10'],
      }),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.businessHours.id;
    const stored = await system.db.businessHours.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({
      name: '上海夜班',
      timeZone: 'Asia/Shanghai',
      weekly: [
        { day: 1, open: '09:00', close: '24:00' },
        { day: 5, open: '22:00', close: '06:00' },
      ],
      holidays: ['2027-02-06', '2027-02-10'],
    });
    expect((await lastAudit('business_hours.created'))?.payload).toMatchObject({ before: null, after: { id, timeZone: 'Asia/Shanghai' } });

    const listed = await system.request('GET', '/api/business-hours', { token: agent });
    expect(listed.status).toBe(200);
    expect(listed.body.businessHours.find((hours: { id: string }) => hours.id === londonHoursId)).toMatchObject({
      name: 'London office',
      usage: { teams: 1, slaPolicies: 0 },
    });
    expect(listed.body.businessHours.find((hours: { id: string }) => hours.id === id)).toMatchObject({ usage: { teams: 0, slaPolicies: 0 } });

    expect((await system.request('PATCH', `/api/business-hours/${id}`, asAdmin({ timeZone: 'Europe/Paris', holidays: [] }))).status).toBe(200);
    expect(await system.db.businessHours.findUniqueOrThrow({ where: { id } })).toMatchObject({ timeZone: 'Europe/Paris', holidays: [], weekly: stored.weekly });
    expect((await lastAudit('business_hours.updated'))?.payload).toMatchObject({
      before: { timeZone: 'Asia/Shanghai', holidays: ['2027-02-06', '2027-02-10'] },
      after: { timeZone: 'Europe/Paris', holidays: [] },
      changed: ['timeZone', 'holidays'],
    });

    expect((await system.request('DELETE', `/api/business-hours/${id}`, asAdmin())).status).toBe(204);
    expect(await system.db.businessHours.findUnique({ where: { id } })).toBeNull();
    expect((await lastAudit('business_hours.deleted'))?.payload).toMatchObject({ before: { id, name: '上海夜班' }, after: null });
  });

  it('refuses unknown time zones, bad times and dates, unknown fields and deleting hours in use, changing nothing', async () => {
    const valid = { name: 'Weekend desk', timeZone: 'Europe/London', weekly: [{ day: 6, open: '10:00', close: '16:00' }] };
    const badZone = await system.request('POST', '/api/business-hours', asAdmin({ ...valid, timeZone: 'Mars/Olympus_Mons' }));
    expect(paths(badZone.body)).toEqual(['timeZone']);
    const badTime = await system.request(
      'POST',
      '/api/business-hours',
      asAdmin({
        ...valid,
        weekly: [
          { day: 6, open: '9:00', close: '16:00' },
          { day: 7, open: '10:00', close: '25:00' },
        ],
      }),
    );
    expect(paths(badTime.body).sort()).toEqual(['weekly.0.open', 'weekly.1.close', 'weekly.1.day']);

    await expectRefusedWithoutTrace([
      ['POST', '/api/business-hours', asAdmin({ ...valid, timeZone: 'Mars/Olympus_Mons' }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, timeZone: '+08:00' }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, weekly: [{ day: 6, open: '10:00', close: '10:60' }] }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, weekly: [{ day: 6, open: '10:00', close: '10:00' }] }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, weekly: [] }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, holidays: ['2027-02-30'] }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, openOnSundays: true }), 400, 'invalid_input'],
      ['POST', '/api/business-hours', asAdmin({ ...valid, name: 'LONDON OFFICE' }), 409, 'business_hours_name_taken'],
      ['PATCH', `/api/business-hours/${londonHoursId}`, asAdmin({ timeZone: 'Europe/Lodnon' }), 400, 'invalid_input'],
      ['PATCH', `/api/business-hours/${londonHoursId}`, asAdmin({}), 400, 'invalid_input'],
      ['PATCH', `/api/business-hours/${randomUUID()}`, asAdmin({ holidays: [] }), 404, 'not_found'],
      ['DELETE', `/api/business-hours/${londonHoursId}`, asAdmin(), 409, 'business_hours_in_use'],
    ]);
    const inUse = await system.request('DELETE', `/api/business-hours/${londonHoursId}`, asAdmin());
    expect(inUse.body.error).toMatchObject({ message: 'These business hours are still used by 1 team.', details: { teams: 1, slaPolicies: 0 } });
  });
});

describe('SLA policies', () => {
  const vipChat = {
    name: 'VIP chat',
    priority: 'urgent',
    channelKind: 'web_chat',
    firstResponseMinutes: 5,
    nextResponseMinutes: 15,
    resolutionMinutes: 120,
    escalation: [{ action: 'notify' }, { action: 'reassign_to_lead' }],
    enabled: false,
  };

  it('creates and changes a policy, audited, and names the running conversations and tickets that must pick the change up', async () => {
    const created = await system.request('POST', '/api/sla-policies', asAdmin({ ...vipChat, teamId: specialistsId, businessHoursId: londonHoursId }));
    expect(created.status).toBe(201);
    const id: string = created.body.slaPolicy.id;
    expect(await system.db.slaPolicy.findUniqueOrThrow({ where: { id } })).toMatchObject({
      ...vipChat,
      teamId: specialistsId,
      businessHoursId: londonHoursId,
      warningPercent: 80,
    });
    expect((await lastAudit('sla_policy.created'))?.payload).toMatchObject({ before: null, after: { id, escalation: vipChat.escalation, enabled: false } });

    const listed = await system.request('GET', '/api/sla-policies', { token: agent });
    expect(listed.status).toBe(200);
    // Urgent first, then by name.
    expect(listed.body.slaPolicies.map((policy: { name: string }) => policy.name)).toEqual([
      'Urgent priority',
      'VIP chat',
      'High priority',
      'Normal priority',
      'Low priority',
    ]);

    const changed = await system.request(
      'PATCH',
      `/api/sla-policies/${id}`,
      asAdmin({ escalation: [{ action: 'move_to_expert' }], warningPercent: 70, enabled: true }),
    );
    expect(changed.status).toBe(200);
    expect(await system.db.slaPolicy.findUniqueOrThrow({ where: { id } })).toMatchObject({
      escalation: [{ action: 'move_to_expert' }],
      warningPercent: 70,
      enabled: true,
    });
    expect((await lastAudit('sla_policy.updated'))?.payload).toMatchObject({
      before: { escalation: vipChat.escalation, warningPercent: 80, enabled: false },
      after: { escalation: [{ action: 'move_to_expert' }], warningPercent: 70, enabled: true },
      changed: ['warningPercent', 'escalation', 'enabled'],
    });

    const running = await insertConversation({ status: 'open', slaPolicyId: id });
    const resolved = await insertConversation({ status: 'resolved', slaPolicyId: id });
    await insertConversation({ status: 'closed', slaPolicyId: id });
    const ticket = await insertTicket({ status: 'solved', slaPolicyId: id });
    await insertTicket({ status: 'closed', slaPolicyId: id });
    const affected = await slaPolicyChanged({ db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, log: () => {} }, id);
    expect({ conversationIds: [...affected.conversationIds].sort(), ticketIds: affected.ticketIds }).toEqual({
      conversationIds: [running.id, resolved.id].sort(),
      ticketIds: [ticket.id],
    });

    // Conversations were measured against it: it is switched off, not deleted.
    const refused = await system.request('DELETE', `/api/sla-policies/${id}`, asAdmin());
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'sla_policy_in_use', details: { conversations: 3, tickets: 2 } });
    expect(refused.body.error.message).toContain('Disable it instead');
    expect((await system.request('PATCH', `/api/sla-policies/${id}`, asAdmin({ enabled: false }))).status).toBe(200);
    expect((await system.db.slaPolicy.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
  });

  it('deletes a policy nothing was measured against, audited', async () => {
    const id = (await system.request('POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Short-lived' }))).body.slaPolicy.id as string;
    expect((await system.request('DELETE', `/api/sla-policies/${id}`, asAdmin())).status).toBe(204);
    expect(await system.db.slaPolicy.findUnique({ where: { id } })).toBeNull();
    expect((await lastAudit('sla_policy.deleted'))?.payload).toMatchObject({ before: { id, name: 'Short-lived' }, after: null });
  });

  it('refuses escalation steps the workflows do not know, targets that do not fit and unknown links, changing nothing', async () => {
    const normal = await system.db.slaPolicy.findUniqueOrThrow({ where: { name: 'Normal priority' } });
    const unknownStep = await system.request(
      'POST',
      '/api/sla-policies',
      asAdmin({ ...vipChat, name: 'Bad ladder', escalation: [{ action: 'notify' }, { action: 'call_the_ceo' }] }),
    );
    expect(paths(unknownStep.body)).toEqual(['escalation.1.action']);
    const tooLong = await system.request('POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Backwards', firstResponseMinutes: 600 }));
    expect(paths(tooLong.body)).toEqual(['firstResponseMinutes']);

    await expectRefusedWithoutTrace([
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Bad ladder', escalation: [{ action: 'call_the_ceo' }] }), 400, 'invalid_input'],
      [
        'POST',
        '/api/sla-policies',
        asAdmin({ ...vipChat, name: 'Bad ladder', escalation: [{ action: 'notify' }, { action: 'notify' }] }),
        400,
        'invalid_input',
      ],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Bad ladder', escalation: { action: 'notify' } }), 400, 'invalid_input'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Backwards', firstResponseMinutes: 600 }), 400, 'invalid_input'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Zero', firstResponseMinutes: 0 }), 400, 'invalid_input'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Someday', priority: 'someday' }), 400, 'invalid_input'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'No team', teamId: randomUUID() }), 400, 'unknown_team'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'No hours', businessHoursId: randomUUID() }), 400, 'unknown_business_hours'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'normal PRIORITY' }), 409, 'sla_policy_name_taken'],
      ['POST', '/api/sla-policies', asAdmin({ ...vipChat, name: 'Extra', paused: true }), 400, 'invalid_input'],
      ['PATCH', `/api/sla-policies/${normal.id}`, asAdmin({ nextResponseMinutes: 48 * 60 }), 400, 'invalid_input'],
      ['PATCH', `/api/sla-policies/${normal.id}`, asAdmin({ warningPercent: 100 }), 400, 'invalid_input'],
      ['PATCH', `/api/sla-policies/${randomUUID()}`, asAdmin({ enabled: false }), 404, 'not_found'],
    ]);
  });
});

describe('channels', () => {
  const preflight = (origin: string) =>
    fetch(`${system.url}/api/widget/visitors`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }).then((response) =>
      response.headers.get('access-control-allow-origin'),
    );

  it('lists channels for admins; a change of the widget origins applies to CORS at once, audited', async () => {
    const listed = await system.request('GET', '/api/channels', asAdmin());
    expect(listed.status).toBe(200);
    expect(listed.body.channels.map((channel: { kind: string; name: string }) => [channel.kind, channel.name])).toEqual([
      ['web_chat', 'Website chat'],
      ['email', 'Support email'],
      ['api', 'API'],
    ]);
    const webChat = listed.body.channels[0] as { id: string; settings: { allowedOrigins: string[] } };

    // Read (and cached) before the change: the shop is not allowed yet.
    expect(await preflight('https://shop.example')).toBeNull();
    const allowedOrigins = [...webChat.settings.allowedOrigins, 'https://Shop.Example/'];
    const changed = await system.request('PATCH', `/api/channels/${webChat.id}`, asAdmin({ name: '网站聊天', settings: { allowedOrigins } }));
    expect(changed.status).toBe(200);
    expect(await system.db.channel.findUniqueOrThrow({ where: { id: webChat.id } })).toMatchObject({
      name: '网站聊天',
      settings: { allowedOrigins: ['http://localhost:3000', 'http://localhost:5173', 'https://shop.example'] },
    });
    expect(await preflight('https://shop.example')).toBe('https://shop.example');
    expect((await lastAudit('channel.updated'))?.payload).toMatchObject({
      before: { name: 'Website chat', settings: webChat.settings },
      after: { name: '网站聊天', settings: { allowedOrigins: ['http://localhost:3000', 'http://localhost:5173', 'https://shop.example'] } },
      changed: ['name', 'settings'],
    });

    const email = listed.body.channels[1] as { id: string };
    expect((await system.request('PATCH', `/api/channels/${email.id}`, asAdmin({ settings: { address: 'help@shop.example' }, enabled: false }))).status).toBe(
      200,
    );
    expect(await system.db.channel.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
      enabled: false,
      settings: { address: 'help@shop.example' },
    });
  });

  it('checks settings against the kind of channel and refuses the rest, changing nothing', async () => {
    const webChat = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const email = await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    const withPath = await system.request(
      'PATCH',
      `/api/channels/${webChat.id}`,
      asAdmin({ settings: { allowedOrigins: ['https://shop.example', 'https://shop.example/widget'] } }),
    );
    expect(paths(withPath.body)).toEqual(['settings.allowedOrigins.1']);
    const noAddress = await system.request('PATCH', `/api/channels/${email.id}`, asAdmin({ settings: {} }));
    expect(paths(noAddress.body)).toEqual(['settings.address']);

    await expectRefusedWithoutTrace([
      ['PATCH', `/api/channels/${webChat.id}`, asAdmin({ settings: { allowedOrigins: ['ftp://shop.example'] } }), 400, 'invalid_input'],
      ['PATCH', `/api/channels/${webChat.id}`, asAdmin({ settings: { allowedOrigins: 'https://shop.example' } }), 400, 'invalid_input'],
      ['PATCH', `/api/channels/${webChat.id}`, asAdmin({ settings: { address: 'help@shop.example' } }), 400, 'invalid_input'],
      ['PATCH', `/api/channels/${email.id}`, asAdmin({ settings: { address: 'not an address' } }), 400, 'invalid_input'],
      ['PATCH', `/api/channels/${email.id}`, asAdmin({ kind: 'web_chat' }), 400, 'invalid_input'],
      ['PATCH', `/api/channels/${email.id}`, asAdmin({ name: 'api' }), 409, 'channel_name_taken'],
      ['PATCH', `/api/channels/${randomUUID()}`, asAdmin({ enabled: true }), 404, 'not_found'],
      ['GET', '/api/channels', { token: agent }, 403, 'forbidden'],
    ]);
  });
});

describe('canned responses', () => {
  type Reply = { id: string; shortcut: string; locale: string; teamId: string | null };
  const list = async (token: string, query: string) => {
    const response = await system.request('GET', `/api/canned-responses${query}`, { token });
    expect(response.status).toBe(200);
    return response.body.cannedResponses as Reply[];
  };
  const keys = (replies: Reply[]) => replies.map((reply) => `${reply.shortcut}/${reply.locale}`);

  it('stores Chinese and English replies; agents find the shared ones and their team’s, by Chinese text too', async () => {
    const zh = await system.request(
      'POST',
      '/api/canned-responses',
      asAdmin({ shortcut: 'refund-delay', locale: 'zh-CN', title: '退款延迟', body: '您的退款正在处理中，预计 3-5 个工作日到账。' }),
    );
    expect(zh.status).toBe(201);
    const en = await system.request(
      'POST',
      '/api/canned-responses',
      asAdmin({ shortcut: 'refund-delay', title: 'Refund delayed', body: 'Your refund is on its way: 3-5 working days.' }),
    );
    expect(en.body.cannedResponse).toMatchObject({ shortcut: 'refund-delay', locale: 'en', teamId: null });
    const specialists = await system.request(
      'POST',
      '/api/canned-responses',
      asAdmin({ shortcut: 'refund-escalation', locale: 'zh-CN', title: '退款升级', body: '已转交专家团队。', teamId: specialistsId }),
    );
    expect(specialists.status).toBe(201);
    expect(await system.db.cannedResponse.findUniqueOrThrow({ where: { id: zh.body.cannedResponse.id } })).toMatchObject({
      title: '退款延迟',
      body: '您的退款正在处理中，预计 3-5 个工作日到账。',
      locale: 'zh-CN',
      teamId: null,
    });
    expect(await lastAudit('canned_response.created')).toMatchObject({
      teamId: specialistsId,
      payload: { before: null, after: { shortcut: 'refund-escalation', teamId: specialistsId } },
    });

    // Alex is in Frontline: the Specialists' replies (seeded and new) stay out of sight.
    expect(keys(await list(agent, `?q=${encodeURIComponent('退款')}`))).toEqual(['refund/zh-CN', 'refund-delay/zh-CN']);
    expect(keys(await list(admin, `?q=${encodeURIComponent('退款')}`))).toEqual(['refund/zh-CN', 'refund-delay/zh-CN', 'refund-escalation/zh-CN']);
    expect(keys(await list(agent, `?locale=zh-CN&q=${encodeURIComponent('到账')}`))).toEqual(['refund-delay/zh-CN']);
    // Typed in Traditional script, it finds the Simplified text.
    expect(keys(await list(agent, `?locale=zh-CN&q=${encodeURIComponent('到賬')}`))).toEqual(['refund-delay/zh-CN']);
    expect(keys(await list(agent, `?locale=en&q=${encodeURIComponent('/refund')}`))).toEqual(['refund/en', 'refund-delay/en']);
    expect(keys(await list(agent, '?q=REFUND%20DELAYED'))).toEqual(['refund-delay/en']);
    expect(keys(await list(agent, '?q=%25'))).toEqual([]);
    const all = await list(agent, '');
    expect(all.every((reply) => reply.teamId === null || reply.teamId === frontlineId)).toBe(true);
    expect(keys(all)).toContain('greeting/zh-CN');
    expect(keys(await list(admin, ''))).toContain('escalate-tech/en');

    const id: string = zh.body.cannedResponse.id;
    expect((await system.request('PATCH', `/api/canned-responses/${id}`, asAdmin({ title: '退款处理中', teamId: frontlineId }))).status).toBe(200);
    expect(await system.db.cannedResponse.findUniqueOrThrow({ where: { id } })).toMatchObject({ title: '退款处理中', teamId: frontlineId });
    expect((await lastAudit('canned_response.updated'))?.payload).toMatchObject({
      before: { title: '退款延迟', teamId: null },
      after: { title: '退款处理中', teamId: frontlineId },
      changed: ['title', 'teamId'],
    });

    expect((await system.request('DELETE', `/api/canned-responses/${id}`, asAdmin())).status).toBe(204);
    expect(await system.db.cannedResponse.findUnique({ where: { id } })).toBeNull();
    expect((await lastAudit('canned_response.deleted'))?.payload).toMatchObject({ before: { id, title: '退款处理中' }, after: null });
  });

  it('refuses a shortcut taken in the same locale (409), malformed shortcuts and unknown fields, changing nothing', async () => {
    const english = await system.db.cannedResponse.findUniqueOrThrow({ where: { shortcut_locale: { shortcut: 'refund-delay', locale: 'en' } } });
    const greeting = await system.db.cannedResponse.findUniqueOrThrow({ where: { shortcut_locale: { shortcut: 'greeting', locale: 'zh-CN' } } });
    await expectRefusedWithoutTrace([
      ['POST', '/api/canned-responses', asAdmin({ shortcut: 'greeting', title: 'Hello again', body: 'Hi!' }), 409, 'shortcut_taken'],
      ['PATCH', `/api/canned-responses/${english.id}`, asAdmin({ shortcut: 'greeting' }), 409, 'shortcut_taken'],
      ['PATCH', `/api/canned-responses/${greeting.id}`, asAdmin({ locale: 'en' }), 409, 'shortcut_taken'],
      ['POST', '/api/canned-responses', asAdmin({ shortcut: 'Greeting!', title: 'Hi', body: 'Hi!' }), 400, 'invalid_input'],
      ['POST', '/api/canned-responses', asAdmin({ shortcut: '问候', title: '问候', body: '您好' }), 400, 'invalid_input'],
      ['POST', '/api/canned-responses', asAdmin({ shortcut: 'hello', title: 'Hi', body: '' }), 400, 'invalid_input'],
      ['POST', '/api/canned-responses', asAdmin({ shortcut: 'hello', title: 'Hi', body: 'Hi', locale: 'fr' }), 400, 'invalid_input'],
      ['POST', '/api/canned-responses', asAdmin({ shortcut: 'hello', title: 'Hi', body: 'Hi', tags: ['x'] }), 400, 'invalid_input'],
      ['POST', '/api/canned-responses', asAdmin({ shortcut: 'hello', title: 'Hi', body: 'Hi', teamId: randomUUID() }), 400, 'unknown_team'],
      ['PATCH', `/api/canned-responses/${randomUUID()}`, asAdmin({ title: 'x' }), 404, 'not_found'],
      ['GET', '/api/canned-responses?team=all', { token: agent }, 400, 'invalid_input'],
    ]);
  });
});

describe('who may write', () => {
  it('refuses agents every admin write and the admin-only reads, changing nothing', async () => {
    const reply = await system.db.cannedResponse.findFirstOrThrow();
    const policy = await system.db.slaPolicy.findFirstOrThrow();
    const channel = await system.db.channel.findFirstOrThrow();
    const asAgent = (body?: unknown) => ({ token: agent, body });
    await expectRefusedWithoutTrace([
      ['POST', '/api/teams', asAgent({ name: 'Agents only' }), 403, 'forbidden'],
      ['PATCH', `/api/teams/${frontlineId}`, asAgent({ name: 'Ours' }), 403, 'forbidden'],
      ['DELETE', `/api/teams/${specialistsId}`, asAgent(), 403, 'forbidden'],
      ['POST', '/api/business-hours', asAgent({ name: 'Always', timeZone: 'UTC', weekly: [{ day: 1, open: '00:00', close: '24:00' }] }), 403, 'forbidden'],
      ['PATCH', `/api/business-hours/${londonHoursId}`, asAgent({ holidays: [] }), 403, 'forbidden'],
      ['DELETE', `/api/business-hours/${londonHoursId}`, asAgent(), 403, 'forbidden'],
      [
        'POST',
        '/api/sla-policies',
        asAgent({ name: 'Lenient', priority: 'low', firstResponseMinutes: 1, nextResponseMinutes: 1, resolutionMinutes: 1 }),
        403,
        'forbidden',
      ],
      ['PATCH', `/api/sla-policies/${policy.id}`, asAgent({ enabled: false }), 403, 'forbidden'],
      ['DELETE', `/api/sla-policies/${policy.id}`, asAgent(), 403, 'forbidden'],
      ['PATCH', `/api/channels/${channel.id}`, asAgent({ enabled: false }), 403, 'forbidden'],
      ['POST', '/api/canned-responses', asAgent({ shortcut: 'mine', title: 'Mine', body: 'Mine' }), 403, 'forbidden'],
      ['PATCH', `/api/canned-responses/${reply.id}`, asAgent({ title: 'Mine' }), 403, 'forbidden'],
      ['DELETE', `/api/canned-responses/${reply.id}`, asAgent(), 403, 'forbidden'],
      ['GET', '/api/audit-events', asAgent(), 403, 'forbidden'],
      ['POST', '/api/teams', { body: { name: 'Strangers' } }, 401, 'unauthorized'],
    ]);
  });
});

describe('the audit log', () => {
  type AuditEvent = {
    id: string;
    type: string;
    actorId: string;
    actor: { id: string; name: string; email: string } | null;
    payload: { before: unknown; after: unknown };
  };
  const read = async (query: string) => {
    const response = await system.request('GET', `/api/audit-events${query}`, asAdmin());
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { events: AuditEvent[]; nextBefore: string | null };
  };

  it('lists admin writes newest first with the actor, across every family, and nothing else', async () => {
    expect((await system.request('PATCH', '/api/settings/self-service', asAdmin({ idleMinutes: 45 }))).status).toBe(200);
    const { events } = await read('?limit=200');
    expect(events[0]).toMatchObject({
      type: 'settings.changed',
      actor: { id: adminId, name: 'Ada Admin', email: 'admin@seamless.local' },
      payload: { before: { idleMinutes: 30 }, after: { idleMinutes: 45 } },
    });
    const ids = events.map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(events.every((event) => (auditEventTypes as readonly string[]).includes(event.type))).toBe(true);
    const families = new Set(events.map((event) => event.type.split('.')[0]));
    expect([...families].sort()).toEqual(['auth', 'business_hours', 'canned_response', 'channel', 'settings', 'sla_policy', 'team']);
    // Every audit event this database holds, and only those.
    expect(events.length).toBe(await system.db.event.count({ where: { type: { in: [...auditEventTypes] } } }));
  });

  it('pages by event id without gaps or repeats, and filters by type, family, actor and time', async () => {
    const everything = (await read('?limit=200')).events.map((event) => event.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { events: AuditEvent[]; nextBefore: string | null } = await read(`?limit=4${cursor ? `&before=${cursor}` : ''}`);
      expect(page.events.length).toBeLessThanOrEqual(4);
      paged.push(...page.events.map((event) => event.id));
      cursor = page.nextBefore;
      pages += 1;
    } while (cursor);
    expect(paged).toEqual(everything);
    expect(pages).toBe(Math.ceil(everything.length / 4));

    const teamEvents = (await read('?type=team.*')).events;
    expect(teamEvents.length).toBeGreaterThan(0);
    expect(new Set(teamEvents.map((event) => event.type))).toEqual(new Set(['team.created', 'team.updated', 'team.deleted']));
    expect((await read('?type=canned_response.deleted')).events.map((event) => event.type)).toEqual(['canned_response.deleted']);
    // The admin's own; agents' sign-ins (auth.*) are theirs.
    const byAdmin = (await read('?limit=200')).events.filter((event) => event.actorId === adminId).map((event) => event.id);
    expect(byAdmin.length).toBeGreaterThan(0);
    expect((await read(`?actorId=${adminId}&limit=200`)).events.map((event) => event.id)).toEqual(byAdmin);
    expect((await read(`?actorId=${randomUUID()}`)).events).toEqual([]);
    expect((await read(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).events).toEqual([]);
    expect((await read(`?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&limit=200`)).events.length).toBe(everything.length);

    await expectRefusedWithoutTrace([
      ['GET', '/api/audit-events?type=message.created', asAdmin(), 400, 'invalid_input'],
      ['GET', '/api/audit-events?type=nothing.*', asAdmin(), 400, 'invalid_input'],
      ['GET', '/api/audit-events?before=abc', asAdmin(), 400, 'invalid_input'],
      ['GET', '/api/audit-events?limit=0', asAdmin(), 400, 'invalid_input'],
      ['GET', '/api/audit-events?since=yesterday', asAdmin(), 400, 'invalid_input'],
      ['GET', '/api/audit-events?page=2', asAdmin(), 400, 'invalid_input'],
    ]);
  });
});

describe('an SLA policy change reaches running conversations', () => {
  it('re-plans the first-response due date of a waiting conversation, keeping the time already used', async () => {
    const policy = await system.db.slaPolicy.findUniqueOrThrow({ where: { name: 'Normal priority' } });
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My statement is missing a payment' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const dueOf = async () => (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).firstResponseDueAt;
    const before = await waitUntil(async () =>
      (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).slaPolicyId === policy.id ? dueOf() : null,
    );

    const changed = await system.request('PATCH', `/api/sla-policies/${policy.id}`, asAdmin({ firstResponseMinutes: policy.firstResponseMinutes * 2 }));
    expect(changed.status).toBe(200);
    try {
      // Twice the target: the due date moves later (by the added business minutes).
      const after = await waitUntil(async () => {
        const due = await dueOf();
        return due && due.getTime() > before.getTime() ? due : null;
      });
      expect(after.getTime()).toBeGreaterThan(before.getTime());
      // The agent's view (the console's countdown) carries the new due date, and the re-plan is
      // announced (internal) with the conversation as it is now, so open consoles follow live.
      const view = await system.request('GET', `/api/conversations/${conversationId}`, { token: admin });
      expect(Date.parse(view.body.conversation.firstResponseDueAt)).toBe(after.getTime());
      const announced = await system.db.event.findFirstOrThrow({ where: { conversationId, type: 'sla.replanned' } });
      expect(announced.internal).toBe(true);
      expect(Date.parse((announced.payload as { conversation: { firstResponseDueAt: string } }).conversation.firstResponseDueAt)).toBe(after.getTime());
    } finally {
      await system.request('PATCH', `/api/sla-policies/${policy.id}`, asAdmin({ firstResponseMinutes: policy.firstResponseMinutes }));
    }
  });
});
