// The conversation phase: widget visitors, then POST /api/widget/conversations at a fixed
// concurrency (each 201 has started the conversation's Temporal workflow), then the routing
// decision as seen by the agents: 201 → `conversation.assigned` on any agent socket.
import { performance } from 'node:perf_hooks';
import type { AgentSocket } from './agent-socket.js';
import { EndpointTally, runPool, type HttpClient } from './http-client.js';
import { perSecond, summarize, type LatencySummary } from './stats.js';

export interface Visitor {
  token: string;
  customerId: string;
}

export interface StartedConversation {
  index: number;
  id: string;
  visitor: Visitor;
  startedAt: number;
  respondedAt: number;
}

export async function createVisitors(
  http: HttpClient,
  count: number,
  concurrency: number,
  label: string,
): Promise<{ visitors: (Visitor | null)[]; tally: EndpointTally; perSecond: number | null }> {
  const tally = new EndpointTally('POST /api/widget/visitors');
  const visitors: (Visitor | null)[] = Array.from({ length: count }, () => null);
  const started = performance.now();
  await runPool(count, concurrency, async (index) => {
    const result = await http.request('POST', '/api/widget/visitors', { body: { name: `${label} ${index}` } });
    if (tally.add(result, 201)) visitors[index] = { token: result.body.token as string, customerId: result.body.customer.id as string };
  });
  return { visitors, tally, perSecond: perSecond(tally.ok, performance.now() - started) };
}

export interface ConversationLoadResult {
  conversations: StartedConversation[];
  attempted: number;
  created: number;
  concurrency: number;
  windowMs: number;
  conversationsPerSecond: number | null;
  httpLatencyMs: LatencySummary;
  tally: EndpointTally;
}

export async function startConversations(
  http: HttpClient,
  visitors: readonly (Visitor | null)[],
  options: { concurrency: number; runTag: string; phase: string },
): Promise<ConversationLoadResult> {
  const tally = new EndpointTally('POST /api/widget/conversations');
  const conversations: StartedConversation[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let attempted = 0;
  await runPool(visitors.length, options.concurrency, async (index) => {
    const visitor = visitors[index];
    if (!visitor) return;
    attempted += 1;
    const marker = `${options.runTag}:${options.phase}${index}`;
    const result = await http.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: `Hello, bench customer ${index} here, I have a question [${marker}]` },
      headers: { 'idempotency-key': `bench-${marker}` },
    });
    first = Math.min(first, result.startedAt);
    last = Math.max(last, result.endedAt);
    if (tally.add(result, 201)) {
      conversations.push({ index, id: result.body.conversation.id as string, visitor, startedAt: result.startedAt, respondedAt: result.endedAt });
    }
  });
  conversations.sort((a, b) => a.index - b.index);
  const windowMs = last > first ? last - first : 0;
  return {
    conversations,
    attempted,
    created: conversations.length,
    concurrency: options.concurrency,
    windowMs: Math.round(windowMs),
    conversationsPerSecond: perSecond(conversations.length, windowMs),
    httpLatencyMs: summarize(conversations.map((conversation) => conversation.respondedAt - conversation.startedAt)),
    tally,
  };
}

export interface RoutingResult {
  assigned: number;
  /** Created conversations no socket saw assigned within the wait. */
  unassigned: number;
  /** 201 → first `conversation.assigned` on any agent socket (0 when the event came first). */
  latencyMs: LatencySummary;
  /** Request sent → first `conversation.assigned`: includes the create request itself. */
  fromRequestMs: LatencySummary;
  assignedBeforeResponse: number;
  /** Conversations per assignee user id (to see how routing spread them). */
  perAssignee: Record<string, number>;
  waitedMs: number;
}

/** First assignment of a conversation across all sockets. */
export function firstAssignment(sockets: readonly AgentSocket[], conversationId: string) {
  let best: { at: number; assigneeId: string | null } | undefined;
  for (const socket of sockets) {
    const seen = socket.assignments.get(conversationId);
    if (seen && (!best || seen.at < best.at)) best = seen;
  }
  return best;
}

export async function measureRouting(conversations: readonly StartedConversation[], sockets: readonly AgentSocket[], waitMs: number): Promise<RoutingResult> {
  const started = performance.now();
  while (performance.now() - started < waitMs && conversations.some((conversation) => !firstAssignment(sockets, conversation.id))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const latencies: number[] = [];
  const fromRequest: number[] = [];
  const perAssignee: Record<string, number> = {};
  let beforeResponse = 0;
  for (const conversation of conversations) {
    const assignment = firstAssignment(sockets, conversation.id);
    if (!assignment) continue;
    const latency = assignment.at - conversation.respondedAt;
    if (latency < 0) beforeResponse += 1;
    latencies.push(Math.max(0, latency));
    fromRequest.push(assignment.at - conversation.startedAt);
    const key = assignment.assigneeId ?? 'none';
    perAssignee[key] = (perAssignee[key] ?? 0) + 1;
  }
  return {
    assigned: latencies.length,
    unassigned: conversations.length - latencies.length,
    latencyMs: summarize(latencies),
    fromRequestMs: summarize(fromRequest),
    assignedBeforeResponse: beforeResponse,
    perAssignee,
    waitedMs: Math.round(performance.now() - started),
  };
}
