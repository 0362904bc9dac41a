// The set-up most API tests repeat: signing in the demo staff, a widget customer with a
// conversation, an integration key. Works with any client of the API: the in-process app
// (in-process-api.ts), the in-process system (system.ts) or an API child process (api-client.ts).
import type { Db } from '../../infra/db.js';
import type { ApiClient } from './api-client.js';

/** The seeded demo staff (prisma/demo-data.ts): Frontline's Alex and Lina, the Specialists' Priya and Wang Wei. */
export const demoStaff = {
  admin: 'admin@seamless.local',
  agent: 'agent@seamless.local',
  lina: 'lina@seamless.local',
  expert: 'expert@seamless.local',
  wangwei: 'wangwei@seamless.local',
} as const;
export type DemoStaffMember = keyof typeof demoStaff;

type Client = Pick<ApiClient, 'request' | 'login' | 'visitor'>;

/** Bearer tokens of the named demo staff, signed in one after another (sign-in is rate-limited per address). */
export async function signIn<Who extends DemoStaffMember>(client: Client, ...who: Who[]): Promise<Record<Who, string>> {
  const tokens = {} as Record<Who, string>;
  for (const member of who) tokens[member] = await client.login(demoStaff[member]);
  return tokens;
}

export interface CustomerConversation {
  /** The widget visitor's token and customer id. */
  visitor: { token: string; customerId: string };
  conversationId: string;
  messageId: string;
}

/** A new widget visitor who opens a conversation with its first message. */
export async function startCustomerConversation(client: Client, options: { name?: string; body?: string } = {}): Promise<CustomerConversation> {
  const visitor = await client.visitor(options.name);
  const started = await client.request('POST', '/api/widget/conversations', {
    token: visitor.token,
    body: { body: options.body ?? 'Hello, I need help with my card' },
  });
  if (started.status !== 201) throw new Error(`starting a conversation failed: ${started.status} ${JSON.stringify(started.body)}`);
  return { visitor, conversationId: started.body.conversation.id as string, messageId: started.body.message.id as string };
}

/** A widget customer's conversation put in the Frontline team (Alex's and Lina's, not the Specialists'). */
export async function startFrontlineConversation(
  client: Client & { db: Pick<Db, 'team' | 'conversation'> },
  options: { name?: string; body?: string } = {},
): Promise<CustomerConversation> {
  const started = await startCustomerConversation(client, options);
  const frontline = await client.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } });
  await client.db.conversation.update({ where: { id: started.conversationId }, data: { teamId: frontline.id } });
  return started;
}

/** An integration API key with these scopes, created by the admin whose token this is. */
export async function createApiKey(client: Client, adminToken: string, scopes: string[], name = 'Test integration'): Promise<string> {
  const created = await client.request('POST', '/api/api-keys', { token: adminToken, body: { name, scopes } });
  if (created.status !== 201) throw new Error(`creating an API key failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.key as string;
}
