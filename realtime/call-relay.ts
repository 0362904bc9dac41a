// Relays a call's WebRTC negotiation between its two parties (issue 24): offers, answers, ICE
// candidates, mute and camera state (contract/calls.ts callFrameSchema). A frame is checked
// before anything goes out: well-formed (else an `invalid_frame` error to the sender), about a
// call of a conversation the sender may see (else `not_found`, whether it exists or not), the
// sender one of the call's two parties while it is answered (else `not_found` or `call_state`).
// Then it goes to the other party only — the customer's frames to the agent in the call, the
// agent's to the customer — in whichever API process holds their sockets: a NOTIFY on
// `seamless_calls`, like typing. Nothing is stored: a lost frame is renegotiated by the peers.
// NOTIFY payloads are limited (8000 bytes) and an SDP offer with video can be larger, so a notice
// goes out in pieces, all in one statement (one transaction: delivered together, in order).
import { randomUUID } from 'node:crypto';
import { callFrameSchema, type ReceivedCallFrame } from '../contract/calls.js';
import { callActionRefusal, type CallParty } from '../domain/calls.js';
import { canSee, type Viewer } from '../domain/visibility.js';
import type { Db } from '../infra/db.js';
import { Prisma } from '../prisma/generated/client.js';

export const callChannel = 'seamless_calls';

/** Who receives a relayed frame. */
export type CallPeer = { kind: 'customer'; customerId: string } | { kind: 'user'; userId: string };

/** What the channel carries from the process that received the frame to every process. */
export interface CallNotice {
  to: CallPeer;
  frame: ReceivedCallFrame;
}

export interface CallSender {
  viewer: Viewer;
  reply(frame: { type: 'error'; code: string; message: string; callId?: string }): void;
}

/** Characters of a notice per NOTIFY: JSON-escaped, each piece stays well under 8000 bytes. */
const pieceLength = 1000;

export function createCallRelay(db: Db, log: (message: string, error?: unknown) => void) {
  return async function relay(sender: CallSender, message: unknown): Promise<void> {
    const parsed = callFrameSchema.safeParse(message);
    if (!parsed.success) {
      return sender.reply({
        type: 'error',
        code: 'invalid_frame',
        message: `Not a valid call frame: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; ')}.`,
      });
    }
    const frame = parsed.data;
    const { viewer } = sender;
    const notFound = () => sender.reply({ type: 'error', code: 'not_found', message: 'No such call.', callId: frame.callId });
    if (viewer.kind === 'integration') return notFound();
    const call = await db.call.findUnique({
      where: { id: frame.callId },
      select: {
        status: true,
        requestedBy: true,
        agentId: true,
        answeredAt: true,
        conversation: { select: { customerId: true, teamId: true, assigneeId: true } },
      },
    });
    if (!call || !canSee(viewer, { ...call.conversation, internal: false })) return notFound();
    const party: CallParty = viewer.kind === 'customer' ? { kind: 'customer' } : { kind: 'agent', userId: viewer.userId };
    const refusal = callActionRefusal(call, party, 'signal');
    if (refusal === 'not_party') return notFound();
    if (refusal) return sender.reply({ type: 'error', code: 'call_state', message: `The call is ${call.status}: nothing to negotiate.`, callId: frame.callId });
    const notice: CallNotice = {
      to: viewer.kind === 'customer' ? { kind: 'user', userId: call.agentId! } : { kind: 'customer', customerId: call.conversation.customerId },
      frame: { ...frame, from: viewer.kind === 'customer' ? 'customer' : 'agent' },
    };
    try {
      await db.$executeRaw`SELECT ${Prisma.join(piecesOf(JSON.stringify(notice)).map((piece) => Prisma.sql`pg_notify(${callChannel}, ${piece})`))}`;
    } catch (error) {
      log('could not relay a call frame', error);
    }
  };
}

/** The NOTIFY payloads of one notice: `{ id, i, n, d }`, d the i-th of n pieces of its JSON. */
export function piecesOf(text: string): string[] {
  const id = randomUUID();
  const n = Math.max(1, Math.ceil(text.length / pieceLength));
  return Array.from({ length: n }, (_, i) => JSON.stringify({ id, i, n, d: text.slice(i * pieceLength, (i + 1) * pieceLength) }));
}

/** Puts notices back together from their pieces (which arrive in order, one notice's together); returns each whole one. */
export function noticeAssembler(): (payload: string) => CallNotice | null {
  const partial = new Map<string, string[]>();
  return (payload) => {
    const piece = JSON.parse(payload) as { id: string; i: number; n: number; d: string };
    const parts = partial.get(piece.id) ?? [];
    parts[piece.i] = piece.d;
    if (parts.filter((part) => part !== undefined).length < piece.n) {
      partial.set(piece.id, parts);
      // A notice whose pieces were cut short by a lost connection must not pile up.
      if (partial.size > 1000) partial.clear();
      return null;
    }
    partial.delete(piece.id);
    return JSON.parse(parts.join('')) as CallNotice;
  };
}

/** Whether the socket belongs to the notice's recipient. */
export function isRecipient(viewer: Viewer, to: CallPeer): boolean {
  return to.kind === 'customer' ? viewer.kind === 'customer' && viewer.customerId === to.customerId : viewer.kind === 'user' && viewer.userId === to.userId;
}
