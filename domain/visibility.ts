// Who may see what. The API and the realtime server both ask these functions, so REST and
// WebSocket enforce one rule.

import type { ApiScope } from './api-scopes.js';
import type { UserRole } from './vocabulary.js';

export type Viewer =
  | { kind: 'user'; userId: string; role: UserRole; teamId: string | null }
  | { kind: 'customer'; customerId: string }
  /** An integration's API key: what it may do is its scopes (checked by the API, route by route). */
  | { kind: 'integration'; apiKeyId: string; scopes: readonly ApiScope[] };

/** Agents, admins and integrations: the console's side of a conversation. */
export type StaffViewer = Exclude<Viewer, { kind: 'customer' }>;

/** The part of a conversation (or of an event about it) that decides who sees it. */
export interface Scope {
  customerId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  /** Internal items (private notes, routing details) are never shown to customers. */
  internal: boolean;
}

/**
 * Admins see everything. Agents see what is assigned to them, what belongs to their team, and
 * what belongs to no team yet. Customers see their own non-internal items only. Integrations
 * see everything, like admins: their scopes decide which kinds of things they may read at all.
 */
export function canSee(viewer: Viewer, scope: Scope): boolean {
  if (viewer.kind === 'customer') return !scope.internal && scope.customerId === viewer.customerId;
  if (viewer.kind === 'integration' || viewer.role === 'admin') return true;
  return scope.assigneeId === viewer.userId || scope.teamId === null || scope.teamId === viewer.teamId;
}
