// The event-visibility matrix in docs/PERMISSIONS.md ("Events"), held against the running system:
// one event of every registered type about a conversation of visitor A's, a ticket of theirs, and
// the organisation, and for every role — admin, an agent of the conversation's team, an agent of
// another team, visitor A, visitor B, an API key with customers:read — what it receives over a
// socket's backlog, a socket's live push and the journey (GET /api/customers/:id/events).
//
// The first round of events is written before "routing" gives the conversation and the ticket a
// team (as real first events are); the backlog and the journey must judge them by the team the
// conversation has now. The second round is written after, and pushed live.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerOnlyEventTypes } from '../domain/event-audience.js';
import { allEventTypes, eventTypeRegistry, type EventSubject } from '../domain/events.js';
import { projectRoot } from '../infra/env.js';
import { appendEventOfAnyType } from '../infra/event-log.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

const roles = ['admin', 'agentInTeam', 'agentOutsideTeam', 'visitor', 'otherVisitor', 'integration'] as const;
type Role = (typeof roles)[number];
const columnOf: Record<Role, string> = {
  admin: 'admin',
  agentInTeam: 'agent in team',
  agentOutsideTeam: 'agent outside team',
  visitor: 'visitor (own)',
  otherVisitor: 'another visitor',
  integration: 'integration',
};
const socketRoles = ['admin', 'agentInTeam', 'agentOutsideTeam', 'visitor', 'otherVisitor'] as const;
type SocketRole = (typeof socketRoles)[number];

/** The "Events" table of docs/PERMISSIONS.md: event type → whether each role receives it. */
function readEventMatrix(): Map<string, Record<Role, boolean>> {
  const text = readFileSync(path.join(projectRoot, 'docs', 'PERMISSIONS.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('Events'));
  if (!section) throw new Error('docs/PERMISSIONS.md has no "## Events" section');
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  const split = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = split(rows[0] ?? '');
  const matrix = new Map<string, Record<Role, boolean>>();
  for (const line of rows.slice(2)) {
    const values = split(line);
    const type = values[0]?.replace(/`/g, '') ?? '';
    const entry = {} as Record<Role, boolean>;
    for (const role of roles) {
      const value = values[header.indexOf(columnOf[role])];
      if (value !== 'yes' && value !== 'no') throw new Error(`docs/PERMISSIONS.md, Events: "${type}" has "${value}" for ${columnOf[role]}`);
      entry[role] = value === 'yes';
    }
    if (matrix.has(type)) throw new Error(`docs/PERMISSIONS.md, Events, lists "${type}" twice`);
    matrix.set(type, entry);
  }
  return matrix;
}

const matrix = readEventMatrix();
// Internal details every conversation event carries for agents; none may reach a customer.
const secretTag = 'fraud-suspect-7f3a';
const subjectOf = new Map<string, EventSubject>(
  Object.entries(eventTypeRegistry).flatMap(([subject, types]) => types.map((type) => [type, subject as EventSubject] as const)),
);
const aboutOrganisation = (type: string) => subjectOf.get(type) === 'staff' || subjectOf.get(type) === 'audit';

let system: TestSystem;
const tokens = {} as Record<Exclude<Role, 'visitor' | 'otherVisitor'>, string>;
let visitor: { token: string; customerId: string };
let otherVisitor: { token: string; customerId: string };
let frontlineId: string;
/** The agent in team: the owner of the reminder events (written in their name), which no one else receives. */
let ownerId: string;
let specialistsId: string;
let conversationId: string;
let ticketId: string;
/** Visitor B's conversation with the Specialists team: its messages mark the end of a round for the roles that see it. */
let otherConversationId: string;

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  tokens.admin = await system.login('admin@seamless.local');
  tokens.agentInTeam = await system.login('agent@seamless.local');
  tokens.agentOutsideTeam = await system.login('expert@seamless.local');
  visitor = await system.visitor('Visitor A');
  otherVisitor = await system.visitor('Visitor B');
  const key = await system.request('POST', '/api/api-keys', { token: tokens.admin, body: { name: 'Journey reader', scopes: ['customers:read'] } });
  expect(key.status).toBe(201);
  tokens.integration = key.body.key;
  frontlineId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } })).id;
  ownerId = (await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
  specialistsId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } })).id;
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = (customerId: string, teamId: string | null) =>
    system.db.conversation.create({
      data: { workflowId: `matrix-${Math.random()}`, customerId, channelId: channel.id, teamId, tags: [secretTag], priority: 'urgent' },
    });
  conversationId = (await conversation(visitor.customerId, null)).id;
  otherConversationId = (await conversation(otherVisitor.customerId, specialistsId)).id;
  ticketId = (await system.db.ticket.create({ data: { workflowId: `matrix-${Math.random()}`, subject: 'Matrix ticket', customerId: visitor.customerId } })).id;
});

afterAll(async () => {
  await system?.stop();
});

/** Writes one event of every registered type with the scope its writers would give it; returns their ids by type. */
async function writeRound(teamId: string | null): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const type of allEventTypes) {
    const subject = subjectOf.get(type)!;
    const view = {
      id: conversationId,
      number: 1,
      status: 'open',
      tags: [secretTag],
      priority: 'urgent',
      tier: 'expert',
      teamId,
      firstResponseDueAt: '2030-01-01T00:00:00.000Z',
    };
    const event = await system.db.$transaction((tx) =>
      appendEventOfAnyType(tx, {
        type,
        actorKind: 'system',
        // An owner-only type (a reminder's) is addressed to its actor: the agent in team.
        actorId: ownerOnlyEventTypes.has(type) ? ownerId : null,
        // Written as visible to the customer (not internal): the type alone must keep the internal ones away.
        internal: false,
        ...(subject === 'conversation' ? { conversationId, customerId: visitor.customerId, teamId } : {}),
        ...(subject === 'ticket' ? { ticketId, customerId: visitor.customerId, teamId } : {}),
        // Organisation events written for one team: agents of another never get them.
        ...(aboutOrganisation(type) ? { teamId: frontlineId } : {}),
        payload: {
          conversation: view,
          message: {
            id: `m-${type}`,
            conversationId,
            authorKind: 'agent',
            body: `About ${type}`,
            private: false,
            createdAt: '2030-01-01T00:00:00.000Z',
            metadata: { kind: 'bot_answer', confidence: 0.5, tags: [secretTag] },
          },
        },
      }),
    );
    ids.set(type, event.id);
  }
  return ids;
}

/** A message in each of the two conversations; every socket role sees at least one, and once it has, it has seen all before it. */
async function writeSentinels(): Promise<string[]> {
  const ids: string[] = [];
  for (const [id, customerId, teamId] of [
    [conversationId, visitor.customerId, frontlineId],
    [otherConversationId, otherVisitor.customerId, specialistsId],
  ] as const) {
    const event = await system.db.$transaction((tx) =>
      appendEventOfAnyType(tx, {
        type: 'message.created',
        actorKind: 'system',
        conversationId: id,
        customerId,
        teamId,
        payload: { message: { id: `sentinel-${id}`, conversationId: id, body: 'sentinel' } },
      }),
    );
    ids.push(event.id);
  }
  return ids;
}

const tokenOf = (role: SocketRole) => (role === 'visitor' ? visitor.token : role === 'otherVisitor' ? otherVisitor.token : tokens[role]);

/** The last sentinel each role sees: visitor A's conversation (Frontline) is written first, visitor B's (Specialists) second. */
const lastSentinelOf: Record<SocketRole, 0 | 1> = { admin: 1, agentInTeam: 0, agentOutsideTeam: 1, visitor: 0, otherVisitor: 1 };
async function waitForRoundEnd(role: SocketRole, socket: TestSocket, sentinels: string[]): Promise<void> {
  await socket.waitForEvent((event) => event.id === sentinels[lastSentinelOf[role]]);
}

const expected = (role: Role, round: Map<string, string>) => [...round].filter(([type]) => matrix.get(type)![role]).map(([, id]) => id);
const receivedOf = (socket: TestSocket, round: Map<string, string>) => {
  const ids = new Set(round.values());
  return socket.events().flatMap((event) => (ids.has(event.id) ? [event.id] : []));
};
const typesOf = (round: Map<string, string>, ids: string[]) => {
  const typeOf = new Map([...round].map(([type, id]) => [id, type]));
  return ids.map((id) => typeOf.get(id)).sort();
};

describe('the event-visibility matrix (docs/PERMISSIONS.md, Events)', () => {
  it('has a row for every event type the product writes, and a type for every row', () => {
    expect(
      allEventTypes.filter((type) => !matrix.has(type)),
      'event types without a row',
    ).toEqual([]);
    expect(
      [...matrix.keys()].filter((type) => !allEventTypes.includes(type as never)),
      'rows that name no event type',
    ).toEqual([]);
  });

  it('gives every role exactly its events over the backlog, live push and the journey, judged by the subject as it is now', async () => {
    const before = (await system.db.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
    // Round 1: written while the conversation and the ticket have no team yet.
    const unrouted = await writeRound(null);
    // Routing gives them the Frontline team.
    await system.db.conversation.update({ where: { id: conversationId }, data: { teamId: frontlineId } });
    await system.db.ticket.update({ where: { id: ticketId }, data: { teamId: frontlineId } });

    const backlog = {} as Record<SocketRole, TestSocket>;
    const live = {} as Record<SocketRole, TestSocket>;
    for (const role of socketRoles) {
      backlog[role] = await system.socket(tokenOf(role), String(before));
      live[role] = await system.socket(tokenOf(role));
    }
    // Round 2: written with the team, pushed live.
    const routed = await writeRound(frontlineId);
    const sentinels = await writeSentinels();
    for (const role of socketRoles) {
      await waitForRoundEnd(role, backlog[role], sentinels);
      await waitForRoundEnd(role, live[role], sentinels);
    }

    for (const role of socketRoles) {
      expect(typesOf(unrouted, receivedOf(backlog[role], unrouted)), `${role}: backlog of events written before routing`).toEqual(
        typesOf(unrouted, expected(role, unrouted)),
      );
      expect(typesOf(routed, receivedOf(live[role], routed)), `${role}: live events`).toEqual(typesOf(routed, expected(role, routed)));
      expect(typesOf(routed, receivedOf(backlog[role], routed)), `${role}: the backlog socket, live after catching up`).toEqual(
        typesOf(routed, expected(role, routed)),
      );
    }

    // The journey: staff and the key read visitor A's events; organisation events are in no journey.
    for (const role of ['admin', 'agentInTeam', 'agentOutsideTeam', 'integration'] as const) {
      const journey = await system.request('GET', `/api/customers/${visitor.customerId}/events`, { token: tokens[role] });
      expect(journey.status).toBe(200);
      const ids: string[] = journey.body.events.map((event: { id: string }) => event.id);
      for (const round of [unrouted, routed]) {
        const aboutTheCustomer = new Map([...round].filter(([type]) => !aboutOrganisation(type)));
        expect(
          typesOf(
            round,
            ids.filter((id) => [...aboutTheCustomer.values()].includes(id)),
          ),
          `${role}: journey`,
        ).toEqual(typesOf(round, expected(role, aboutTheCustomer)));
      }
    }

    // What reaches the customer is cut down: no tags, priority, tier, team, SLA dates or confidence.
    const customerFrames = JSON.stringify([...backlog.visitor.events(), ...live.visitor.events()]);
    expect(customerFrames).toContain('About message.created');
    for (const internal of [secretTag, 'urgent', 'expert', frontlineId, 'firstResponseDueAt', 'confidence'])
      expect(customerFrames, internal).not.toContain(internal);
  });

  it("gives the visitor's REST answers the same cut: no tags, priority, tier, team, SLA dates or bot confidence", async () => {
    await system.db.conversation.update({ where: { id: conversationId }, data: { tier: 'expert', firstResponseDueAt: new Date('2030-01-01T00:00:00Z') } });
    await system.db.message.create({
      data: {
        conversationId,
        authorKind: 'bot',
        body: 'Freeze your card in the app.',
        metadata: { kind: 'bot_answer', confidence: 0.42, citations: [{ id: 'a1', title: 'Lost card', slug: 'lost-card', locale: 'en' }] },
      },
    });
    const listed = await system.request('GET', '/api/widget/conversations', { token: visitor.token });
    expect(listed.status).toBe(200);
    expect(listed.body.conversations.map((conversation: { id: string }) => conversation.id)).toContain(conversationId);
    const messages = await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token });
    expect(messages.status).toBe(200);
    expect(messages.body.messages[0].metadata).toEqual({ kind: 'bot_answer', citations: [{ id: 'a1', title: 'Lost card', slug: 'lost-card', locale: 'en' }] });
    const answers = JSON.stringify([listed.body, messages.body]);
    for (const internal of [secretTag, 'urgent', 'expert', frontlineId, 'firstResponseDueAt', 'slaState', 'confidence', 'tags', 'priority'])
      expect(answers, internal).not.toContain(internal);
  });

  it("judges an agent's open socket by the team they are moved to, at once", async () => {
    const agent = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    const socket = await system.socket(tokens.agentInTeam);
    const moved = await system.request('PATCH', `/api/users/${agent.id}`, { token: tokens.admin, body: { teamId: specialistsId } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // The socket is judged anew when the NOTIFY arrives, moments after the answer: a Specialists
    // event reaching it (its old team could not see one) shows the new team is in force.
    const [, firstSpecialists] = await writeSentinels();
    await socket.waitForEvent((event) => event.id === firstSpecialists);
    const [afterMove, lastSpecialists] = await writeSentinels();
    await socket.waitForEvent((event) => event.id === lastSpecialists);
    expect(socket.events().map((event) => event.id)).not.toContain(afterMove);
    // The backlog after the move is judged by the new team too.
    const fresh = await system.socket(tokens.agentInTeam, String(BigInt(afterMove!) - 1n));
    expect(fresh.events().map((event) => event.id)).not.toContain(afterMove);
    expect(fresh.events().map((event) => event.id)).toContain(lastSpecialists);
  });
});
