// Voice and video calls on the real stack (issue 24): the call's life over REST and its events,
// the peers' negotiation over /ws between the two parties only (across the NOTIFY relay, an SDP
// larger than one NOTIFY included), who may not start, answer, signal or observe it, malformed
// frames refused and not forwarded, a transfer, and the `call-<id>` workflow's ring timeout: a
// missed call is an event and fires rules on `call_missed`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import type { Frame, TestSocket } from './support/socket-client.js';
import { signIn, startCustomerConversation } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let tokens: Record<'admin' | 'agent' | 'wangwei', string>;
let frontlineId: string;

beforeAll(async () => {
  system = await startSystem();
  tokens = await signIn(system, 'admin', 'agent', 'wangwei');
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  await system.db.channel.update({ where: { id: channel.id }, data: { settings: { ...(channel.settings as object), calls: true, callRingSeconds: 2 } } });
  await system.db.user.updateMany({ where: { email: 'admin@seamless.local' }, data: { presence: 'online' } });
  frontlineId = (await system.db.team.findFirstOrThrow({ where: { name: 'Frontline' } })).id;
});
afterAll(() => system?.stop());

const callEvent = (callId: string, type: string) => (event: EventView) =>
  event.type === type && (event.payload.call as { id?: string } | undefined)?.id === callId;
const callFrame = (type: string, callId: string) => (frame: Frame) =>
  (frame as { type: string; callId?: string }).type === type && (frame as { callId?: string }).callId === callId;
const framesOf = (socket: TestSocket, callId: string) =>
  socket.frames.filter((frame) => (frame as { callId?: string }).callId === callId && frame.type !== 'error');
const errorFor = (callId: string, code: string) => (frame: Frame) =>
  frame.type === 'error' && frame.code === code && (frame as { callId?: string }).callId === callId;

/** A visitor's conversation, moved to Frontline: Wang Wei (Specialists) may not see it. */
async function frontlineConversation(body: string) {
  const { visitor, conversationId } = await startCustomerConversation(system, { body });
  const moved = await system.request('POST', `/api/conversations/${conversationId}/transfer`, { token: tokens.admin, body: { toTeamId: frontlineId } });
  expect(moved.status).toBe(200);
  return { visitor, conversationId };
}

describe('a call from the widget', () => {
  it('rings, is answered, negotiates between its two parties only, is transferred and hung up, with a duration in the journey', async () => {
    const { visitor, conversationId } = await frontlineConversation('Can we talk on the phone about my card?');
    const other = await startCustomerConversation(system, { body: 'Hello' });
    const [adminSocket, alexSocket, wangSocket, customerSocket, otherSocket] = await Promise.all([
      system.socket(tokens.admin),
      system.socket(tokens.agent),
      system.socket(tokens.wangwei),
      system.socket(visitor.token),
      system.socket(other.visitor.token),
    ]);

    // Bad input and strangers first: nothing is started.
    expect(
      (await system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'hologram' } })).status,
    ).toBe(400);
    expect(
      (await system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: other.visitor.token, body: { media: 'audio' } })).status,
    ).toBe(404);
    expect((await system.request('POST', `/api/conversations/${conversationId}/calls`, { token: tokens.wangwei, body: { media: 'audio' } })).status).toBe(404);

    const started = await system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'video' } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ call: { conversationId, media: 'video', status: 'ringing', requestedBy: 'customer', agentId: null }, iceServers: [] });
    const callId = started.body.call.id as string;
    // One call at a time.
    const again = await system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'audio' } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'call_in_progress' } } });

    // It rings the agents who may take the conversation; the customer sees it without an agent id.
    await adminSocket.waitForEvent(callEvent(callId, 'call.requested'));
    await alexSocket.waitForEvent(callEvent(callId, 'call.requested'));
    expect((await customerSocket.waitForEvent(callEvent(callId, 'call.requested'))).payload.call).not.toHaveProperty('agentId');

    // Nobody else may answer, look at it, or signal into it.
    for (const [token, path] of [
      [other.visitor.token, `/api/widget/calls/${callId}/accept`],
      [other.visitor.token, `/api/widget/calls/${callId}`],
      [tokens.wangwei, `/api/calls/${callId}/accept`],
      [tokens.wangwei, `/api/calls/${callId}`],
    ] as const) {
      const response = await system.request(path.endsWith('accept') ? 'POST' : 'GET', path, { token });
      expect(response.status, path).toBe(404);
    }
    // The customer does not answer their own request; a visitor token is not an agent's.
    expect((await system.request('POST', `/api/widget/calls/${callId}/accept`, { token: visitor.token })).body).toMatchObject({
      error: { code: 'call_state' },
    });
    expect((await system.request('POST', `/api/calls/${callId}/accept`, { token: visitor.token })).status).toBe(403);
    // Nothing to negotiate before it is answered.
    customerSocket.send({ type: 'call.offer', callId, sdp: 'v=0 too early' });
    await customerSocket.waitFor(errorFor(callId, 'call_state'));

    const accepted = await system.request('POST', `/api/calls/${callId}/accept`, { token: tokens.admin });
    expect(accepted.status).toBe(200);
    expect(accepted.body.call).toMatchObject({ status: 'active' });
    expect(accepted.body.call.waitSeconds).toEqual(expect.any(Number));
    await customerSocket.waitForEvent(callEvent(callId, 'call.answered'));

    // Negotiation: an offer larger than one NOTIFY, the answer, a candidate — each to the other party.
    const offer = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\r\n'.repeat(400)}`;
    customerSocket.send({ type: 'call.offer', callId, sdp: offer });
    expect(await adminSocket.waitFor(callFrame('call.offer', callId))).toEqual({ type: 'call.offer', callId, sdp: offer, from: 'customer' });
    adminSocket.send({ type: 'call.answer', callId, sdp: 'v=0 answer' });
    adminSocket.send({ type: 'call.ice', callId, candidate: { candidate: 'candidate:2 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    expect(await customerSocket.waitFor(callFrame('call.answer', callId))).toMatchObject({ sdp: 'v=0 answer', from: 'agent' });
    expect(await customerSocket.waitFor(callFrame('call.ice', callId))).toMatchObject({ candidate: { sdpMid: '0' }, from: 'agent' });

    // Strangers' frames and malformed ones are refused to their senders and reach nobody.
    otherSocket.send({ type: 'call.offer', callId, sdp: 'v=0 from a stranger' });
    await otherSocket.waitFor(errorFor(callId, 'not_found'));
    wangSocket.send({ type: 'call.answer', callId, sdp: 'v=0 from another team' });
    await wangSocket.waitFor(errorFor(callId, 'not_found'));
    customerSocket.send({ type: 'call.offer', callId, sdp: 42 });
    customerSocket.send({ type: 'call.dance', callId });
    await customerSocket.waitFor(
      (frame) =>
        frame.type === 'error' &&
        frame.code === 'invalid_frame' &&
        customerSocket.frames.filter((f) => f.type === 'error' && f.code === 'invalid_frame').length === 2,
    );
    // Mute and camera state go through; the frame after the refused ones arrives, and none of those did.
    customerSocket.send({ type: 'call.mute', callId, muted: true });
    customerSocket.send({ type: 'call.video', callId, enabled: false });
    await adminSocket.waitFor(callFrame('call.video', callId));
    expect(framesOf(adminSocket, callId).map((frame) => frame.type)).toEqual(['call.offer', 'call.mute', 'call.video']);
    expect(framesOf(customerSocket, callId).map((frame) => frame.type)).toEqual(['call.answer', 'call.ice']);
    expect(framesOf(alexSocket, callId)).toEqual([]);
    expect(framesOf(otherSocket, callId)).toEqual([]);

    // A transfer rings Alex; he answers and negotiates with the customer; the admin is out of it.
    expect((await system.request('POST', `/api/calls/${callId}/transfer`, { token: tokens.admin, body: { agentId: 'not-a-uuid' } })).status).toBe(400);
    const wangId = (await system.db.user.findFirstOrThrow({ where: { email: 'wangwei@seamless.local' } })).id;
    expect((await system.request('POST', `/api/calls/${callId}/transfer`, { token: tokens.admin, body: { agentId: wangId } })).body).toMatchObject({
      error: { code: 'invalid_agent' },
    });
    const alexId = (await system.db.user.findFirstOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    const transferred = await system.request('POST', `/api/calls/${callId}/transfer`, { token: tokens.admin, body: { agentId: alexId } });
    expect(transferred.body.call).toMatchObject({ status: 'ringing', agentId: alexId });
    await alexSocket.waitForEvent(callEvent(callId, 'call.transferred'));
    expect((await system.request('POST', `/api/calls/${callId}/accept`, { token: tokens.admin })).status).toBe(404);
    expect((await system.request('POST', `/api/calls/${callId}/accept`, { token: tokens.agent })).body.call).toMatchObject({
      status: 'active',
      agentId: alexId,
    });
    customerSocket.send({ type: 'call.offer', callId, sdp: 'v=0 to alex' });
    expect(await alexSocket.waitFor(callFrame('call.offer', callId))).toMatchObject({ sdp: 'v=0 to alex' });
    adminSocket.send({ type: 'call.answer', callId, sdp: 'v=0 from the admin, who left' });
    await adminSocket.waitFor(errorFor(callId, 'not_found'));

    // The customer hangs up: the end with its duration reaches the agents and the journey.
    const ended = await system.request('POST', `/api/widget/calls/${callId}/hangup`, { token: visitor.token });
    expect(ended.body.call).toMatchObject({ status: 'ended', durationSeconds: expect.any(Number) });
    expect((await alexSocket.waitForEvent(callEvent(callId, 'call.ended'))).payload.call).toMatchObject({ durationSeconds: expect.any(Number) });
    expect((await system.request('POST', `/api/widget/calls/${callId}/hangup`, { token: visitor.token })).body).toMatchObject({
      error: { code: 'call_state' },
    });
    const journey = await system.request('GET', `/api/customers/${visitor.customerId}/events`, { token: tokens.admin });
    const callTypes = (journey.body.events as EventView[]).filter((event) => callEvent(callId, event.type)(event)).map((event) => event.type);
    expect(callTypes.sort()).toEqual(['call.answered', 'call.answered', 'call.ended', 'call.requested', 'call.transferred']);
    const calls = await system.request('GET', `/api/conversations/${conversationId}/calls`, { token: tokens.agent });
    expect(calls.body.calls).toEqual([expect.objectContaining({ id: callId, status: 'ended' })]);
    // Wang Wei and the other visitor observed nothing of it.
    expect((await system.request('GET', `/api/conversations/${conversationId}/calls`, { token: tokens.wangwei })).status).toBe(404);
    expect(wangSocket.events().filter((event) => event.type.startsWith('call.'))).toEqual([]);
    expect(otherSocket.events().filter((event) => event.type.startsWith('call.'))).toEqual([]);
  });
});

describe('a call nobody answers', () => {
  it('is missed after the ring time: an event for both sides, and rules on call_missed run', async () => {
    const rule = await system.request('POST', '/api/rules', {
      token: tokens.admin,
      body: {
        name: 'Missed call: call back',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'call_missed' },
        conditions: { all: [] },
        actions: [{ type: 'add_tag', tag: 'call-back' }],
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const { visitor, conversationId } = await startCustomerConversation(system, { body: 'Please call me' });
    const [adminSocket, customerSocket] = await Promise.all([system.socket(tokens.admin), system.socket(visitor.token)]);
    // The admin calls the customer, who does not pick up within the channel's 2 seconds.
    const started = await system.request('POST', `/api/conversations/${conversationId}/calls`, { token: tokens.admin, body: { media: 'audio' } });
    expect(started.body.call).toMatchObject({ status: 'ringing', requestedBy: 'agent' });
    const callId = started.body.call.id as string;
    await customerSocket.waitForEvent(callEvent(callId, 'call.requested'));
    const missed = await customerSocket.waitForEvent(callEvent(callId, 'call.missed'), 30_000);
    expect(missed.payload.call).toMatchObject({ status: 'missed', durationSeconds: null });
    await adminSocket.waitForEvent(
      (event) => event.type === 'conversation.tag_added' && event.conversationId === conversationId && event.payload.tag === 'call-back',
      30_000,
    );
    expect((await system.request('POST', `/api/widget/calls/${callId}/accept`, { token: visitor.token })).body).toMatchObject({
      error: { code: 'call_state' },
    });
  });
});

describe('the calls report', () => {
  it('counts the calls above per day and per agent, with their averages', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await system.request('GET', `/api/reports/calls?from=${today}T00:00:00Z&to=${new Date(Date.now() + 60_000).toISOString()}`, {
      token: tokens.agent,
    });
    expect(report.status).toBe(200);
    // The widget's call (answered, transferred, ended) and the admin's missed call.
    expect(report.body.total).toMatchObject({
      offered: 2,
      answered: 1,
      missed: 1,
      averageDurationSeconds: expect.any(Number),
      averageWaitSeconds: expect.any(Number),
    });
    expect(report.body.days).toEqual([expect.objectContaining({ date: today, offered: 2, answered: 1, missed: 1 })]);
    expect(report.body.agents).toEqual([
      expect.objectContaining({ name: 'Ada Admin', offered: 1, answered: 0, missed: 1 }),
      expect.objectContaining({ name: 'Alex Agent', offered: 1, answered: 1, missed: 0 }),
    ]);
    expect((await system.request('GET', '/api/reports/calls?timeZone=Mars/Olympus', { token: tokens.agent })).status).toBe(400);
  });
});

/** The first bytes of a WebM file (EBML header, DocType webm) and some payload: what MediaRecorder writes, as the store sniffs it. */
const webm = new Uint8Array([
  ...Buffer.from('1A45DFA39F4286810142F7810142F2810442F381084282847765626D42878104428581021853806701FFFFFFFFFFFFFF', 'hex'),
  ...new Uint8Array(256).fill(7),
]);
const uploadRecording = (callId: string, token: string, body: Uint8Array = webm) =>
  system.request('POST', `/api/calls/${callId}/recordings`, { token, rawBody: body, headers: { 'content-type': 'video/webm', 'x-file-name': 'call.webm' } });
const downloadStatus = async (path: string, token: string) =>
  (await fetch(`${system.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (response) => (await response.arrayBuffer(), response)))
    .status;

describe('recording a call', () => {
  it('starts only once both sides consent, stops when one withdraws, and keeps the upload as an attachment the visitor sees only when shared', async () => {
    const { visitor, conversationId } = await startCustomerConversation(system, { body: 'May we record this call?' });
    const other = await startCustomerConversation(system, { body: 'Someone else' });
    const [adminSocket, customerSocket] = await Promise.all([system.socket(tokens.admin), system.socket(visitor.token)]);
    const callId = (await system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'audio' } })).body
      .call.id as string;
    // Nothing to record while it rings.
    expect((await system.request('POST', `/api/widget/calls/${callId}/recording`, { token: visitor.token, body: { consent: true } })).body).toMatchObject({
      error: { code: 'call_state' },
    });
    expect((await system.request('POST', `/api/calls/${callId}/accept`, { token: tokens.admin })).status).toBe(200);
    // A reloaded widget finds the call under way; nobody else's conversation answers.
    const current = `/api/widget/conversations/${conversationId}/call`;
    expect((await system.request('GET', current, { token: visitor.token })).body).toMatchObject({ call: { id: callId, status: 'active' }, iceServers: [] });
    expect((await system.request('GET', current, { token: other.visitor.token })).status).toBe(404);

    // The customer asks: not recording yet, the agent is told.
    const asked = await system.request('POST', `/api/widget/calls/${callId}/recording`, { token: visitor.token, body: { consent: true } });
    expect(asked.body.call.recording).toEqual({ customerConsent: true, agentConsent: false, active: false });
    expect((await adminSocket.waitForEvent(callEvent(callId, 'call.recording_requested'))).payload).toMatchObject({ by: 'customer' });
    // Asking twice writes nothing more; strangers and bad input change nothing.
    await system.request('POST', `/api/widget/calls/${callId}/recording`, { token: visitor.token, body: { consent: true } });
    expect((await system.request('POST', `/api/widget/calls/${callId}/recording`, { token: other.visitor.token, body: { consent: true } })).status).toBe(404);
    expect((await system.request('POST', `/api/calls/${callId}/recording`, { token: tokens.wangwei, body: { consent: true } })).status).toBe(404);
    expect((await system.request('POST', `/api/calls/${callId}/recording`, { token: tokens.admin, body: { consent: 'yes' } })).status).toBe(400);
    // Nothing was recorded yet: no upload.
    expect((await uploadRecording(callId, tokens.admin)).body).toMatchObject({ error: { code: 'not_recorded' } });

    // The agent agrees: it records, both sides see it.
    const agreed = await system.request('POST', `/api/calls/${callId}/recording`, { token: tokens.admin, body: { consent: true } });
    expect(agreed.body.call.recording).toEqual({ customerConsent: true, agentConsent: true, active: true });
    expect((await customerSocket.waitForEvent(callEvent(callId, 'call.recording_started'))).payload.call).toMatchObject({ recording: { active: true } });

    // The customer withdraws: it stops.
    const withdrawn = await system.request('POST', `/api/widget/calls/${callId}/recording`, { token: visitor.token, body: { consent: false } });
    expect(withdrawn.body.call.recording).toEqual({ customerConsent: false, agentConsent: true, active: false });
    await adminSocket.waitForEvent(callEvent(callId, 'call.recording_stopped'));
    expect((await system.request('POST', `/api/calls/${callId}/hangup`, { token: tokens.admin })).status).toBe(200);
    expect((await system.request('GET', current, { token: visitor.token })).body).toEqual({ call: null, iceServers: [] });

    // The agent's browser uploads what it recorded: only the agent in the call, only a recording.
    expect((await uploadRecording(callId, tokens.agent)).status).toBe(404);
    expect((await uploadRecording(callId, tokens.admin, new TextEncoder().encode('not a recording'))).body).toMatchObject({
      error: { code: 'attachment_type_not_allowed' },
    });
    const saved = await uploadRecording(callId, tokens.admin);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const attachmentId = saved.body.attachment.id as string;
    expect(saved.body.attachment).toMatchObject({ fileName: 'call.webm', contentType: 'video/webm', size: webm.length });
    const savedEvent = await adminSocket.waitForEvent(callEvent(callId, 'call.recording_saved'));
    expect(savedEvent.payload.attachment).toMatchObject({ id: attachmentId });
    expect(customerSocket.events().filter((event) => event.type === 'call.recording_saved')).toEqual([]);

    // Agents download it like any file; the visitor only once the organisation shares recordings.
    expect(await downloadStatus(`/api/attachments/${attachmentId}`, tokens.agent)).toBe(200);
    expect(await downloadStatus(`/api/widget/attachments/${attachmentId}`, visitor.token)).toBe(404);
    expect((await system.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body: { customerSeesCallRecordings: true } })).status).toBe(200);
    try {
      expect(await downloadStatus(`/api/widget/attachments/${attachmentId}`, visitor.token)).toBe(200);
      expect(await downloadStatus(`/api/widget/attachments/${attachmentId}`, other.visitor.token)).toBe(404);
    } finally {
      await system.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body: { customerSeesCallRecordings: false } });
    }
    const journey = await system.request('GET', `/api/customers/${visitor.customerId}/events`, { token: tokens.admin });
    expect((journey.body.events as EventView[]).filter((event) => event.type.startsWith('call.recording')).map((event) => event.type)).toEqual(
      expect.arrayContaining(['call.recording_requested', 'call.recording_started', 'call.recording_stopped', 'call.recording_saved']),
    );
  });
});

describe('an agent available for a call', () => {
  it("is one who may take the conversation (its team's, or an admin): another team's online agent is not enough", async () => {
    const { visitor, conversationId } = await frontlineConversation('Call me, Frontline');
    const ask = () => system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'audio' } });
    await system.db.user.updateMany({ data: { presence: 'offline' } });
    try {
      // Only Wang Wei (Specialists) is online.
      await system.db.user.updateMany({ where: { email: 'wangwei@seamless.local' }, data: { presence: 'online' } });
      expect(await ask()).toMatchObject({ status: 409, body: { error: { code: 'no_agent_available' } } });
      expect(await system.db.call.count({ where: { conversationId } })).toBe(0);
      // Alex, who may take Frontline's conversations, comes online.
      await system.db.user.updateMany({ where: { email: 'agent@seamless.local' }, data: { presence: 'online' } });
      const started = await ask();
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      expect((await system.request('POST', `/api/widget/calls/${started.body.call.id}/hangup`, { token: visitor.token })).status).toBe(200);
    } finally {
      await system.db.user.updateMany({ data: { presence: 'offline' } });
      await system.db.user.updateMany({ where: { email: 'admin@seamless.local' }, data: { presence: 'online' } });
    }
  });
});
