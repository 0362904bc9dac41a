// The one factory the worker calls: every activity, built from real dependencies.
import { createConversationActivities, type ActivityDeps } from './conversation-activities.js';

export type { ActivityDeps };

export function createActivities(deps: ActivityDeps) {
  return { ...createConversationActivities(deps) };
}
