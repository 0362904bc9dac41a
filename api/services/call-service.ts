// Voice and video calls in a conversation (issue 24). Each change of a call is one transaction:
// the Call row, its event (the journey, the ringing on the other side's socket) and the outbox row
// that tells the `call-<id>` workflow, which owns the ring timeout (workflows/call.ts). Who may do
// what is domain/calls.ts; a call of a conversation the caller may not see, or not theirs to
// answer, is 404 like an unknown one. Media never passes the server: the peers negotiate over /ws
// (realtime/call-relay.ts) and connect directly, or through TURN (callIceServers).
import { createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CallMedia, CallView, IceServer } from '../../contract/calls.js';
import type { EventPayloadOf, EventType } from '../../contract/events.js';
import type { MessageAttachmentView } from '../../contract/views.js';
import { agentAvailableForCall, callActionRefusal, defaultCallRingSeconds, recordingChange, type CallAction, type CallParty } from '../../domain/calls.js';
import type { AttachmentStore } from '../../infra/attachments/attachment-store.js';
import { displayFileName } from '../../infra/attachments/sniff.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import { toCallView } from '../../infra/call-view.js';
import type { Tx } from '../../infra/db.js';
import type { Env } from '../../infra/env.js';
import { appendEvent } from '../../infra/event-log.js';
import { conversationScope, toAttachmentView } from '../../infra/views.js';
import type { Call } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { conflict, HttpError, notFound } from '../http-error.js';
import { cancelAnsweredCallbacks } from './reminder-service.js';
import { workflowGateway, type WorkflowIntent } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'relay' | 'calls'>;

/** STUN and TURN servers for the browsers (CALL_STUN_URLS, CALL_TURN_URLS and TURN credentials: callSettingsFromEnvironment). */
export interface CallSettings {
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's `static-auth-secret` (REST API auth): each call gets a TURN password valid for turnCredentialSeconds. */
  turnSecret?: string;
  /** A fixed TURN user (when no secret is set). */
  turnUsername?: string;
  turnCredential?: string;
  turnCredentialSeconds?: number;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);

/** The API's call settings from its environment (infra/env.ts): none set means host candidates only (the local demo). */
export function callSettingsFromEnvironment(
  env: Pick<Env, 'CALL_STUN_URLS' | 'CALL_TURN_URLS' | 'CALL_TURN_SECRET' | 'CALL_TURN_USERNAME' | 'CALL_TURN_CREDENTIAL' | 'CALL_TURN_TTL_SECONDS'>,
): CallSettings {
  return {
    stunUrls: list(env.CALL_STUN_URLS),
    turnUrls: list(env.CALL_TURN_URLS),
    turnSecret: env.CALL_TURN_SECRET,
    turnUsername: env.CALL_TURN_USERNAME,
    turnCredential: env.CALL_TURN_CREDENTIAL,
    turnCredentialSeconds: env.CALL_TURN_TTL_SECONDS,
  };
}

/**
 * The ICE servers a party of this call uses. With a TURN secret the credential is coturn's REST
 * scheme: user `<expiry>:<callId>`, password base64(HMAC-SHA1(secret, user)), short-lived.
 */
export function callIceServers(settings: CallSettings | undefined, callId: string, now = Date.now()): IceServer[] {
  if (!settings) return [];
  const servers: IceServer[] = [];
  if (settings.stunUrls.length) servers.push({ urls: settings.stunUrls });
  if (settings.turnUrls.length) {
    if (settings.turnSecret) {
      const username = `${Math.floor(now / 1000) + (settings.turnCredentialSeconds ?? 3600)}:${callId}`;
      servers.push({ urls: settings.turnUrls, username, credential: createHmac('sha1', settings.turnSecret).update(username).digest('base64') });
    } else if (settings.turnUsername && settings.turnCredential) {
      servers.push({ urls: settings.turnUrls, username: settings.turnUsername, credential: settings.turnCredential });
    }
  }
  return servers;
}

/** A call with what its party needs to connect. */
export interface CallAnswer {
  call: CallView;
  iceServers: IceServer[];
}

/** Who is calling: the visitor (own conversations only) or an agent or admin who may see the conversation. */
export type CallCaller = { kind: 'customer'; customerId: string } | { kind: 'user'; viewer: Extract<StaffViewer, { kind: 'user' }> };

interface ConversationRow {
  id: string;
  customerId: string;
  teamId: string | null;
  assigneeId: string | null;
  status: string;
  channelSettings: unknown;
}

/** The conversation, locked for this transaction, if the caller may see it; 404 otherwise. */
async function lockConversation(tx: Tx, caller: CallCaller, conversationId: string): Promise<ConversationRow> {
  const [row] = await tx.$queryRaw<ConversationRow[]>`
    SELECT c.id, c."customerId", c."teamId", c."assigneeId", c.status::text AS status, ch.settings AS "channelSettings"
    FROM "Conversation" c JOIN "Channel" ch ON ch.id = c."channelId"
    WHERE c.id = ${conversationId}::uuid
    FOR UPDATE OF c`;
  const visible = row && (caller.kind === 'customer' ? row.customerId === caller.customerId : canSee(caller.viewer, { ...row, internal: false }));
  if (!visible) throw notFound('Conversation');
  return row;
}

function callSettingsOf(channelSettings: unknown): { enabled: boolean; ringSeconds: number } {
  const settings = (channelSettings ?? {}) as { calls?: unknown; callRingSeconds?: unknown };
  return {
    enabled: settings.calls === true,
    ringSeconds: typeof settings.callRingSeconds === 'number' ? settings.callRingSeconds : defaultCallRingSeconds,
  };
}

const eventTypeOf = {
  accept: 'call.answered',
  decline: 'call.declined',
  hangup: 'call.ended',
} as const satisfies Partial<Record<CallAction, EventType>>;

/**
 * Starts a call in the conversation. The visitor may only when the conversation's channel allows
 * calls (`calls: true` in its settings; 409 `calls_off`) and an agent who may take it is online —
 * of its team, any agent when it has none, or an admin (409 `no_agent_available`); an agent calls the customer of a conversation they may see. One call at
 * a time per conversation (409 `call_in_progress`).
 */
export async function startCall(deps: Deps, caller: CallCaller, conversationId: string, media: CallMedia): Promise<CallAnswer> {
  const outbox = workflowGateway(deps).outbox();
  const call = await deps.db.$transaction(async (tx) => {
    const conversation = await lockConversation(tx, caller, conversationId);
    const settings = callSettingsOf(conversation.channelSettings);
    if (caller.kind === 'customer') {
      if (!settings.enabled) throw conflict('calls_off', 'This channel does not take calls.');
      const online = await tx.user.findMany({ where: { presence: 'online', deactivatedAt: null }, select: { id: true, role: true, teamId: true } });
      const agents = online.map((user) => ({ userId: user.id, role: user.role, teamId: user.teamId, presence: 'online', deactivated: false }));
      if (!agentAvailableForCall(conversation, agents))
        throw conflict('no_agent_available', 'No agent of this conversation’s team is available for a call now.');
    }
    if (conversation.status === 'closed') throw conflict('conversation_closed', 'The conversation is closed.');
    const busy = await tx.call.count({ where: { conversationId, status: { in: ['ringing', 'active'] } } });
    if (busy > 0) throw conflict('call_in_progress', 'A call is already ringing or under way in this conversation.');
    const row = await tx.call.create({
      data: {
        conversationId,
        media,
        requestedBy: caller.kind === 'customer' ? 'customer' : 'agent',
        agentId: caller.kind === 'user' ? caller.viewer.userId : null,
      },
    });
    await appendCallEvent(tx, 'call.requested', caller, conversation, { call: toCallView(row) });
    await outbox.write(tx, [{ kind: 'start_call', callId: row.id, ringTimeoutMs: settings.ringSeconds * 1000 }]);
    return row;
  });
  await outbox.deliver();
  return { call: toCallView(call), iceServers: callIceServers(deps.calls, call.id) };
}

/** The call with its conversation's scope, locked; 404 when the caller may not see the conversation. */
async function lockCall(tx: Tx, caller: CallCaller, callId: string): Promise<{ call: Call; conversation: ConversationRow }> {
  const [locked] = await tx.$queryRaw<{ conversationId: string }[]>`SELECT "conversationId" FROM "Call" WHERE id = ${callId}::uuid FOR UPDATE`;
  if (!locked) throw notFound('Call');
  const conversation = await lockConversation(tx, caller, locked.conversationId).catch((error: unknown) => {
    throw error instanceof Error && 'status' in error && error.status === 404 ? notFound('Call') : error;
  });
  const call = await tx.call.findUniqueOrThrow({ where: { id: callId } });
  return { call, conversation };
}

const partyOf = (caller: CallCaller): CallParty => (caller.kind === 'customer' ? { kind: 'customer' } : { kind: 'agent', userId: caller.viewer.userId });

/** A call's event in its conversation's journey, by the caller who changed it. */
function appendCallEvent<T extends EventType>(tx: Tx, type: T, caller: CallCaller, conversation: ConversationRow, payload: EventPayloadOf<T>) {
  return appendEvent(tx, {
    type,
    actorKind: caller.kind === 'customer' ? 'customer' : 'agent',
    actorId: caller.kind === 'customer' ? caller.customerId : caller.viewer.userId,
    conversationId: conversation.id,
    ...conversationScope(conversation),
    payload,
  });
}

/** Refuses what the caller may not do to the call: 404 (not theirs to know) or 409 `call_state`. */
function check(call: Call, caller: CallCaller, action: CallAction): void {
  const refusal = callActionRefusal(call, partyOf(caller), action);
  if (refusal === 'not_party') throw notFound('Call');
  if (refusal === 'wrong_state')
    throw conflict(
      'call_state',
      `The call is ${call.status}: it cannot be ${action === 'hangup' ? 'hung up' : action === 'consent' ? 'recorded or not' : `${action}ed`} now.`,
    );
}

/**
 * The side it rings accepts (the call is active, the workflow stops its ring timer) or declines
 * it; either party hangs up (a ringing call hung up by its caller ends unanswered). A repeat of
 * what already happened is 409 `call_state`.
 */
export async function changeCall(deps: Deps, caller: CallCaller, callId: string, action: 'accept' | 'decline' | 'hangup'): Promise<CallAnswer> {
  const outbox = workflowGateway(deps).outbox();
  const updated = await deps.db.$transaction(async (tx) => {
    const { call, conversation } = await lockCall(tx, caller, callId);
    check(call, caller, action);
    const now = new Date();
    const data =
      action === 'accept'
        ? { status: 'active' as const, answeredAt: call.answeredAt ?? now, ...(caller.kind === 'user' ? { agentId: caller.viewer.userId } : {}) }
        : action === 'decline'
          ? { status: 'declined' as const, endedAt: now }
          : { status: 'ended' as const, endedAt: now };
    const row = await tx.call.update({ where: { id: callId }, data });
    await appendCallEvent(tx, eventTypeOf[action], caller, conversation, { call: toCallView(row) });
    const intent: WorkflowIntent = { kind: 'call_changed', callId, change: action === 'accept' ? 'answered' : 'ended' };
    // An answered call is the call-back the customer was promised: the pending ones end (issue 24).
    const answered =
      action === 'accept' ? await cancelAnsweredCallbacks(tx, conversation, caller.kind === 'user' ? caller.viewer.userId : caller.customerId) : [];
    await outbox.write(tx, [intent, ...answered]);
    return row;
  });
  await outbox.deliver();
  return { call: toCallView(updated), iceServers: callIceServers(deps.calls, updated.id) };
}

/** The agent in the call hands it to a colleague who may see the conversation (else 400 `invalid_agent`): it rings them, with a new ring timeout. */
export async function transferCall(deps: Deps, caller: Extract<CallCaller, { kind: 'user' }>, callId: string, agentId: string): Promise<CallAnswer> {
  const outbox = workflowGateway(deps).outbox();
  const updated = await deps.db.$transaction(async (tx) => {
    const { call, conversation } = await lockCall(tx, caller, callId);
    check(call, caller, 'transfer');
    const colleague = await tx.user.findUnique({ where: { id: agentId }, select: { id: true, role: true, teamId: true, deactivatedAt: true } });
    if (
      !colleague ||
      colleague.deactivatedAt ||
      colleague.id === caller.viewer.userId ||
      !canSee({ kind: 'user', userId: colleague.id, role: colleague.role, teamId: colleague.teamId }, { ...conversation, internal: false })
    )
      throw conflict('invalid_agent', 'The call can only go to another active colleague who may see this conversation.');
    const row = await tx.call.update({ where: { id: callId }, data: { status: 'ringing', agentId } });
    await appendCallEvent(tx, 'call.transferred', caller, conversation, { call: toCallView(row), fromAgentId: caller.viewer.userId });
    await outbox.write(tx, [{ kind: 'call_changed', callId, change: 'transferred' }]);
    return row;
  });
  await outbox.deliver();
  return { call: toCallView(updated), iceServers: callIceServers(deps.calls, updated.id) };
}

/**
 * A party of an active call gives or withdraws consent to record it: the first to consent asks
 * (`call.recording_requested`), the second agrees and it records (`call.recording_started`: both
 * sides show it, the agent's browser records), and either withdrawing stops it
 * (`call.recording_stopped`). Consent given or withdrawn twice changes nothing and writes nothing.
 */
export async function changeRecordingConsent(deps: Pick<Deps, 'db' | 'calls'>, caller: CallCaller, callId: string, consent: boolean): Promise<CallAnswer> {
  const updated = await deps.db.$transaction(async (tx) => {
    const { call, conversation } = await lockCall(tx, caller, callId);
    check(call, caller, 'consent');
    const side = caller.kind === 'customer' ? 'customer' : 'agent';
    const change = recordingChange(call, side, consent);
    if (!change) return call;
    const at = consent ? new Date() : null;
    const row = await tx.call.update({ where: { id: callId }, data: side === 'customer' ? { customerConsentAt: at } : { agentConsentAt: at } });
    await appendCallEvent(tx, `call.recording_${change}`, caller, conversation, { call: toCallView(row), by: side });
    return row;
  });
  return { call: toCallView(updated), iceServers: callIceServers(deps.calls, updated.id) };
}

/** What a call's recording may be, by its sniffed type: what browsers' MediaRecorder writes. */
export const recordingTypes: readonly string[] = Object.freeze(['video/webm', 'audio/webm', 'video/x-matroska', 'video/mp4', 'audio/mp4', 'audio/ogg']);

/**
 * Refuses a recording upload before a byte is read: only the agent in the call (404 to anyone
 * else), and only of a call that recorded (both sides consented at some point; else 409
 * `not_recorded`).
 */
export async function checkRecordingUpload(deps: Pick<Deps, 'db'>, caller: Extract<CallCaller, { kind: 'user' }>, callId: string): Promise<void> {
  const call = await deps.db.call.findUnique({
    where: { id: callId },
    include: { conversation: { select: { customerId: true, teamId: true, assigneeId: true } } },
  });
  if (!call || call.agentId !== caller.viewer.userId || !canSee(caller.viewer, { ...call.conversation, internal: false })) throw notFound('Call');
  const recorded = await deps.db.event.count({
    where: { conversationId: call.conversationId, type: 'call.recording_started', payload: { path: ['call', 'id'], equals: callId } },
  });
  if (recorded === 0) throw conflict('not_recorded', 'Both sides never agreed to record this call: there is no recording to keep.');
}

/**
 * Keeps the agent's recording of the call (checked by checkRecordingUpload first): stored under
 * the upload limit as an attachment of the conversation bound to no message (the unsent-upload
 * sweep leaves it), with `call.recording_saved` in the same transaction. Agents who see the
 * conversation download it like any file; the visitor only when the organisation shares
 * recordings (privacy settings `customerSeesCallRecordings`).
 */
export async function saveCallRecording(
  deps: Pick<Deps, 'db'>,
  settings: { store: AttachmentStore; maxUploadBytes: number },
  caller: Extract<CallCaller, { kind: 'user' }>,
  callId: string,
  input: { fileName: string | null; content: Readable | Buffer },
): Promise<MessageAttachmentView> {
  const put = await settings.store.put(input.content, { maxBytes: settings.maxUploadBytes, allow: recordingTypes });
  if (!put.ok) {
    const { code, message } = put.refusal;
    if (code === 'too_large') throw new HttpError(413, 'attachment_too_large', `The recording is too large: ${message}.`);
    if (code === 'type_not_allowed') throw new HttpError(415, 'attachment_type_not_allowed', `Not a recording: ${message}.`);
    throw new HttpError(400, 'attachment_empty', 'The recording is empty.');
  }
  const { key, size, sha256, contentType } = put.stored;
  try {
    return await deps.db.$transaction(async (tx) => {
      const { call, conversation } = await lockCall(tx, caller, callId);
      const row = await tx.attachment.create({
        data: {
          conversationId: conversation.id,
          callId,
          uploaderKind: 'user',
          uploaderId: caller.viewer.userId,
          storageKey: key,
          size,
          sha256,
          contentType,
          fileName: displayFileName(input.fileName) ?? `call-${callId.slice(0, 8)}.webm`,
        },
      });
      const attachment = toAttachmentView(row);
      await appendCallEvent(tx, 'call.recording_saved', caller, conversation, { call: toCallView(call), attachment });
      return attachment;
    });
  } catch (error) {
    await settings.store.delete(key);
    throw error;
  }
}

/** A call the caller may see (for its ICE servers after a reconnect); 404 otherwise. */
export async function findCall(deps: Deps, caller: CallCaller, callId: string): Promise<CallAnswer> {
  const call = await deps.db.call.findUnique({
    where: { id: callId },
    include: { conversation: { select: { customerId: true, teamId: true, assigneeId: true } } },
  });
  const visible =
    call &&
    (caller.kind === 'customer' ? call.conversation.customerId === caller.customerId : canSee(caller.viewer, { ...call.conversation, internal: false }));
  if (!visible) throw notFound('Call');
  const { conversation: _conversation, ...row } = call;
  return { call: toCallView(row), iceServers: callIceServers(deps.calls, row.id) };
}

/** The visitor's call under way in their conversation (ringing or active), to show it again after a reload; null when none. 404 for another's conversation. */
export async function findCurrentCall(
  deps: Pick<Deps, 'db' | 'calls'>,
  customerId: string,
  conversationId: string,
): Promise<{ call: CallView | null; iceServers: IceServer[] }> {
  const conversation = await deps.db.conversation.findUnique({ where: { id: conversationId }, select: { customerId: true } });
  if (!conversation || conversation.customerId !== customerId) throw notFound('Conversation');
  const row = await deps.db.call.findFirst({ where: { conversationId, status: { in: ['ringing', 'active'] } }, orderBy: { createdAt: 'desc' } });
  return { call: row ? toCallView(row) : null, iceServers: row ? callIceServers(deps.calls, row.id) : [] };
}

/** The conversation's calls, newest first (the caller's access to the conversation was checked). */
export async function listCalls(deps: Pick<Deps, 'db'>, conversationId: string): Promise<CallView[]> {
  const rows = await deps.db.call.findMany({ where: { conversationId }, orderBy: { createdAt: 'desc' }, take: 100 });
  return rows.map(toCallView);
}
