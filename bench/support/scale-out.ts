// Several API processes: a client that spreads requests over them, and the checks that show the
// fan-out across processes (an event written through one API reaches the sockets of every API
// through PostgreSQL NOTIFY) loses, repeats and reorders nothing.
import type { AgentSocket } from './agent-socket.js';
import type { HttpClient } from './http-client.js';
import type { Send } from './message-load.js';

/** Sends each request to the next API in turn (visitors and conversation starts). */
export function spreadClient(clients: readonly HttpClient[]): HttpClient {
  let next = 0;
  return {
    baseUrl: clients[0]!.baseUrl,
    request: (method, path, options) => clients[next++ % clients.length]!.request(method, path, options),
    close: () => clients.forEach((client) => client.close()),
  };
}

/** A socket the checks read, with the API process it is connected to. */
export interface PlacedSocket {
  socket: AgentSocket;
  api: number;
  /** `observer`: an admin's socket, which sees every message, one per API. */
  role: 'agent' | 'observer';
}

export interface DeliveryChecks {
  apiProcesses: number;
  accepted: number;
  /** Accepted messages that never reached the socket of their conversation's assignee. */
  lostAtAssignee: number;
  /** Accepted messages whose assignee had no socket here (not checked at the assignee). */
  withoutAssigneeSocket: number;
  /** Accepted messages posted to one API and received on the assignee's socket on another. */
  crossProcess: number;
  /** Per API: messages posted to it, and per observer (admin) socket on it what it missed. */
  perApi: { api: number; posted: number; observerReceived: number | null; observerMissing: number | null }[];
  /** Messages a socket received more than once during the phase (every socket). */
  duplicates: number;
  /**
   * Per socket and conversation, a message that arrived before one the client had already had a
   * 201 for when it sent it, or whose event id is below one that arrived earlier.
   */
  orderViolations: number;
  /** Up to 5 examples of violations, for the report. */
  orderViolationSamples: string[];
}

/** The duplicates counted so far on these sockets (the phase's count is the difference). */
export const duplicatesSoFar = (sockets: readonly PlacedSocket[]) => sockets.reduce((sum, placed) => sum + placed.socket.duplicates, 0);

export function checkDelivery(options: {
  sends: readonly Send[];
  sockets: readonly PlacedSocket[];
  apiProcesses: number;
  /** The API a customer's messages were posted to. */
  apiOfCustomer(customer: number): number;
  /** The user id of the customer's conversation's assignee, when known. */
  assigneeOf(customer: number): string | null;
  duplicatesBefore: number;
}): DeliveryChecks {
  const accepted = options.sends.filter((send) => send.accepted);
  const agentSocket = new Map(options.sockets.filter((placed) => placed.role === 'agent').map((placed) => [placed.socket.userId, placed]));
  const checks: DeliveryChecks = {
    apiProcesses: options.apiProcesses,
    accepted: accepted.length,
    lostAtAssignee: 0,
    withoutAssigneeSocket: 0,
    crossProcess: 0,
    perApi: [],
    duplicates: duplicatesSoFar(options.sockets) - options.duplicatesBefore,
    orderViolations: 0,
    orderViolationSamples: [],
  };
  for (const send of accepted) {
    const assignee = options.assigneeOf(send.customer);
    const placed = assignee ? agentSocket.get(assignee) : undefined;
    if (!placed) {
      checks.withoutAssigneeSocket += 1;
      continue;
    }
    if (!placed.socket.messages.has(send.marker)) checks.lostAtAssignee += 1;
    else if (placed.api !== options.apiOfCustomer(send.customer)) checks.crossProcess += 1;
  }
  for (let api = 0; api < options.apiProcesses; api += 1) {
    const observer = options.sockets.find((placed) => placed.role === 'observer' && placed.api === api);
    const received = observer ? accepted.filter((send) => observer.socket.messages.has(send.marker)).length : null;
    checks.perApi.push({
      api: api + 1,
      posted: accepted.filter((send) => options.apiOfCustomer(send.customer) === api).length,
      observerReceived: received,
      observerMissing: received === null ? null : accepted.length - received,
    });
  }

  // Order, per socket and conversation (customer): sends sorted by when they started; a send that
  // started after another's 201 must arrive after it, and event ids must rise in arrival order.
  const byCustomer = new Map<number, Send[]>();
  for (const send of accepted) {
    const list = byCustomer.get(send.customer) ?? [];
    list.push(send);
    byCustomer.set(send.customer, list);
  }
  const violation = (text: string) => {
    checks.orderViolations += 1;
    if (checks.orderViolationSamples.length < 5) checks.orderViolationSamples.push(text);
  };
  for (const { socket } of options.sockets) {
    for (const [customer, sends] of byCustomer) {
      const received = sends.filter((send) => socket.messages.has(send.marker));
      if (received.length < 2) continue;
      const at = (send: Send) => socket.messages.get(send.marker)!;
      const byArrival = [...received].sort((a, b) => at(a).ordinal - at(b).ordinal);
      for (let index = 1; index < byArrival.length; index += 1) {
        const before = at(byArrival[index - 1]!).eventId;
        const after = at(byArrival[index]!).eventId;
        if (before && after && after <= before) violation(`${socket.label}, customer ${customer}: event ${after} arrived after event ${before}`);
      }
      const byStart = [...received].sort((a, b) => a.sentAt - b.sentAt);
      const byResponse = [...received].sort((a, b) => a.respondedAt - b.respondedAt);
      let answered = 0;
      let latestOrdinal = -1;
      let latestMarker = '';
      for (const send of byStart) {
        while (answered < byResponse.length && byResponse[answered]!.respondedAt < send.sentAt) {
          const ordinal = at(byResponse[answered]!).ordinal;
          if (ordinal > latestOrdinal) {
            latestOrdinal = ordinal;
            latestMarker = byResponse[answered]!.marker;
          }
          answered += 1;
        }
        if (at(send).ordinal < latestOrdinal)
          violation(`${socket.label}, customer ${customer}: ${send.marker} arrived before ${latestMarker}, answered before it was sent`);
      }
    }
  }
  return checks;
}

/** Whether the checks found anything wrong (observers and assignees all received, nothing repeated or reordered). */
export function deliveryChecksPass(checks: DeliveryChecks): boolean {
  return (
    checks.lostAtAssignee === 0 &&
    checks.duplicates === 0 &&
    checks.orderViolations === 0 &&
    checks.perApi.every((api) => api.observerMissing === null || api.observerMissing === 0)
  );
}
