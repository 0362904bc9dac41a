// Voice and video calls: a call, and what a party needs to connect (contract/calls.ts).
import { z } from 'zod';
import { callMedias, callStatuses, type CallView, type IceServer } from '../../calls.js';
import { id, named, tied, timestamp } from './support.js';

export const callViewSchema = tied<CallView>()(
  'Call',
  z.strictObject({
    id,
    conversationId: id,
    media: z.enum(callMedias),
    status: z.enum(callStatuses),
    requestedBy: z.enum(['customer', 'agent']),
    agentId: id.nullable(),
    createdAt: timestamp,
    answeredAt: timestamp.nullable(),
    endedAt: timestamp.nullable(),
    durationSeconds: z.int().nullable(),
    waitSeconds: z.int().nullable(),
    recording: z.strictObject({ customerConsent: z.boolean(), agentConsent: z.boolean(), active: z.boolean() }),
  }),
);

export const iceServerSchema = tied<IceServer>()(
  'IceServer',
  z.strictObject({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() }),
);

/** A call with the STUN/TURN servers its party connects through. */
export const callAnswerSchema = named('CallAnswer', z.strictObject({ call: callViewSchema, iceServers: z.array(iceServerSchema) }));

/** GET /api/widget/conversations/:id/call: the visitor's call under way (null when none), so a reloaded widget shows it again. */
export const currentCallSchema = named('CurrentCall', z.strictObject({ call: callViewSchema.nullable(), iceServers: z.array(iceServerSchema) }));
