// CSAT and the overview report on the real stack. A visitor rates a conversation an agent
// resolved (refused while it is open, replaced when rated again). The overview is checked figure
// by figure against conversations, messages and events written at known instants of March 2025
// (long before the demo data), per day and per week in Asia/Shanghai; its CSV parses back to
// the same numbers. The leads' reports (first-contact and AI resolution, per agent, busiest hours)
// are checked the same way against April 2025 (buildInsightsData), with their CSVs. The live
// operations snapshot moves by exactly what is added to the floor, and a team lead sees their teams.
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { LiveOperations } from '../domain/live-operations.js';
import type { AgentsReport, BusiestHoursReport, ResolutionReport } from '../domain/report-insights.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { OverviewFigures, OverviewReport } from '../domain/report-overview.js';
import { reportPeriod as period, buildInsightsData, buildReportData, insightsPeriod } from './support/report-data.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';
import type { TestSocket } from './support/socket-client.js';

let system: TestSystem;
let admin: string;
let agent: string;
let adminSocket: TestSocket;

beforeAll(async () => {
  system = await startSystem();
  ({ admin, agent } = await signIn(system, 'admin', 'agent'));
  adminSocket = await system.socket(admin);
  await buildReportData(system.db);
  await buildInsightsData(system.db);
});
afterAll(() => system?.stop());

describe('CSAT from the widget', () => {
  async function conversationOf(visitor: { token: string }) {
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my refund?' } });
    expect(started.status).toBe(201);
    const id = started.body.conversation.id as string;
    await adminSocket.waitForEvent((event) => event.conversationId === id && (event.type === 'conversation.queued' || event.type === 'conversation.assigned'));
    return id;
  }
  const rate = (token: string, id: string, body: unknown) => system.request('POST', `/api/widget/conversations/${id}/csat`, { token, body });

  it('refuses a rating while the conversation is open, stores it once resolved, and lets a second rating replace the first', async () => {
    const visitor = await system.visitor('Rating visitor');
    const id = await conversationOf(visitor);

    const early = await rate(visitor.token, id, { score: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_resolved');

    expect((await system.request('POST', `/api/conversations/${id}/resolve`, { token: admin, body: {} })).status).toBe(200);
    const first = await rate(visitor.token, id, { score: 2, comment: '  太慢了 — too slow  ' });
    expect(first.status).toBe(201);
    expect(first.body.csat).toMatchObject({ conversationId: id, score: 2, comment: '太慢了 — too slow', replaced: false });
    const second = await rate(visitor.token, id, { score: 4 });
    expect(second.status).toBe(200);
    expect(second.body.csat).toMatchObject({ score: 4, comment: null, replaced: true });

    const events = await system.db.event.findMany({ where: { conversationId: id, type: 'csat.received' }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.actorKind, event.actorId, event.payload])).toEqual([
      ['customer', visitor.customerId, { score: 2, comment: '太慢了 — too slow' }],
      ['customer', visitor.customerId, { score: 4, comment: null }],
    ]);
    // The customer's journey shows the rating to agents.
    const journey = await system.request('GET', `/api/customers/${visitor.customerId}/events`, { token: admin });
    expect(journey.body.events.filter((event: { type: string }) => event.type === 'csat.received')).toHaveLength(2);
  });

  it("refuses scores outside 1-5, long comments and unknown fields, and hides other customers' conversations", async () => {
    const visitor = await system.visitor('Rating visitor 2');
    const id = await conversationOf(visitor);
    expect((await system.request('POST', `/api/conversations/${id}/resolve`, { token: admin, body: {} })).status).toBe(200);
    for (const body of [{ score: 0 }, { score: 6 }, { score: 4.5 }, { score: '5' }, {}, { score: 5, comment: 'x'.repeat(2001) }, { score: 5, extra: true }]) {
      const refused = await rate(visitor.token, id, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
    }
    const stranger = await system.visitor('Stranger');
    expect((await rate(stranger.token, id, { score: 1 })).status).toBe(404);
    expect((await rate(agent, id, { score: 1 })).status).toBe(403);
    expect(await system.db.event.count({ where: { conversationId: id, type: 'csat.received' } })).toBe(0);
  });
});

// ---- The overview over the known data of test/support/report-data.ts ----

const overview = (query: string, token = admin) => system.request<OverviewReport>('GET', `/api/reports/overview?${query}`, { token });
const marchQuery = (bucket: string) => new URLSearchParams({ ...period, bucket, timeZone: 'Asia/Shanghai' }).toString();

const none = { count: 0, median: null, p90: null };
const figures = (partial: Partial<OverviewFigures>): OverviewFigures => ({
  created: 0,
  resolved: 0,
  firstResponse: none,
  resolution: none,
  sla: { measured: 0, breached: 0, complianceRate: null },
  selfService: { answered: 0, resolved: 0, deflectionRate: null },
  csat: { count: 0, average: null, satisfied: 0, satisfiedRate: null },
  ...partial,
});

const march3 = figures({
  created: 2,
  resolved: 1,
  firstResponse: { count: 2, median: 45, p90: 73 },
  resolution: { count: 1, median: 60, p90: 60 },
  sla: { measured: 1, breached: 0, complianceRate: 1 },
  csat: { count: 1, average: 5, satisfied: 1, satisfiedRate: 1 },
});
const march4 = figures({
  created: 2,
  resolved: 2,
  firstResponse: { count: 2, median: 35, p90: 39 },
  resolution: { count: 2, median: 62.5, p90: 108.5 },
  sla: { measured: 1, breached: 1, complianceRate: 0 },
  selfService: { answered: 2, resolved: 1, deflectionRate: 0.5 },
  csat: { count: 2, average: 3.5, satisfied: 1, satisfiedRate: 0.5 },
});
const march10 = figures({
  created: 1,
  resolved: 1,
  resolution: { count: 1, median: 30, p90: 30 },
  sla: { measured: 1, breached: 0, complianceRate: 1 },
  csat: { count: 1, average: 1, satisfied: 0, satisfiedRate: 0 },
});
const total = figures({
  created: 5,
  resolved: 4,
  firstResponse: { count: 4, median: 35, p90: 68 },
  resolution: { count: 4, median: 45, p90: 102 },
  sla: { measured: 3, breached: 1, complianceRate: 2 / 3 },
  selfService: { answered: 2, resolved: 1, deflectionRate: 0.5 },
  csat: { count: 4, average: 3.25, satisfied: 2, satisfiedRate: 0.5 },
});

describe('the overview report', () => {
  it('counts each figure per day in the asked time zone and in total', async () => {
    const response = await overview(marchQuery('day'));
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ from: '2025-03-02T16:00:00.000Z', to: '2025-03-16T16:00:00.000Z', bucket: 'day', timeZone: 'Asia/Shanghai' });
    expect(report.buckets.map((bucket) => bucket.date)).toEqual(Array.from({ length: 14 }, (_, i) => `2025-03-${String(3 + i).padStart(2, '0')}`));
    // Local midnight in Shanghai is 16:00 UTC the day before.
    expect(report.buckets[0]!.start).toBe('2025-03-02T16:00:00.000Z');
    const byDate = Object.fromEntries(report.buckets.map(({ start: _start, date, ...rest }) => [date, rest]));
    expect(byDate['2025-03-03']).toEqual(march3);
    expect(byDate['2025-03-04']).toEqual(march4);
    expect(byDate['2025-03-05']).toEqual(figures({}));
    expect(byDate['2025-03-10']).toEqual(march10);
    expect(report.total).toEqual(total);
  });

  it('groups by ISO week (Monday) with the same totals', async () => {
    const report = (await overview(marchQuery('week'))).body;
    expect(report.buckets.map((bucket) => [bucket.date, bucket.created, bucket.resolved])).toEqual([
      ['2025-03-03', 4, 3],
      ['2025-03-10', 1, 1],
    ]);
    expect(report.buckets[0]).toMatchObject({
      resolution: { count: 3, median: 60, p90: 108 },
      firstResponse: total.firstResponse,
      sla: { measured: 2, breached: 1, complianceRate: 0.5 },
      csat: { count: 3, average: 4, satisfied: 2, satisfiedRate: 2 / 3 },
    });
    expect(report.total).toEqual(total);
  });

  it('moves rows between days with the time zone', async () => {
    // B's first reply is 00:10 on the 4th in Shanghai but 16:10 on the 3rd in UTC; E's (00:20 on
    // the 3rd in Shanghai) is on the 2nd in UTC, before the period.
    const report = (await overview(new URLSearchParams({ from: '2025-03-03T00:00:00Z', to: '2025-03-05T00:00:00Z', timeZone: 'UTC' }).toString())).body;
    expect(report.buckets.map((bucket) => [bucket.date, bucket.created, bucket.firstResponse.count, bucket.firstResponse.median])).toEqual([
      ['2025-03-03', 2, 2, 25],
      ['2025-03-04', 2, 1, 30],
    ]);
  });

  it('is open to agents as the other reports are, and answers bad queries with 400', async () => {
    expect((await overview(marchQuery('day'), agent)).status).toBe(200);
    const bad = [
      { from: period.to, to: period.from },
      { from: period.from, to: period.from },
      { from: '2024-01-01T00:00:00Z', to: '2025-01-02T00:00:01Z' },
      { ...period, timeZone: 'Mars/Olympus' },
      { ...period, bucket: 'month' },
      { ...period, from: 'yesterday' },
      { ...period, extra: '1' },
    ];
    for (const query of bad) {
      const response = await system.request('GET', `/api/reports/overview?${new URLSearchParams(query).toString()}`, { token: admin });
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.error.code).toBe('invalid_input');
    }
    // 366 days is the longest period.
    expect((await overview(new URLSearchParams({ from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }).toString())).status).toBe(200);
  });

  it('downloads the same figures as CSV, UTF-8 with a byte order mark so Excel shows Chinese', async () => {
    const response = await fetch(`${system.url}/api/reports/overview.csv?${marchQuery('day')}&locale=zh-CN`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=seamless-overview-2025-03-03-2025-03-16.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(Buffer.from(bytes), { bom: true }) as string[][];
    expect(rows[0]![0]).toBe('开始日期');
    expect(rows[0]).toContain('CSAT 满意率（4-5 分）');
    expect(rows).toHaveLength(1 + 14 + 1);
    expect(rows.at(-1)![0]).toBe('合计');

    const json = (await overview(marchQuery('day'))).body;
    const asNumbers = (row: string[]) => row.slice(1).map((cell) => (cell === '' ? null : Number(cell)));
    const expected = (f: OverviewFigures) => [
      f.created,
      f.resolved,
      f.firstResponse.median,
      f.firstResponse.p90,
      f.firstResponse.count,
      f.resolution.median,
      f.resolution.p90,
      f.sla.measured,
      f.sla.breached,
      f.sla.complianceRate,
      f.selfService.answered,
      f.selfService.resolved,
      f.selfService.deflectionRate,
      f.csat.count,
      f.csat.average,
      f.csat.satisfiedRate,
    ];
    json.buckets.forEach((bucket, i) => {
      expect(rows[i + 1]![0]).toBe(bucket.date);
      expect(asNumbers(rows[i + 1]!)).toEqual(expected(bucket));
    });
    expect(asNumbers(rows.at(-1)!)).toEqual(expected(total));

    const english = await fetch(`${system.url}/api/reports/overview.csv?${marchQuery('week')}`, { headers: { authorization: `Bearer ${agent}` } });
    const englishRows = parseCsv(await english.text(), { bom: true }) as string[][];
    expect(englishRows[0]!.slice(0, 3)).toEqual(['Period start', 'Conversations created', 'Conversations resolved']);
    expect(englishRows.map((row) => row[0])).toEqual(['Period start', '2025-03-03', '2025-03-10', 'Total']);
  });

  it('refuses the CSV without a user token', async () => {
    const response = await fetch(`${system.url}/api/reports/overview.csv`);
    expect(response.status).toBe(401);
  });
});

// ---- The leads' reports over the known data of buildInsightsData ----

describe("the leads' reports", () => {
  const aprilQuery = (extra: Record<string, string> = {}) => new URLSearchParams({ ...insightsPeriod, timeZone: 'Asia/Shanghai', ...extra }).toString();
  const read = <T>(name: string, query = aprilQuery(), token = admin) => system.request<T>('GET', `/api/reports/${name}?${query}`, { token });
  const csv = async (name: string, query: string) => {
    const response = await fetch(`${system.url}/api/reports/${name}.csv?${query}`, { headers: { authorization: `Bearer ${agent}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=seamless-${name}-2025-04-07-2025-04-20.csv`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parseCsv(Buffer.from(bytes), { bom: true }) as string[][];
  };
  const period = { from: '2025-04-06T16:00:00.000Z', to: '2025-04-20T16:00:00.000Z', timeZone: 'Asia/Shanghai' };

  it('counts first-contact and AI resolutions as their definitions say', async () => {
    const response = await read<ResolutionReport>('resolution');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...period,
      resolved: 10,
      personHandled: 4,
      firstContact: 2,
      botAnswered: 6,
      aiResolved: 4,
      firstContactRate: 0.5,
      aiResolutionRate: 0.4,
      aiResolutionRateOfAnswered: 4 / 6,
      reopenDays: 7,
    });
    const rows = await csv('resolution', aprilQuery({ locale: 'zh-CN' }));
    expect(rows).toEqual([
      ['指标', '数量', '基数', '比率'],
      ['首次联系解决率（有人工回复的会话）', '2', '4', '0.5'],
      ['AI 解决率（已解决会话）', '4', '10', '0.4'],
      ['AI 解决率（机器人回答过的会话）', '4', '6', String(4 / 6)],
    ]);
  });

  it("gives each agent's handled, resolved, first response and CSAT figures", async () => {
    const response = await read<AgentsReport>('agents', aprilQuery(), agent);
    expect(response.status).toBe(200);
    const users = await system.db.user.findMany({ where: { email: { in: ['agent@seamless.local', 'lina@seamless.local'] } }, orderBy: { email: 'asc' } });
    expect(response.body).toEqual({
      ...period,
      agents: [
        {
          userId: users[0]!.id,
          name: 'Alex Agent',
          handled: 3,
          resolved: 3,
          resolutionMedian: 50,
          firstResponses: 3,
          firstResponseMedian: 20,
          csatCount: 2,
          csatAverage: 4,
          csatSatisfiedRate: 0.5,
        },
        {
          userId: users[1]!.id,
          name: '李娜',
          handled: 3,
          resolved: 2,
          resolutionMedian: 110,
          firstResponses: 2,
          firstResponseMedian: 25,
          csatCount: 1,
          csatAverage: 4,
          csatSatisfiedRate: 1,
        },
      ],
    });
    const rows = await csv('agents', aprilQuery());
    expect(rows[0]).toHaveLength(9);
    expect([rows[0]![0], rows[0]![1], rows[0]![3], rows[0]![8]]).toEqual(['Agent', 'Handled', 'Resolution median (min)', 'CSAT satisfied (4-5)']);
    expect(rows.slice(1)).toEqual([
      ['Alex Agent', '3', '3', '50', '3', '20', '2', '4', '0.5'],
      ['李娜', '3', '2', '110', '2', '25', '1', '4', '1'],
    ]);
  });

  it('counts conversations by local weekday and hour, in the asked zone or the organisation’s', async () => {
    const cellsOf = (entries: [number, number, number][]) => {
      const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
      for (const [day, hour, count] of entries) cells[day]![hour] = count;
      return cells;
    };
    const shanghai = await read<BusiestHoursReport>('busiest-hours');
    expect(shanghai.body).toEqual({
      ...period,
      total: 11,
      max: 2,
      cells: cellsOf([
        [0, 9, 2],
        [0, 12, 1],
        [1, 14, 2],
        [2, 20, 1],
        [2, 21, 1],
        [3, 8, 1],
        [3, 10, 1],
        [4, 11, 1],
        [5, 10, 1],
      ]),
    });
    // The same instants read in UTC: eight hours earlier, the same weekdays.
    const utc = await read<BusiestHoursReport>('busiest-hours', aprilQuery({ timeZone: 'UTC' }));
    expect(utc.body.cells).toEqual(
      cellsOf([
        [0, 1, 2],
        [0, 4, 1],
        [1, 6, 2],
        [2, 12, 1],
        [2, 13, 1],
        [3, 0, 1],
        [3, 2, 1],
        [4, 3, 1],
        [5, 2, 1],
      ]),
    );
    const organization = await system.db.organization.findUniqueOrThrow({ where: { id: 1 } });
    const byDefault = await read<BusiestHoursReport>('busiest-hours', new URLSearchParams(insightsPeriod).toString());
    expect(byDefault.body.timeZone).toBe(organization.timeZone);

    const rows = await csv('busiest-hours', aprilQuery());
    expect(rows).toHaveLength(8);
    expect(rows[0]!.slice(0, 3)).toEqual(['Weekday', '00:00', '01:00']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(rows.slice(1).map((row) => row.slice(1).map(Number))).toEqual(shanghai.body.cells);
    const chinese = await csv('busiest-hours', aprilQuery({ locale: 'zh-CN' }));
    expect(chinese.map((row) => row[0])).toEqual(['星期', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日']);
  });

  it('answers bad queries with 400 and visitors with 403, for each report and its CSV', async () => {
    const visitor = await system.visitor('Report prober');
    for (const name of ['resolution', 'agents', 'busiest-hours', 'resolution.csv', 'agents.csv', 'busiest-hours.csv']) {
      for (const query of [
        { from: insightsPeriod.to, to: insightsPeriod.from },
        { ...insightsPeriod, timeZone: 'Mars/Olympus' },
        { ...insightsPeriod, bucket: 'day' },
      ]) {
        const response = await system.request('GET', `/api/reports/${name}?${new URLSearchParams(query).toString()}`, { token: admin });
        expect(response.status, `${name} ${JSON.stringify(query)}`).toBe(400);
        expect(response.body.error.code).toBe('invalid_input');
      }
      expect((await system.request('GET', `/api/reports/${name}`, { token: visitor.token })).status).toBe(403);
    }
  });
});

// ---- The live operations dashboard ----

describe('live operations', () => {
  const live = (token: string) => system.request<LiveOperations>('GET', '/api/reports/live', { token });
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  it('is for admins and team leads only, and takes no query', async () => {
    expect((await live(agent)).status).toBe(403);
    expect((await live((await system.visitor('Live prober')).token)).status).toBe(403);
    expect((await system.request('GET', '/api/reports/live?extra=1', { token: admin })).status).toBe(400);
    expect((await live(await system.login('expert@seamless.local'))).status).toBe(200);
  });

  it('moves by exactly what joins the floor; a lead sees their own teams and conversations of no team', async () => {
    const lead = await system.login('expert@seamless.local');
    const before = (await live(admin)).body;
    const leadBefore = (await live(lead)).body;
    const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const customer = await system.db.customer.create({ data: { name: 'Live floor customer' } });
    const frontline = await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } });
    const specialists = await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    const alex = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    const wang = await system.db.user.findUniqueOrThrow({ where: { email: 'wangwei@seamless.local' } });
    const write = async (data: {
      status: 'queued' | 'open';
      teamId?: string;
      assigneeId?: string;
      createdAt: Date;
      slaState?: 'warning' | 'breached';
      firstResponseDueAt?: Date;
    }) => {
      const id = randomUUID();
      await system.db.conversation.create({ data: { id, workflowId: conversationWorkflowId(id), customerId: customer.id, channelId: channel.id, ...data } });
      return id;
    };
    // Waiting with no team since it was requeued 30 days ago (created earlier still); waiting in Frontline.
    const oldest = await write({ status: 'queued', createdAt: minutesAgo(60 * 24 * 40) });
    const requeuedAt = minutesAgo(60 * 24 * 30);
    await system.db.event.create({
      data: { conversationId: oldest, type: 'conversation.requeued', occurredAt: requeuedAt, actorKind: 'system', internal: true, payload: {} },
    });
    await write({ status: 'queued', teamId: frontline.id, createdAt: minutesAgo(10) });
    // Alex: one at risk (first response due in 5 minutes); 王伟 (Specialists): one breached.
    const dueAt = new Date(Date.now() + 5 * 60_000);
    const atRisk = await write({
      status: 'open',
      assigneeId: alex.id,
      teamId: frontline.id,
      createdAt: minutesAgo(20),
      slaState: 'warning',
      firstResponseDueAt: dueAt,
    });
    await write({ status: 'open', assigneeId: wang.id, teamId: specialists.id, createdAt: minutesAgo(90), slaState: 'breached' });
    // The bot today: two answers, one found helpful.
    for (const type of ['bot.answered', 'bot.answered', 'bot.helpful']) {
      await system.db.event.create({ data: { conversationId: oldest, type, occurredAt: new Date(), actorKind: 'system', internal: true, payload: {} } });
    }

    const after = (await live(admin)).body;
    expect(after.scope).toEqual({ kind: 'all' });
    expect(after.waiting.count - before.waiting.count).toBe(2);
    expect(after.waiting.longestSince).toBe(requeuedAt.toISOString());
    expect(after.waiting.oldest[0]).toEqual({ id: oldest, number: expect.any(Number), since: requeuedAt.toISOString() });
    const loadOf = (snapshot: LiveOperations, id: string) => snapshot.agents.find((person) => person.id === id)?.load ?? NaN;
    expect(loadOf(after, alex.id) - loadOf(before, alex.id)).toBe(1);
    expect(loadOf(after, wang.id) - loadOf(before, wang.id)).toBe(1);
    expect([after.sla.atRisk - before.sla.atRisk, after.sla.breached - before.sla.breached]).toEqual([1, 1]);
    expect(after.sla.atRiskConversations.find((row) => row.id === atRisk)?.since).toBe(dueAt.toISOString());
    expect([after.botToday.answered - before.botToday.answered, after.botToday.resolved - before.botToday.resolved]).toEqual([2, 1]);

    // Priya leads Specialists: its people, its conversations and those of no team, not Frontline's.
    const leadAfter = (await live(lead)).body;
    expect(leadAfter.scope).toEqual({ kind: 'teams', teams: [{ id: specialists.id, name: 'Specialists' }] });
    expect(leadAfter.agents.map((person) => person.name).sort()).toEqual(['Priya Patel', '王伟']);
    expect(leadAfter.waiting.count - leadBefore.waiting.count).toBe(1);
    expect(leadAfter.waiting.oldest[0]?.id).toBe(oldest);
    expect([leadAfter.sla.atRisk - leadBefore.sla.atRisk, leadAfter.sla.breached - leadBefore.sla.breached]).toEqual([0, 1]);
  });
});
