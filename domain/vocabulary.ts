// The values stored in PostgreSQL and carried in workflow histories. They mirror the enums of
// prisma/schema.prisma; a unit test fails if the two drift apart.

export const conversationStatuses = ['bot', 'queued', 'open', 'snoozed', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const waitingOnValues = ['agent', 'customer'] as const;
export type WaitingOn = (typeof waitingOnValues)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const routingTiers = ['self_service', 'junior', 'expert'] as const;
export type RoutingTier = (typeof routingTiers)[number];

export const authorKinds = ['customer', 'agent', 'bot', 'system'] as const;
export type AuthorKind = (typeof authorKinds)[number];

export const userRoles = ['admin', 'agent'] as const;
export type UserRole = (typeof userRoles)[number];

export const agentTiers = ['junior', 'expert'] as const;
export type AgentTier = (typeof agentTiers)[number];

export const presences = ['online', 'away', 'offline'] as const;
export type Presence = (typeof presences)[number];

export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const channelKinds = ['web_chat', 'email', 'api'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const slaStates = ['none', 'ok', 'warning', 'breached', 'paused'] as const;
export type SlaState = (typeof slaStates)[number];
