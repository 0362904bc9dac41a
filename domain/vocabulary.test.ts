// domain/vocabulary.ts mirrors the enums of prisma/schema.prisma (domain/ may not import Prisma,
// so the values are written twice); this fails when the two drift apart.
import { describe, expect, it } from 'vitest';
import * as enums from '../prisma/generated/enums.js';
import * as vocabulary from './vocabulary.js';

/** Each value list in vocabulary.ts and the Prisma enum it mirrors. */
const mirrors: Record<keyof typeof vocabulary, Record<string, string>> = {
  conversationStatuses: enums.ConversationStatus,
  waitingOnValues: enums.WaitingOn,
  priorities: enums.Priority,
  routingTiers: enums.RoutingTier,
  authorKinds: enums.AuthorKind,
  userRoles: enums.UserRole,
  agentTiers: enums.AgentTier,
  presences: enums.Presence,
  ticketStatuses: enums.TicketStatus,
  channelKinds: enums.ChannelKind,
  slaStates: enums.SlaState,
};

const sorted = (values: readonly string[]) => [...values].sort();

describe('domain vocabulary', () => {
  it('pairs every exported value list with a Prisma enum', () => {
    const lists = Object.entries(vocabulary)
      .filter(([, value]) => Array.isArray(value))
      .map(([name]) => name);
    expect(sorted(lists)).toEqual(sorted(Object.keys(mirrors)));
  });

  for (const [name, prismaEnum] of Object.entries(mirrors)) {
    it(`${name} holds exactly the values of its Prisma enum`, () => {
      const list = vocabulary[name as keyof typeof vocabulary];
      expect(sorted(list)).toEqual(sorted(Object.values(prismaEnum)));
    });
  }

  it('has no duplicate values in any list', () => {
    for (const list of Object.values(vocabulary)) expect(new Set(list).size).toBe(list.length);
  });

  it('orders priorities as the schema does, lowest first (PostgreSQL sorts enums by declaration)', () => {
    expect(vocabulary.priorities).toEqual(Object.values(enums.Priority));
    expect(vocabulary.priorities[0]).toBe('low');
  });
});
