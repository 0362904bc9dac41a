// `npm run bench:large`: the console's first screens on a large deployment (issue 19). Starts its
// own system (embedded PostgreSQL, Temporal dev server, the API as a child process, no worker:
// nothing here needs one), seeds 100,000 conversations and 2,000,000 messages in SQL (mixed
// English and Chinese bodies, spread over teams, agents, statuses and half a year), ANALYZEs, then
// times through the real HTTP API with an agent's and an admin's token: sign-in, the inbox's first
// and next pages, opening a long conversation and paging back through it, and searches (English and
// Chinese, rare and common words, and a two-character word that no trigram serves). Prints one JSON
// line on stdout (also tmp/bench-large-latest.json), a table on stderr, and the EXPLAIN (ANALYZE,
// BUFFERS) plans of the list, search and message queries (in the JSON and tmp/bench-large-plans.txt).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { inboxPageSql } from '../api/finders/conversation-finder.js';
import type { StaffViewer } from '../domain/visibility.js';
import { projectRoot } from '../infra/env.js';
import { demoPassword } from '../prisma/demo-data.js';
import { Prisma } from '../prisma/generated/client.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, type HttpClient } from './support/http-client.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, NodeChild, startInfrastructure, stopOnSignals, waitForHealth } from './support/stack.js';
import { summarize, type LatencySummary } from './support/stats.js';

const log = (line: string) => process.stderr.write(`[bench:large] ${line}\n`);
const usage = `npm run bench:large -- [flags]
  --conversations <n>   conversations seeded (default 100000)
  --messages <n>        messages seeded, about a twentieth of them in one long conversation (default 2000000)
  --runs <n>            timed requests per measurement, after 3 unmeasured ones (default 30, at least 30 for the report)
  --verbose             print the API's output
`;

const { values: flags } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '30' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const conversations = Number(flags.conversations);
const messages = Number(flags.messages);
const runs = Number(flags.runs);
if (![conversations, messages, runs].every((value) => Number.isInteger(value) && value > 0) || messages < conversations * 2) {
  process.stderr.write(`--conversations, --messages and --runs must be positive integers, with at least two messages per conversation\n\n${usage}`);
  process.exit(2);
}
/** The p95 the console's first screens should stay under (issue 19). */
const targetP95Ms = 300;
/** Messages of the one long conversation (the newest): opening it and paging back is measured. */
const longConversation = Math.min(100_000, Math.floor(messages / 20));

// Words the bodies are made of, and the searched ones with how often they occur: "refund" and
// 信用卡 in about one message in 15, xylophone and 翡翠手镯 in about 20 messages in all, 退款 (two
// characters: searched by the walk, not the trigram index) in about one in 10.
const english = [
  'Hello, my order has not arrived yet',
  'Can you check the tracking number for me',
  'The payment failed twice this morning',
  'I would like to change my delivery address',
  'Thanks, that solved it',
  'My account is locked after the update',
  'Please cancel the subscription from next month',
  'The invoice shows the wrong company name',
  'Where can I download the receipt',
  'The app crashes when I open settings',
];
const chinese = [
  '你好，我的订单还没有到',
  '请帮我查一下物流单号',
  '今天早上付款失败了两次',
  '我想修改收货地址',
  '谢谢，问题解决了',
  '更新以后账户被锁定了',
  '请从下个月开始取消订阅',
  '发票上的公司名称不对',
  '在哪里可以下载收据',
  '打开设置的时候应用闪退',
];
const searches = [
  { name: 'search en common', q: 'refund' },
  { name: 'search en rare', q: 'xylophone' },
  { name: 'search zh common', q: '信用卡' },
  { name: 'search zh rare', q: '翡翠手镯' },
  { name: 'search zh 2 chars', q: '退款' },
] as const;

/** A deterministic id from a SQL text expression: md5 with the version (4) and variant bits of a random UUID. */
const idOf = (expression: string) => `overlay(overlay(md5(${expression}) placing '4' from 13) placing '8' from 17)::uuid`;

const sqlText = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',')}]`;

/** The seed, in SQL: generate_series with deterministic ids (md5 of the index), no round trip per row. */
async function seed(client: pg.Client): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const timed = async (name: string, sql: string) => {
    const started = performance.now();
    await client.query(sql);
    timings[name] = Math.round(performance.now() - started);
    log(`  ${name}: ${(timings[name]! / 1000).toFixed(1)} s`);
  };
  // A bulk load: no triggers or foreign-key checks (replica role), no fsync wait per statement.
  await client.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`);
  const agents = (await client.query<{ id: string; teamId: string | null }>(`SELECT id, "teamId" FROM "User" ORDER BY email`)).rows;
  const teams = (await client.query<{ id: string }>(`SELECT id FROM "Team" ORDER BY name`)).rows.map((row) => row.id);
  const channel = (await client.query<{ id: string }>(`SELECT id FROM "Channel" WHERE kind = 'web_chat' ORDER BY name LIMIT 1`)).rows[0]!.id;
  const customers = Math.max(1, Math.floor(conversations / 2));
  const uuidArray = (ids: readonly (string | null)[]) => `ARRAY[${ids.map((id) => (id ? `'${id}'::uuid` : 'NULL::uuid')).join(',')}]`;

  await timed(
    'customers',
    `INSERT INTO "Customer" (id, name, email, "createdAt", "updatedAt", "lastSeenAt")
     SELECT ${idOf(`'cu' || i`)},
       CASE WHEN i % 2 = 0 THEN 'Customer ' || i ELSE (${sqlText(['王', '李', '张', '刘', '陈'])})[1 + i % 5] || (${sqlText(['伟', '芳', '娜', '敏', '静', '强'])})[1 + i % 6] || i END,
       'customer' || i || '@example.com', now() - interval '200 days', now(), now() - (i || ' minutes')::interval
     FROM generate_series(1, ${customers}) i`,
  );
  // Conversation i: newest first by i (every third pair shares its lastMessageAt: ties on the sort
  // key), statuses mostly resolved, a third unassigned, teams and agents spread.
  await timed(
    'conversations',
    `INSERT INTO "Conversation" (id, "workflowId", "customerId", "channelId", status, priority, "assigneeId", "teamId", tags, "lastMessageAt", "createdAt", "updatedAt", "resolvedAt")
     SELECT ${idOf(`'c' || i`)}, 'bench-large-' || i, ${idOf(`'cu' || (1 + i % ${customers})`)}, '${channel}'::uuid,
       (ARRAY['resolved','resolved','resolved','resolved','resolved','resolved','open','open','queued','snoozed','bot','closed']::"ConversationStatus"[])[1 + i % 12],
       (ARRAY['normal','normal','normal','high','low','urgent']::"Priority"[])[1 + i % 6],
       CASE WHEN i % 3 = 0 THEN NULL ELSE (${uuidArray(agents.map((agent) => agent.id))})[1 + i % ${agents.length}] END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE (${uuidArray(teams)})[1 + i % ${Math.max(1, teams.length)}] END,
       CASE WHEN i % 10 = 0 THEN ARRAY['billing'] ELSE ARRAY[]::text[] END,
       timestamp '2026-12-01' - ((i - i % 3) * interval '150 seconds'),
       timestamp '2026-12-01' - ((i - i % 3) * interval '150 seconds') - interval '2 hours', now(),
       CASE WHEN i % 12 < 6 THEN timestamp '2026-12-01' - ((i - i % 3) * interval '150 seconds') END
     FROM generate_series(1, ${conversations}) i`,
  );
  // The indexes of Message are built once after the load (much faster than row by row), with the
  // definitions the migrations gave them.
  const indexes = (
    await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'Message' AND indexname <> 'Message_pkey'`,
    )
  ).rows;
  for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
  // Message g: conversation 1 (the long one) takes the first `longConversation`; the others go
  // round the rest, so the last message of each is at its lastMessageAt.
  const perConversation = Math.ceil((messages - longConversation) / Math.max(1, conversations - 1));
  // Two sentences in English (even g) or Chinese (odd g), and the searched words now and then.
  const rare = 2 * Math.max(1, Math.floor(messages / 40)); // even: 20 English and 20 Chinese messages
  const body = `CASE WHEN g % 2 = 0
      THEN (${sqlText(english)})[1 + g % 10] || '. ' || (${sqlText(english)})[1 + (g / 7) % 10]
        || CASE WHEN g % 30 = 0 THEN ' I want a refund.' ELSE '' END || CASE WHEN g % ${rare} = 8 THEN ' (xylophone)' ELSE '' END
      ELSE (${sqlText(chinese)})[1 + g % 10] || '。' || (${sqlText(chinese)})[1 + (g / 7) % 10]
        || CASE WHEN g % 30 = 15 THEN '，我的信用卡被扣款了' ELSE '' END || CASE WHEN g % 10 = 3 THEN '，退款' ELSE '' END
        || CASE WHEN g % ${rare} = 7 THEN '（翡翠手镯）' ELSE '' END
    END`;
  await timed(
    'messages',
    `INSERT INTO "Message" (id, "conversationId", "authorKind", "authorUserId", "customerId", body, private, "createdAt")
     SELECT ${idOf(`'m' || g`)}, ${idOf(`'c' || conv`)},
       (ARRAY['customer','agent','customer','bot']::"AuthorKind"[])[1 + g % 4],
       CASE WHEN g % 4 = 1 THEN (${uuidArray(agents.map((agent) => agent.id))})[1 + g % ${agents.length}] END,
       CASE WHEN g % 4 IN (0, 2) THEN ${idOf(`'cu' || (1 + conv % ${customers})`)} END,
       ${body},
       g % 50 = 0 AND g % 4 = 1,
       (timestamp '2026-12-01' - ((conv - conv % 3) * interval '150 seconds')) - (seq * interval '1 second')
     FROM (
       SELECT g,
         CASE WHEN g <= ${longConversation} THEN 1 ELSE 2 + (g - ${longConversation} - 1) % ${Math.max(1, conversations - 1)} END AS conv,
         CASE WHEN g <= ${longConversation} THEN ${longConversation} - g ELSE ${perConversation} - 1 - (g - ${longConversation} - 1) / ${Math.max(1, conversations - 1)} END AS seq
       FROM generate_series(1, ${messages}) g
     ) s`,
  );
  const started = performance.now();
  for (const index of indexes) await timed(`index ${index.name}`, index.definition);
  timings.messageIndexes = Math.round(performance.now() - started);
  await client.query(`SET session_replication_role = origin`);
  // As a database that has been running a while: statistics, visibility map and hint bits set
  // (else the first reads write them, and autovacuum would start on the new rows mid-measurement).
  await timed('vacuum analyze', 'VACUUM (ANALYZE)');
  return timings;
}

/** EXPLAIN (ANALYZE, BUFFERS) of one statement, as text. */
async function explain(client: pg.Client, statement: { text: string; values: unknown[] }): Promise<string> {
  const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

const prismaStatement = (sql: Prisma.Sql) => ({ text: sql.text, values: sql.values as unknown[] });

interface Measured {
  name: string;
  who: 'agent' | 'admin';
  latencyMs: LatencySummary;
  failures: number;
  /** Rows of the last answer (what the page held). */
  rows: number | null;
}

/** Times `request` `runs` times in a row after 3 unmeasured warm-ups. */
async function timeIt(name: string, who: 'agent' | 'admin', request: (run: number) => Promise<{ ok: boolean; rows?: number }>): Promise<Measured> {
  for (let run = 0; run < 3; run += 1) await request(-1 - run);
  const samples: number[] = [];
  let failures = 0;
  let rows: number | null = null;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = await request(run);
    samples.push(performance.now() - started);
    if (!result.ok) failures += 1;
    rows = result.rows ?? null;
  }
  const measured = { name, who, latencyMs: summarize(samples), failures, rows };
  log(`  ${name} (${who}): p50 ${measured.latencyMs.p50} ms, p95 ${measured.latencyMs.p95} ms${failures ? `, ${failures} failed` : ''}`);
  return measured;
}

const cleanup = new Cleanup();
stopOnSignals(cleanup, log);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report is assembled step by step; its shape is in bench/README.md
const report: Record<string, any> = {
  bench: 'seamless-large-data',
  version: 1,
  startedAt: new Date().toISOString(),
  options: { conversations, messages, runs, longConversation },
  // Other processes slow a run down: compare runs made under similar load.
  loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  targetP95Ms,
};

async function main(): Promise<void> {
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  cleanup.add('database client', () => client.end());

  log(`seeding ${conversations} conversations and ${messages} messages ...`);
  const seedStarted = performance.now();
  report.seedMs = await seed(client);
  report.seedMs.total = Math.round(performance.now() - seedStarted);
  const sizes = await client.query<{ name: string; bytes: string }>(
    `SELECT relname AS name, pg_total_relation_size(oid)::text AS bytes FROM pg_class WHERE relname IN ('Message', 'Conversation', 'Message_body_trgm_idx')`,
  );
  report.sizesMb = Object.fromEntries(sizes.rows.map((row) => [row.name, Math.round(Number(row.bytes) / 1048576)]));

  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const api = NodeChild.start('api', 'api/main.ts', serviceEnv(infra, apiUrl), { cleanup, verbose: flags.verbose, log });
  await waitForHealth(apiUrl, api);
  api.ready = true;
  const http: HttpClient = createHttpClient(apiUrl, { maxSockets: 8, timeoutMs: 30_000 });
  cleanup.add('HTTP client', async () => http.close());
  log(`API ready at ${apiUrl}`);

  const login = async (email: string) => {
    const answer = await http.request('POST', '/api/auth/login', { body: { email, password: demoPassword } });
    if (answer.status !== 200) throw new Error(`login of ${email}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    return { token: answer.body.token as string, user: answer.body.user as { id: string; teamId: string | null } };
  };
  const agent = await login('agent@seamless.local');
  const admin = await login('admin@seamless.local');
  const tokenOf = { agent: agent.token, admin: admin.token };
  const get = async (who: 'agent' | 'admin', url: string) => {
    const answer = await http.request('GET', url, { token: tokenOf[who] });
    return answer;
  };
  const page = (who: 'agent' | 'admin', url: string) => async () => {
    const answer = await get(who, url);
    const body = answer.body as { conversations?: unknown[]; messages?: unknown[] } | null;
    return { ok: answer.status === 200, rows: (body?.conversations ?? body?.messages)?.length };
  };
  const cursorOf = async (who: 'agent' | 'admin', url: string) => {
    const answer = await get(who, url);
    if (answer.status !== 200 || typeof answer.body?.nextCursor !== 'string') throw new Error(`no next page of ${url}: HTTP ${answer.status}`);
    return answer.body.nextCursor as string;
  };

  // A server that has been up a while: its code compiled hot and its pools open. Not measured.
  const long = (await client.query<{ id: string }>(`SELECT ${idOf(`'c1'`)} AS id`)).rows[0]!.id;
  const warmUp = [
    ...['bot', 'queued', 'open', 'snoozed', 'resolved'].map((status) => `/api/conversations?status=${status}&limit=50`),
    `/api/conversations/${long}`,
    `/api/conversations/${long}/messages?limit=50`,
    ...searches.map((search) => `/api/conversations?q=${encodeURIComponent(search.q)}&limit=50`),
  ];
  for (let round = 0; round < 10; round += 1) for (const url of warmUp) await get(round % 2 === 0 ? 'agent' : 'admin', url);
  report.warmUpRequests = warmUp.length * 10;

  log(`timing, ${runs} runs each ...`);
  const results: Measured[] = [];
  results.push(await timeIt('login', 'agent', async () => ({ ok: Boolean((await login('agent@seamless.local')).token) })));
  for (const who of ['agent', 'admin'] as const) {
    results.push(await timeIt('inbox first page (open)', who, page(who, '/api/conversations?status=open&limit=50')));
    // The console's first screen: one page of each status it shows, at once.
    results.push(
      await timeIt('inbox first screen (5 statuses at once)', who, async () => {
        const answers = await Promise.all(
          ['bot', 'queued', 'open', 'snoozed', 'resolved'].map((status) => get(who, `/api/conversations?status=${status}&limit=50`)),
        );
        return {
          ok: answers.every((answer) => answer.status === 200),
          rows: answers.reduce((sum, answer) => sum + (answer.body?.conversations?.length ?? 0), 0),
        };
      }),
    );
    const next = await cursorOf(who, '/api/conversations?status=resolved&limit=50');
    results.push(await timeIt('inbox next page (resolved)', who, page(who, `/api/conversations?status=resolved&limit=50&cursor=${next}`)));
  }
  /** The cursor of the `pages`-th page of a list (or of its last page that has a next one), and which page that leads to. */
  const deepCursor = async (who: 'agent' | 'admin', url: string, pages: number) => {
    let cursor = await cursorOf(who, url);
    let reached = 2;
    while (reached <= pages) {
      const answer = await get(who, `${url}&cursor=${cursor}`);
      if (typeof answer.body?.nextCursor !== 'string') break;
      cursor = answer.body.nextCursor as string;
      reached += 1;
    }
    return { cursor, page: reached };
  };
  const deep = await deepCursor('admin', '/api/conversations?status=resolved&limit=50', 40);
  results.push(await timeIt(`inbox page ${deep.page} (resolved)`, 'admin', page('admin', `/api/conversations?status=resolved&limit=50&cursor=${deep.cursor}`)));

  results.push(
    await timeIt('conversation open (long: conversation + newest messages)', 'admin', async () => {
      const [one, list] = await Promise.all([get('admin', `/api/conversations/${long}`), get('admin', `/api/conversations/${long}/messages?limit=50`)]);
      return { ok: one.status === 200 && list.status === 200, rows: list.body?.messages?.length };
    }),
  );
  const older = await cursorOf('admin', `/api/conversations/${long}/messages?limit=50`);
  results.push(await timeIt('older messages page', 'admin', page('admin', `/api/conversations/${long}/messages?limit=50&cursor=${older}`)));
  const deepMessages = await deepCursor('admin', `/api/conversations/${long}/messages?limit=50`, 100);
  results.push(
    await timeIt(
      `older messages page ${deepMessages.page}`,
      'admin',
      page('admin', `/api/conversations/${long}/messages?limit=50&cursor=${deepMessages.cursor}`),
    ),
  );
  for (const search of searches) {
    results.push(await timeIt(search.name, 'agent', page('agent', `/api/conversations?q=${encodeURIComponent(search.q)}&limit=50`)));
  }
  results.push(await timeIt('search en common', 'admin', page('admin', `/api/conversations?q=refund&limit=50`)));
  report.results = results;
  const worst = Math.max(...results.filter((result) => result.name !== 'login').map((result) => result.latencyMs.p95 ?? Infinity));
  report.worstP95Ms = Math.round(worst * 10) / 10;
  report.targetMet = worst < targetP95Ms && results.every((result) => result.failures === 0);

  // The plans, of the statements the API runs (the message page as Prisma writes it, by hand).
  const agentViewer: StaffViewer = { kind: 'user', userId: agent.user.id, role: 'agent', teamId: agent.user.teamId };
  const plans: Record<string, string> = {};
  plans['inbox first page (agent, open)'] = await explain(client, prismaStatement(inboxPageSql(agentViewer, { status: 'open' }, null, 51)));
  for (const search of searches) plans[`${search.name} (agent)`] = await explain(client, prismaStatement(inboxPageSql(agentViewer, { q: search.q }, null, 51)));
  const messageSql = `SELECT id, "createdAt" FROM "Message" WHERE "conversationId" = $1::uuid AND "createdAt" <= $2 AND ("createdAt" < $2 OR id < $3::uuid) ORDER BY "createdAt" DESC, id DESC LIMIT 51`;
  const cursorRow = (
    await client.query<{ id: string; createdAt: Date }>(
      `SELECT id, "createdAt" FROM "Message" WHERE "conversationId" = $1 ORDER BY "createdAt" DESC, id DESC OFFSET 5000 LIMIT 1`,
      [long],
    )
  ).rows[0];
  plans['messages, newest page'] = await explain(client, {
    text: `SELECT id, "createdAt" FROM "Message" WHERE "conversationId" = $1::uuid ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
    values: [long],
  });
  if (cursorRow) plans['messages, page after 5,000'] = await explain(client, { text: messageSql, values: [long, cursorRow.createdAt, cursorRow.id] });
  report.plans = plans;
  const tmp = path.join(projectRoot, 'tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(
    path.join(tmp, 'bench-large-plans.txt'),
    Object.entries(plans)
      .map(([name, plan]) => `== ${name}\n${plan}\n`)
      .join('\n'),
  );
  report.apiErrors = api.errorLines;
}

function renderTable(): string {
  const rows = [['measurement', 'who', 'p50 ms', 'p95 ms', 'max ms', 'rows', 'failed']];
  for (const result of (report.results ?? []) as Measured[])
    rows.push([
      result.name,
      result.who,
      String(result.latencyMs.p50),
      String(result.latencyMs.p95),
      String(result.latencyMs.max),
      String(result.rows ?? '-'),
      String(result.failures),
    ]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, column) => (column === 0 || column === 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '),
  );
  return `${lines.join('\n')}\nworst p95 (sign-in aside) ${report.worstP95Ms ?? '-'} ms, target < ${targetP95Ms} ms: ${report.targetMet ? 'met' : 'NOT met'}; plans in tmp/bench-large-plans.txt\n`;
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  report.error = error instanceof Error ? error.message : String(error);
  log(`failed: ${report.error}`);
}
await cleanup.run(log);
report.finishedAt = new Date().toISOString();
report.loadAverageAtEnd = os.loadavg().map((load) => Math.round(load * 100) / 100);
const line = JSON.stringify(report);
mkdirSync(path.join(projectRoot, 'tmp'), { recursive: true });
writeFileSync(path.join(projectRoot, 'tmp', 'bench-large-latest.json'), `${line}\n`);
process.stdout.write(`${line}\n`);
process.stderr.write(renderTable());
process.exit(exitCode);
