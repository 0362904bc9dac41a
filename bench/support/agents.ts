// The bench's agents. In the database (when the bench can reach it): extra agents beyond the four
// demo agents, and a capacity large enough that routing never queues during the run (restored
// at the end). Over the API: each agent logs in (which sets them online) and opens /ws.
import { createSeamlessClient, SeamlessApiError } from '@seamless/client';
import { hashPassword } from '../../infra/auth/passwords.js';
import { createDb } from '../../infra/db.js';
import { demoPassword, demoUsers } from '../../prisma/demo-data.js';
import { AgentSocket } from './agent-socket.js';
import type { HttpClient } from './http-client.js';
import type { Cleanup, Log } from './stack.js';

/** Agents the bench may log in as, demo ones first (the order of prisma/demo-data.ts). */
export const demoAgentEmails = demoUsers.filter((user) => user.role === 'agent').map((user) => user.email);
export const benchCapacity = 1000;
const extraAgentEmail = (index: number) => `bench-agent-${String(index).padStart(3, '0')}@seamless.local`;

export interface AgentPlan {
  emails: string[];
  extraAgentsCreated: number;
  capacityRaised: boolean;
  notes: string[];
}

/**
 * Creates the extra agents and raises the capacity of every agent the bench logs in as. Without a
 * database only the demo agents exist: the plan is capped at them and says so.
 */
export interface PrepareOptions {
  cleanup: Cleanup;
  log: Log;
  /** Put capacities back and extra agents offline at the end (for a database that outlives the run). */
  restore: boolean;
}

export async function prepareAgents(databaseUrl: string | null, wanted: number, options: PrepareOptions): Promise<AgentPlan> {
  const { cleanup, log } = options;
  const notes: string[] = [];
  if (!databaseUrl) {
    const emails = demoAgentEmails.slice(0, wanted);
    if (wanted > emails.length) notes.push(`only ${emails.length} agents (the demo agents): more need --database-url to create them`);
    notes.push('agent capacity not raised (no database access): routing may queue conversations once the agents are full');
    return { emails, extraAgentsCreated: 0, capacityRaised: false, notes };
  }

  const db = createDb(databaseUrl, { poolSize: 2 });
  try {
    const extras = Math.max(0, wanted - demoAgentEmails.length);
    const emails = [...demoAgentEmails.slice(0, wanted), ...Array.from({ length: extras }, (_, index) => extraAgentEmail(index + 1))];
    if (extras > 0) {
      const passwordHash = await hashPassword(demoPassword); // argon2 is slow on purpose: once
      const frontline = await db.team.findFirst({ where: { tier: 'junior' }, orderBy: { name: 'asc' } });
      for (const email of emails.slice(demoAgentEmails.length)) {
        const data = {
          name: `Bench ${email.split('@')[0]}`,
          passwordHash,
          role: 'agent' as const,
          tier: 'junior' as const,
          teamId: frontline?.id ?? null,
          capacity: benchCapacity,
          presence: 'online' as const,
        };
        await db.user.upsert({ where: { email }, create: { email, ...data }, update: data });
      }
      notes.push(`${extras} extra agents created in the database (tier junior, team ${frontline?.name ?? 'none'}, capacity ${benchCapacity}, online)`);
    }

    // Raise capacity so routing never queues (on a database that outlives the run, restored at the end).
    const before = await db.user.findMany({ where: { email: { in: emails } }, select: { email: true, capacity: true } });
    await db.user.updateMany({ where: { email: { in: emails } }, data: { capacity: benchCapacity } });
    if (options.restore) {
      cleanup.add('restore agent capacities', async () => {
        const restore = createDb(databaseUrl, { poolSize: 1 });
        try {
          for (const { email, capacity } of before) await restore.user.update({ where: { email }, data: { capacity } });
          // Bench agents must not take real conversations after the run.
          const benchOnly = emails.slice(demoAgentEmails.length);
          if (benchOnly.length) await restore.user.updateMany({ where: { email: { in: benchOnly } }, data: { presence: 'offline' } });
        } finally {
          await restore.$disconnect();
        }
      });
    }
    notes.push(
      `capacity of the bench's agents raised to ${benchCapacity} for the run${options.restore ? ' (restored at the end, extra agents set offline)' : ''} so routing never queues`,
    );
    log(`agents prepared: ${emails.length} (${extras} created)`);
    return { emails, extraAgentsCreated: extras, capacityRaised: true, notes };
  } finally {
    await db.$disconnect();
  }
}

export interface LoggedInAgent {
  email: string;
  userId: string;
  token: string;
  socket: AgentSocket;
  /** Which of the APIs (index into the targets) the socket is connected to. */
  api: number;
}

/** One API process: its client and its address. */
export interface ApiTarget {
  http: HttpClient;
  apiUrl: string;
}

/** Opens a signed-in user's socket on an API and waits for `ready`. */
export async function openUserSocket(apiUrl: string, token: string, label: string, userId: string, runTag: string, cleanup: Cleanup): Promise<AgentSocket> {
  const url = new URL('/ws', apiUrl.replace(/^http/, 'ws'));
  url.searchParams.set('token', token);
  const socket = await AgentSocket.open(url.toString(), { label, userId, runTag, waitForReady: true });
  cleanup.add(`WebSocket of ${label}`, () => socket.close());
  return socket;
}

/** Logs a user in through an API with the typed client (@seamless/client; setup, not measured); their token and id. */
export async function login(http: HttpClient, email: string): Promise<{ token: string; userId: string }> {
  const answer = await createSeamlessClient({ baseUrl: http.baseUrl })
    .call('POST /api/auth/login', { body: { email, password: demoPassword } })
    .catch((error: unknown) => {
      const reason = error instanceof SeamlessApiError ? `HTTP ${error.status} ${error.code}: ${error.message}` : `no response (${String(error)})`;
      throw new Error(`login of ${email} failed: ${reason}`);
    });
  if (!('token' in answer)) throw new Error(`login of ${email} asks for a second factor`);
  return { token: answer.token, userId: answer.user.id };
}

/** Logs each agent in (online) and opens its WebSocket; waits for `ready` on each. */
export function connectAgents(http: HttpClient, apiUrl: string, emails: string[], runTag: string, cleanup: Cleanup): Promise<LoggedInAgent[]> {
  return connectAgentsAcross([{ http, apiUrl }], emails, runTag, cleanup);
}

/** connectAgents over several APIs: agent i logs in and connects through API i mod n. */
export async function connectAgentsAcross(targets: readonly ApiTarget[], emails: string[], runTag: string, cleanup: Cleanup): Promise<LoggedInAgent[]> {
  const agents: LoggedInAgent[] = [];
  for (const [index, email] of emails.entries()) {
    const api = index % targets.length;
    const { http, apiUrl } = targets[api]!;
    const { token, userId } = await login(http, email);
    const socket = await openUserSocket(apiUrl, token, email, userId, runTag, cleanup);
    agents.push({ email, userId, token, socket, api });
  }
  return agents;
}

/** The demo admin, who sees every conversation: one socket per API observes that API's fan-out. */
export const observerEmail = demoUsers.find((user) => user.role === 'admin')!.email;
