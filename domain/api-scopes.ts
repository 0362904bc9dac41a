// What an integration's API key may do. The one list of scopes: the API checks them route by
// route (`requireScope` in api/authentication.ts), docs/PERMISSIONS.md names them in its cells,
// and the console can show the descriptions when an admin creates a key.

export const apiScopes = {
  'conversations:read': 'List and read every conversation and its messages, private notes included.',
  'conversations:write': 'Post replies and private notes in any conversation (as the system, on the agents’ side).',
  'tickets:read': 'List and read every ticket.',
  'tickets:write': 'Create tickets, also from a conversation.',
  'customers:read': "Read contacts (list, search, profiles) and a customer's journey (every event about them).",
  'knowledge:read': 'List, search and read knowledge articles, drafts included.',
  'knowledge:write': 'Create, edit and delete knowledge articles.',
  'webhooks:manage': 'Manage outgoing webhook endpoints: create, change and delete them, read their delivery logs, redeliver, send test events.',
} as const satisfies Record<string, string>;

export type ApiScope = keyof typeof apiScopes;

export const apiScopeNames = Object.keys(apiScopes) as ApiScope[];

export const isApiScope = (value: string): value is ApiScope => Object.hasOwn(apiScopes, value);
