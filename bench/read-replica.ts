// `npx tsx bench/read-replica.ts`: does moving the reports to a read replica (DATABASE_READ_URL,
// infra/read-replica.ts) help the message path? An embedded primary with a report-sized history
// (conversations and messages spread over half a year, seeded in SQL) and a streaming hot standby
// of it (infra/local/postgres-replica.ts), on this machine. Three phases of the same length:
// message-shaped writes alone (one row per commit, durable, from several clients: the raw
// baseline's shape, not the whole message path), then the same writes while report loops run the
// overview report (api/services/report-overview.ts, half a year by day) on the primary, then with
// the report loops on the replica. Per phase: writes/s, reports/s, the CPU of the primary's and
// the replica's process trees, and how far the replica's replay was behind at the end. One JSON
// line on stdout (also tmp/bench-read-replica-latest.json) and a table on stderr.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { readOverview } from '../api/services/report-overview.js';
import { createDb, type Db } from '../infra/db.js';
import { projectRoot } from '../infra/env.js';
import { startEmbeddedPostgres, type EmbeddedRunningPostgres } from '../infra/local/postgres.js';
import { startStreamingReplica } from '../infra/local/postgres-replica.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { seedDemoData } from '../prisma/seed.js';
import { freePort } from './support/free-port.js';

const log = (line: string) => process.stderr.write(`[bench:read-replica] ${line}\n`);
const { values: flags } = parseArgs({
  options: {
    conversations: { type: 'string', default: '20000' },
    messages: { type: 'string', default: '400000' },
    seconds: { type: 'string', default: '20' },
    writers: { type: 'string', default: '4' },
    readers: { type: 'string', default: '2' },
  },
});
const [conversations, messages, seconds, writers, readers] = [flags.conversations, flags.messages, flags.seconds, flags.writers, flags.readers].map(Number) as [
  number,
  number,
  number,
  number,
  number,
];

/** A deterministic id from a SQL text expression (as bench/large-data.ts). */
const idOf = (expression: string) => `overlay(overlay(md5(${expression}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Half a year of conversations (every status) and their messages, in SQL; triggers and foreign-key checks off for the load. */
async function seed(client: pg.Client): Promise<void> {
  await client.query(`SET session_replication_role = replica; SET synchronous_commit = off`);
  const channel = (await client.query<{ id: string }>(`SELECT id FROM "Channel" WHERE kind = 'web_chat' LIMIT 1`)).rows[0]!.id;
  const agent = (await client.query<{ id: string }>(`SELECT id FROM "User" WHERE role = 'agent' ORDER BY email LIMIT 1`)).rows[0]!.id;
  await client.query(
    `INSERT INTO "Customer" (id, name, email, "createdAt", "updatedAt") SELECT ${idOf(`'cu' || i`)}, 'Customer ' || i, 'customer' || i || '@example.com', now(), now()
     FROM generate_series(1, ${conversations}) i`,
  );
  await client.query(
    `INSERT INTO "Conversation" (id, "workflowId", "customerId", "channelId", status, "lastMessageAt", "createdAt", "updatedAt", "resolvedAt")
     SELECT ${idOf(`'c' || i`)}, 'bench-replica-' || i, ${idOf(`'cu' || i`)}, '${channel}'::uuid,
       (ARRAY['resolved','resolved','resolved','open','queued','closed']::"ConversationStatus"[])[1 + i % 6],
       now() - (i * interval '180 days' / ${conversations}), now() - (i * interval '180 days' / ${conversations}) - interval '2 hours', now(),
       CASE WHEN i % 6 IN (0, 1, 2, 5) THEN now() - (i * interval '180 days' / ${conversations}) END
     FROM generate_series(1, ${conversations}) i`,
  );
  const perConversation = Math.max(2, Math.floor(messages / conversations));
  await client.query(
    `INSERT INTO "Message" (id, "conversationId", "authorKind", "authorUserId", "customerId", body, "createdAt")
     SELECT gen_random_uuid(), ${idOf(`'c' || c`)}, CASE WHEN m % 2 = 0 THEN 'customer'::"AuthorKind" ELSE 'agent'::"AuthorKind" END,
       CASE WHEN m % 2 = 1 THEN '${agent}'::uuid END, CASE WHEN m % 2 = 0 THEN ${idOf(`'cu' || c`)} END,
       'Message ' || m || ' of conversation ' || c || ': my order has not arrived yet',
       now() - (c * interval '180 days' / ${conversations}) - interval '2 hours' + m * interval '3 minutes'
     FROM generate_series(1, ${conversations}) c, generate_series(0, ${perConversation - 1}) m`,
  );
  await client.query(`SET session_replication_role = origin`);
  await client.query('VACUUM (ANALYZE)');
}

const now = new Date();
/** The overview over the seeded half year, by day. */
const period = { from: new Date(now.getTime() - 181 * 86_400_000), to: now, timeZone: 'UTC', bucket: 'day' as const };

/** CPU ticks (1/100 s) so far of each process of a server's tree (the server and its backends): pid → ticks. */
function treeTicks(pid: number | null): Map<number, number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // ended meanwhile
    }
  }
  const tree = new Map<number, number>();
  for (const [candidate, stat] of stats) {
    for (let current: number | undefined = candidate; pid && current && current > 1; current = stats.get(current)?.ppid) {
      if (current === pid) {
        tree.set(candidate, stat.ticks);
        break;
      }
    }
  }
  return tree;
}

/** Busy ticks of the whole machine (all cores) so far. */
function machineBusyTicks(): number {
  const values = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return values.reduce((sum, value) => sum + value, 0) - (values[3] ?? 0) - (values[4] ?? 0);
}

/** Ticks spent between two readings: a process that started meanwhile counts whole, one that ended is lost (never negative). */
function ticksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += Math.max(0, now - (before.get(pid) ?? 0));
  return ticks;
}

interface Phase {
  phase: string;
  writesPerS: number;
  reportsPerS: number;
  reportMsP50: number | null;
  primaryCores: number;
  replicaCores: number;
  benchCores: number;
  otherCores: number;
  replayLagBytes: number;
}

async function runPhase(name: string, primary: EmbeddedRunningPostgres, replica: EmbeddedRunningPostgres, reportDb: Db | null): Promise<Phase> {
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const client = new pg.Client({ connectionString: primary.url });
      await client.connect();
      return client;
    }),
  );
  const until = Date.now() + seconds * 1000;
  let writes = 0;
  const reportTimes: number[] = [];
  const ticksBefore = { primary: treeTicks(primary.pid()), replica: treeTicks(replica.pid()), machine: machineBusyTicks() };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const writeLoop = async (client: pg.Client, n: number) => {
    for (let i = 0; Date.now() < until; i += 1) {
      const conversation = 1 + ((n * 7919 + i) % conversations);
      await client.query(
        `INSERT INTO "Message" (id, "conversationId", "authorKind", "customerId", body) VALUES (gen_random_uuid(), ${idOf('$1')}, 'customer', ${idOf('$2')}, $3)`,
        [`c${conversation}`, `cu${conversation}`, `A new message ${i} from writer ${n}`],
      );
      writes += 1;
    }
  };
  const reportLoop = async (db: Db) => {
    while (Date.now() < until) {
      const reportStarted = performance.now();
      await readOverview(db, period);
      reportTimes.push(performance.now() - reportStarted);
    }
  };
  await Promise.all([...clients.map(writeLoop), ...(reportDb ? Array.from({ length: readers }, () => reportLoop(reportDb)) : [])]);
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cores = (ticks: number) => Math.round((ticks / 100 / wallS) * 100) / 100;
  const phase: Phase = {
    phase: name,
    writesPerS: Math.round(writes / wallS),
    reportsPerS: Math.round((reportTimes.length / wallS) * 100) / 100,
    reportMsP50: reportTimes.length ? Math.round(reportTimes.sort((a, b) => a - b)[Math.floor(reportTimes.length / 2)]!) : null,
    primaryCores: cores(ticksBetween(ticksBefore.primary, treeTicks(primary.pid()))),
    replicaCores: cores(ticksBetween(ticksBefore.replica, treeTicks(replica.pid()))),
    benchCores: Math.round(((cpu.user + cpu.system) / 1e6 / wallS) * 100) / 100,
    otherCores: 0,
    replayLagBytes: 0,
  };
  // Whatever else ran on the machine meanwhile (other users' builds and tests).
  phase.otherCores = Math.max(
    0,
    Math.round((cores(machineBusyTicks() - ticksBefore.machine) - phase.primaryCores - phase.replicaCores - phase.benchCores) * 100) / 100,
  );
  await Promise.all(clients.map((client) => client.end()));
  const lag = new pg.Client({ connectionString: primary.url });
  await lag.connect();
  const [row] = (
    await lag.query<{ bytes: string | null }>(`SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::text AS bytes FROM pg_stat_replication`)
  ).rows;
  await lag.end();
  phase.replayLagBytes = Number(row?.bytes ?? 0);
  log(`${name}: ${JSON.stringify(phase)}`);
  return phase;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-bench-replica-'));
const replicaDir = `${dataDir}-replica`;
let primary: EmbeddedRunningPostgres | null = null;
let replica: EmbeddedRunningPostgres | null = null;
const dbs: Db[] = [];
try {
  log(`seeding ${conversations} conversations and about ${messages} messages ...`);
  primary = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'seamless' });
  await applyMigrations(primary.url);
  const setup = createDb(primary.url, { poolSize: 2 });
  await seedDemoData(setup);
  await setup.$disconnect();
  const client = new pg.Client({ connectionString: primary.url });
  await client.connect();
  await seed(client);
  await client.end();
  log('starting the replica ...');
  replica = await startStreamingReplica(primary, dataDir, { dataDir: replicaDir, port: await freePort() });
  const primaryDb = createDb(primary.url, { poolSize: readers });
  const replicaDb = createDb(replica.url, { poolSize: readers });
  dbs.push(primaryDb, replicaDb);
  // Warm both servers' caches and plans with the report once, unmeasured.
  await readOverview(primaryDb, period);
  await readOverview(replicaDb, period);
  const phases = [
    await runPhase('writes alone', primary, replica, null),
    await runPhase('writes + reports on the primary', primary, replica, primaryDb),
    await runPhase('writes + reports on the replica', primary, replica, replicaDb),
  ];
  const result = { bench: 'read-replica', at: new Date().toISOString(), conversations, messages, seconds, writers, readers, cores: os.cpus().length, phases };
  mkdirSync(path.join(projectRoot, 'tmp'), { recursive: true });
  writeFileSync(path.join(projectRoot, 'tmp', 'bench-read-replica-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const header = '| phase | writes/s | reports/s | report p50 ms | primary cores | replica cores | bench cores | other processes, cores | replay lag bytes |';
  const rows = phases.map(
    (p) =>
      `| ${p.phase} | ${p.writesPerS} | ${p.reportsPerS} | ${p.reportMsP50 ?? '—'} | ${p.primaryCores} | ${p.replicaCores} | ${p.benchCores} | ${p.otherCores} | ${p.replayLagBytes} |`,
  );
  process.stderr.write(`\n${header}\n|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
} finally {
  for (const db of dbs) await db.$disconnect();
  await replica?.stop();
  await primary?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(replicaDir, { recursive: true, force: true });
}
