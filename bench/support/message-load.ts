// The message-phase client pattern, shared by the product and the raw baseline: every customer
// sends its messages with a small window of requests in flight, all customers at once, under a
// global in-flight cap (optionally paced to a fixed rate). Each body ends with a unique marker,
// so a WebSocket event is matched to its send whichever arrives first: the event or the 201.
import { performance } from 'node:perf_hooks';
import type { AgentSocket } from './agent-socket.js';
import { EndpointTally, Semaphore, type HttpResult } from './http-client.js';
import { largest, perSecond, smallest, summarize, type LatencySummary } from './stats.js';

export interface MessageLoadOptions {
  customers: number;
  messages: number;
  durationS: number | null;
  window: number;
  maxInFlight: number;
  rate: number | null;
  runTag: string;
  /** Distinguishes the markers of different phases ('m' product, 'r' raw, 'w' warm-up). */
  phase: string;
  send(customer: number, body: string, marker: string): Promise<HttpResult>;
  tally: EndpointTally;
}

export interface Send {
  marker: string;
  customer: number;
  sentAt: number;
  respondedAt: number;
  accepted: boolean;
  messageId: string | null;
}

export interface MessageLoadResult {
  sends: Send[];
  attempted: number;
  accepted: number;
  /** From the first request to the last response, in ms. */
  windowMs: number;
  acceptedPerSecond: number | null;
  httpLatencyMs: LatencySummary;
}

export const messageBody = (customer: number, index: number, marker: string) => `Hello, bench customer ${customer} here, note ${index} [${marker}]`;

export async function runMessageLoad(options: MessageLoadOptions): Promise<MessageLoadResult> {
  const sends: Send[] = [];
  const inFlight = new Semaphore(options.maxInFlight);
  const phaseStart = performance.now();
  const deadline = options.durationS === null ? Number.POSITIVE_INFINITY : phaseStart + options.durationS * 1000;
  const interval = options.rate ? 1000 / options.rate : 0;
  let scheduled = 0;
  let seq = 0;

  const customer = async (index: number) => {
    let next = 0;
    const lane = async () => {
      for (;;) {
        if (options.durationS === null ? next >= options.messages : performance.now() >= deadline) return;
        const messageIndex = next++;
        await inFlight.acquire();
        try {
          if (interval) {
            const slot = phaseStart + scheduled++ * interval;
            const wait = slot - performance.now();
            if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
            if (performance.now() >= deadline) return;
          }
          const marker = `${options.runTag}:${options.phase}${seq++}`;
          const result = await options.send(index, messageBody(index, messageIndex, marker), marker);
          const accepted = options.tally.add(result, 201);
          sends.push({
            marker,
            customer: index,
            sentAt: result.startedAt,
            respondedAt: result.endedAt,
            accepted,
            messageId: accepted ? ((result.body?.message?.id as string | undefined) ?? null) : null,
          });
        } finally {
          inFlight.release();
        }
      }
    };
    await Promise.all(Array.from({ length: options.window }, lane));
  };

  await Promise.all(Array.from({ length: options.customers }, (_, index) => customer(index)));
  const first = smallest(sends.map((send) => send.sentAt));
  const last = largest(sends.map((send) => send.respondedAt));
  const windowMs = sends.length ? last - first : 0;
  const acceptedSends = sends.filter((send) => send.accepted);
  return {
    sends,
    attempted: sends.length,
    accepted: acceptedSends.length,
    windowMs: Math.round(windowMs),
    acceptedPerSecond: perSecond(acceptedSends.length, windowMs),
    httpLatencyMs: summarize(acceptedSends.map((send) => send.respondedAt - send.sentAt)),
  };
}

export interface DeliveryResult {
  /** Accepted messages some agent socket received. */
  delivered: number;
  /** Accepted messages no socket received within the drain time. */
  missing: number;
  /** Send → receive on the conversation's assignee's socket (else the first socket that got it). */
  latencyMs: LatencySummary;
  matchedBy: { assignee: number; firstSocket: number };
  /** Events that arrived before the HTTP response did (the marker makes the order irrelevant). */
  eventBeforeResponse: number;
  /** Events whose message id differs from the id in the 201 (should be 0). */
  idMismatches: number;
  /** Messages whose request failed but whose event still arrived (stored, then the response was lost). */
  deliveredWithoutAcceptance: number;
  drainWaitMs: number;
  /** With `windows`: the latency of the messages sent in each window (e.g. each minute of a soak), in order. */
  byWindow?: LatencySummary[];
}

/** Waits (up to drainMs) until every accepted message reached a socket, then measures delivery. */
export async function measureDelivery(
  sends: readonly Send[],
  sockets: readonly AgentSocket[],
  assigneeOf: (customer: number) => string | null,
  drainMs: number,
  windows?: { startAt: number; sizeMs: number },
): Promise<DeliveryResult> {
  const seenAnywhere = (marker: string) => sockets.some((socket) => socket.messages.has(marker));
  const drainStart = performance.now();
  while (performance.now() - drainStart < drainMs && sends.some((send) => send.accepted && !seenAnywhere(send.marker))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const drainWaitMs = Math.round(performance.now() - drainStart);

  const socketOf = new Map(sockets.map((socket) => [socket.userId, socket]));
  const latencies: number[] = [];
  const windowed: number[][] = [];
  const result: Omit<DeliveryResult, 'latencyMs' | 'drainWaitMs'> = {
    delivered: 0,
    missing: 0,
    matchedBy: { assignee: 0, firstSocket: 0 },
    eventBeforeResponse: 0,
    idMismatches: 0,
    deliveredWithoutAcceptance: 0,
  };
  for (const send of sends) {
    const assignee = assigneeOf(send.customer);
    const own = assignee ? socketOf.get(assignee)?.messages.get(send.marker) : undefined;
    let received = own;
    if (!received) {
      for (const socket of sockets) {
        const candidate = socket.messages.get(send.marker);
        if (candidate && (!received || candidate.at < received.at)) received = candidate;
      }
    }
    if (!send.accepted) {
      if (received) result.deliveredWithoutAcceptance += 1;
      continue;
    }
    if (!received) {
      result.missing += 1;
      continue;
    }
    result.delivered += 1;
    if (own) result.matchedBy.assignee += 1;
    else result.matchedBy.firstSocket += 1;
    if (received.at < send.respondedAt) result.eventBeforeResponse += 1;
    if (send.messageId && received.messageId !== send.messageId) result.idMismatches += 1;
    latencies.push(received.at - send.sentAt);
    if (windows) {
      const index = Math.max(0, Math.floor((send.sentAt - windows.startAt) / windows.sizeMs));
      while (windowed.length <= index) windowed.push([]);
      windowed[index]!.push(received.at - send.sentAt);
    }
  }
  return { ...result, latencyMs: summarize(latencies), drainWaitMs, ...(windows ? { byWindow: windowed.map((samples) => summarize(samples)) } : {}) };
}
