// Voice and video calls in a conversation (issue 24). The call's life (request, accept, decline,
// hang up, transfer) is a REST write, stored and told to the `call-<id>` workflow through the
// outbox like every durable change; the peers' WebRTC negotiation (offer, answer, ICE candidates)
// and their mute / camera state travel as typed frames over /ws (realtime/call-relay.ts), only
// between the call's two parties. Frame and event names are stored or spoken by deployed clients:
// add, never rename.
import { z } from 'zod';

export const callMedias = ['audio', 'video'] as const;
export type CallMedia = (typeof callMedias)[number];
export const callStatuses = ['ringing', 'active', 'ended', 'missed', 'declined'] as const;
export type CallStatus = (typeof callStatuses)[number];

/** A call as the API sends it and call events carry it. */
export interface CallView {
  id: string;
  conversationId: string;
  media: CallMedia;
  status: CallStatus;
  /** Who started it: the customer (from the widget) or an agent (from the console). */
  requestedBy: 'customer' | 'agent';
  /** The agent it rings (a transfer, an agent's own call) or who is in it; null while a customer's request rings every agent who may take it. */
  agentId: string | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** From answer to hang-up, whole seconds; null until it ends after an answer. */
  durationSeconds: number | null;
  /** From the request to the answer (or to missed / declined), whole seconds; null while it rings. */
  waitSeconds: number | null;
  /** Recording consent: each side's, and whether it records now (both consented while under way). */
  recording: CallRecordingState;
}

export interface CallRecordingState {
  customerConsent: boolean;
  agentConsent: boolean;
  active: boolean;
}

/** An RTCIceServer as the browser takes it (settings: STUN/TURN URLs, TURN credentials). */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** POST /api/widget/conversations/:id/calls and POST /api/conversations/:id/calls */
export const startCallBody = z.strictObject({ media: z.enum(callMedias) });

/** POST /api/calls/:id/recording and POST /api/widget/calls/:id/recording: give (ask, agree) or withdraw consent to record. */
export const recordingConsentBody = z.strictObject({ consent: z.boolean() });

/** POST /api/calls/:id/transfer: the colleague the call rings next. */
export const transferCallBody = z.strictObject({ agentId: z.uuid() });

// ---- /ws frames ----------------------------------------------------------------------------

const callId = z.uuid();
/** An SDP blob: a few kB in practice; the socket's frame limit is 64 kB. */
const sdp = z.string().min(1).max(48_000);

/** The frames a party sends about its call; the other party receives the same frame plus `from`. */
export const callFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('call.offer'), callId, sdp }),
  z.strictObject({ type: z.literal('call.answer'), callId, sdp }),
  z.strictObject({
    type: z.literal('call.ice'),
    callId,
    candidate: z.strictObject({
      candidate: z.string().max(2_000),
      sdpMid: z.string().max(64).nullable().optional(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
      usernameFragment: z.string().max(256).nullable().optional(),
    }),
  }),
  z.strictObject({ type: z.literal('call.mute'), callId, muted: z.boolean() }),
  z.strictObject({ type: z.literal('call.video'), callId, enabled: z.boolean() }),
]);
export type CallFrame = z.infer<typeof callFrameSchema>;
export type CallFrameType = CallFrame['type'];
export const callFrameTypes: readonly CallFrameType[] = ['call.offer', 'call.answer', 'call.ice', 'call.mute', 'call.video'];

/** Whether a client frame is about a call (then it is judged by callFrameSchema, not as typing). */
export const isCallFrameType = (type: unknown): boolean => typeof type === 'string' && type.startsWith('call.');

/** A call frame as the other party receives it. */
export type ReceivedCallFrame = CallFrame & { from: 'customer' | 'agent' };

// ---- the calls report --------------------------------------------------------------------

/** GET /api/reports/calls: the last 30 days when absent; days in `timeZone` (IANA, default UTC). */
export const callReportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  timeZone: z
    .string()
    .max(64)
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone, e.g. Asia/Shanghai')
    .optional(),
});

/** Calls of a day or an agent: offered (rang), answered, missed, and the averages in seconds (null without an answered call). */
export interface CallFigures {
  offered: number;
  answered: number;
  missed: number;
  averageDurationSeconds: number | null;
  averageWaitSeconds: number | null;
}

export interface CallReport {
  from: string;
  to: string;
  timeZone: string;
  /** Local dates (YYYY-MM-DD) with calls, oldest first. */
  days: (CallFigures & { date: string })[];
  /** The agents calls rang or were answered by (a customer's request nobody took counts for no one), by name. */
  agents: (CallFigures & { agentId: string; name: string })[];
  total: CallFigures;
}
