import { describe, expect, it } from 'vitest';
import type { AgentSocket, ReceivedMessage } from './agent-socket.js';
import type { Send } from './message-load.js';
import { RssSampler } from './rss.js';
import { checkDelivery, deliveryChecksPass, type PlacedSocket } from './scale-out.js';

/** A socket that received `markers` in this order, with these event ids. */
function socket(label: string, userId: string, arrivals: [marker: string, eventId: number][], duplicates = 0): AgentSocket {
  const messages = new Map<string, ReceivedMessage>(
    arrivals.map(([marker, eventId], ordinal) => [marker, { at: ordinal, messageId: marker, eventId, ordinal }]),
  );
  return { label, userId, messages, duplicates } as unknown as AgentSocket;
}

// Customer 0's three messages: m1 answered before m2 was sent; m2 and m3 in flight together.
const sends: Send[] = [
  { marker: 'm1', customer: 0, sentAt: 0, respondedAt: 10, accepted: true, messageId: 'm1' },
  { marker: 'm2', customer: 0, sentAt: 11, respondedAt: 30, accepted: true, messageId: 'm2' },
  { marker: 'm3', customer: 0, sentAt: 12, respondedAt: 25, accepted: true, messageId: 'm3' },
];

/** All three, m3 before m2 (allowed: they were in flight at once; their event ids say the store order). */
const everyMessage: [marker: string, eventId: number][] = [
  ['m1', 1],
  ['m3', 2],
  ['m2', 3],
];

const check = (placed: PlacedSocket[]) =>
  checkDelivery({ sends, sockets: placed, apiProcesses: 2, apiOfCustomer: () => 1, assigneeOf: () => 'agent-1', duplicatesBefore: 0 });

describe('checkDelivery', () => {
  it('passes when every socket got every message in an order the client allows, and counts cross-process deliveries', () => {
    const checks = check([
      {
        socket: socket('agent', 'agent-1', everyMessage),
        api: 0,
        role: 'agent',
      },
      {
        socket: socket('observer-1', 'admin', everyMessage),
        api: 0,
        role: 'observer',
      },
      {
        socket: socket('observer-2', 'admin', everyMessage),
        api: 1,
        role: 'observer',
      },
    ]);
    expect(checks).toMatchObject({ lostAtAssignee: 0, duplicates: 0, orderViolations: 0, crossProcess: 3 });
    expect(checks.perApi).toEqual([
      { api: 1, posted: 0, observerReceived: 3, observerMissing: 0 },
      { api: 2, posted: 3, observerReceived: 3, observerMissing: 0 },
    ]);
    expect(deliveryChecksPass(checks)).toBe(true);
  });

  it('finds a message that overtook one answered before it was sent, and falling event ids', () => {
    const checks = check([
      {
        socket: socket('agent', 'agent-1', [
          ['m2', 2],
          ['m1', 1],
          ['m3', 3],
        ]),
        api: 0,
        role: 'agent',
      },
    ]);
    // m2 arrived before m1 (answered before m2 was sent), and its event id 2 came before 1.
    expect(checks.orderViolations).toBe(2);
    expect(checks.orderViolationSamples.join('\n')).toContain('m2 arrived before m1');
    expect(deliveryChecksPass(checks)).toBe(false);
  });

  it('counts what the assignee and each observer missed, and repeats', () => {
    const checks = check([
      {
        socket: socket(
          'agent',
          'agent-1',
          [
            ['m1', 1],
            ['m2', 3],
          ],
          2,
        ),
        api: 0,
        role: 'agent',
      },
      {
        socket: socket('observer-1', 'admin', everyMessage),
        api: 0,
        role: 'observer',
      },
      { socket: socket('observer-2', 'admin', [['m1', 1]]), api: 1, role: 'observer' },
    ]);
    expect(checks).toMatchObject({ lostAtAssignee: 1, duplicates: 2, orderViolations: 0 });
    expect(checks.perApi.map((api) => api.observerMissing)).toEqual([0, 2]);
    expect(deliveryChecksPass(checks)).toBe(false);
  });
});

describe('RssSampler.growth', () => {
  it('compares the last sample with the first one after the warm-up', () => {
    const sampler = new RssSampler([{ name: 'api-1', pid: undefined }], 10_000);
    sampler.samples.push(
      { atS: 0, rssMb: { 'api-1': 100 } },
      { atS: 60, rssMb: { 'api-1': 200 } },
      { atS: 120, rssMb: { 'api-1': 250 } },
      { atS: 180, rssMb: { 'api-1': 220 } },
    );
    expect(sampler.growth(60)).toEqual({ 'api-1': { afterWarmupMb: 200, endMb: 220, maxMb: 250, growthPct: 10 } });
  });
});
