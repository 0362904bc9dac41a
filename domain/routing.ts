// Choosing an agent. Deciding is pure; writing the assignment is a separate, idempotent step.

export interface AgentCandidate {
  id: string;
  /** Open conversations the agent holds now. */
  openCount: number;
  capacity: number;
  /** When the agent was last given a conversation; null if never. */
  lastAssignedAt: Date | null;
}

/**
 * The least-loaded agent with free capacity; ties go to the one idle longest (never assigned
 * counts as idle longest), then to the smaller id so the choice is stable. Null when nobody
 * has capacity: the conversation waits in the queue.
 */
export function pickAgent(candidates: readonly AgentCandidate[]): AgentCandidate | null {
  const available = candidates.filter((agent) => agent.openCount < agent.capacity);
  const idleSince = (agent: AgentCandidate) => agent.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const sorted = [...available].sort((a, b) => a.openCount - b.openCount || idleSince(a) - idleSince(b) || a.id.localeCompare(b.id));
  return sorted[0] ?? null;
}
