// A call in Chromium with its fake camera and microphone (issue 24): the customer asks for a voice
// call from the widget, the agent accepts from the console-wide alert (on the inbox list, which
// opens the conversation), both RTCPeerConnections reach `connected` and each side receives media
// (getStats: inbound bytes), the agent turns the camera on mid-call (renegotiation) and the
// customer sees it, the customer mutes and unmutes (the agent is told), the customer asks to
// record and the agent agrees (both show it recording), the customer stops it, the customer
// reloads the page and the call comes back connected, the agent hangs up, the agent's browser
// uploads the recording, and the journey has the call with its duration and the recording's events.
// Then the API restarted during a call: two Chromium pages negotiate over /ws of an API child
// process, which is killed and started again on the same port; the media keeps flowing peer to
// peer, the pages' sockets reconnect and signalling resumes (a mute reaches the other side), and
// hanging up on the new process records the end with its duration.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../prisma/demo-data.js';
import { createApiClient } from './support/api-client.js';
import { startApiProcess, systemOptions, type ApiProcess } from './support/api-process.js';
import { launchChromium } from './support/browser.js';
import { buildConsole } from './support/console-build.js';
import { freePort } from './support/free-port.js';
import { startSystem, type TestSystem } from './support/system.js';

const secret = randomBytes(48).toString('base64url');
let system: TestSystem;
let browser: Browser;
let api: ApiProcess | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  system = await startSystem({ consoleDir: await buildConsole(), secret });
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  await system.db.channel.update({ where: { id: channel.id }, data: { settings: { ...(channel.settings as object), calls: true } } });
  await system.db.user.updateMany({ where: { email: 'admin@seamless.local' }, data: { presence: 'online' } });
  // Autoplay without a gesture: the recorder's AudioContext mixes both voices from a watcher, not a click.
  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']);
});
afterAll(async () => {
  await browser?.close();
  await api?.kill(); // also on failure: no API process outlives the file
  await system?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Waits until the element's data attribute satisfies the check (the call bars publish their connection and bytes received). */
async function waitForData(page: Page, testId: string, attribute: string, check: (value: string) => boolean) {
  await expect.poll(async () => check((await page.getByTestId(testId).getAttribute(attribute)) ?? ''), { timeout: 30_000, interval: 250 }).toBe(true);
}

describe('a video call between the widget and the console', () => {
  it('connects both peers, renegotiates for a camera turned on, mutes, records only with both sides consent, survives a widget reload, hangs up, uploads the recording', async () => {
    const customerPage = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await customerPage.goto(`${system.url}/widget.html`);
    await customerPage.getByTestId('widget-launcher').click();
    const question = 'Could we talk on video about my card?';
    await customerPage.getByTestId('widget-input').fill(question);
    await customerPage.getByTestId('widget-send').click();
    await customerPage.getByTestId('widget-message').filter({ hasText: question }).waitFor();
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { messages: { some: { body: question } } } });

    const agentPage = await (await browser.newContext()).newPage();
    await agentPage.goto(`${system.url}/`);
    await agentPage.getByTestId('login-email').fill('admin@seamless.local');
    await agentPage.getByTestId('login-password').fill(demoPassword);
    await agentPage.getByTestId('login-submit').click();
    await agentPage.getByTestId('conversation-list').waitFor();

    // The agent is on the inbox list, not in the conversation: the console-wide alert rings, and
    // accepting opens the conversation, whose call bar answers.
    await customerPage.getByTestId('widget-call-voice').click();
    await agentPage.getByTestId('incoming-call').waitFor({ timeout: 20_000 });
    await agentPage.getByTestId('incoming-call-accept').click();
    await agentPage.waitForURL(`**/inbox/all/${conversation.id}`);
    await agentPage.getByTestId('incoming-call').waitFor({ state: 'detached' });

    // Peer to peer: both connections up, and each side receives the other's fake camera and microphone.
    await waitForData(customerPage, 'widget-call', 'data-connection', (state) => state === 'connected');
    await waitForData(agentPage, 'call-bar', 'data-connection', (state) => state === 'connected');
    await waitForData(customerPage, 'widget-call', 'data-bytes-received', (bytes) => Number(bytes) > 0);
    await waitForData(agentPage, 'call-bar', 'data-bytes-received', (bytes) => Number(bytes) > 0);

    // A voice call: the agent turns the camera on mid-call, which renegotiates (their new offer over
    // the relay), and the customer's widget then plays the agent's video.
    const remoteVideoWidth = (page: Page, testId: string) =>
      page.getByTestId(testId).evaluate((video) => (video as unknown as { videoWidth: number }).videoWidth);
    expect(await remoteVideoWidth(customerPage, 'widget-call-remote')).toBe(0);
    await agentPage.getByTestId('call-camera').click();
    await expect.poll(() => remoteVideoWidth(customerPage, 'widget-call-remote'), { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);

    await customerPage.getByTestId('widget-call-mute').click();
    await agentPage.getByTestId('call-peer-muted').waitFor({ timeout: 20_000 });
    await customerPage.getByTestId('widget-call-mute').click();
    await agentPage.getByTestId('call-peer-muted').waitFor({ state: 'detached', timeout: 20_000 });

    // Recording with consent: the customer asks, nothing records until the agent agrees; then both show it.
    await customerPage.getByTestId('widget-call-record').click();
    await customerPage.getByTestId('widget-call-record-waiting').waitFor({ timeout: 20_000 });
    await agentPage.getByTestId('call-record-asked').waitFor({ timeout: 20_000 });
    expect(await agentPage.getByTestId('call-recording').count()).toBe(0);
    await agentPage.getByTestId('call-record').click();
    await agentPage.getByTestId('call-recording').waitFor({ timeout: 20_000 });
    await customerPage.getByTestId('widget-call-recording').waitFor({ timeout: 20_000 });
    // Some media recorded, then the customer withdraws: it stops on both sides.
    const recordedFrom = Number(await agentPage.getByTestId('call-bar').getAttribute('data-bytes-received'));
    await waitForData(agentPage, 'call-bar', 'data-bytes-received', (bytes) => Number(bytes) > recordedFrom);
    await customerPage.getByTestId('widget-call-record-stop').click();
    await customerPage.getByTestId('widget-call-recording').waitFor({ state: 'detached', timeout: 20_000 });
    await agentPage.getByTestId('call-recording').waitFor({ state: 'detached', timeout: 20_000 });

    // The customer reloads the page mid-call: the widget shows the call under way again and
    // connects afresh (its new offer; the agent's side answers it on a new connection).
    await customerPage.reload();
    await waitForData(customerPage, 'widget-call', 'data-call-status', (status) => status === 'active');
    await waitForData(customerPage, 'widget-call', 'data-connection', (state) => state === 'connected');
    await waitForData(customerPage, 'widget-call', 'data-bytes-received', (bytes) => Number(bytes) > 0);
    await waitForData(agentPage, 'call-bar', 'data-connection', (state) => state === 'connected');

    await agentPage.getByTestId('call-hangup').click();
    await waitForData(customerPage, 'widget-call', 'data-call-status', (status) => status === 'ended');
    const ended = await system.db.event.findFirstOrThrow({ where: { conversationId: conversation.id, type: 'call.ended' } });
    expect((ended.payload as { call: { durationSeconds: unknown } }).call.durationSeconds).toEqual(expect.any(Number));
    // The agent's browser uploads what it recorded once the call is over: an attachment of the conversation.
    await expect
      .poll(() => system.db.attachment.findFirst({ where: { conversationId: conversation.id, callId: { not: null } } }), { timeout: 30_000, interval: 250 })
      .toMatchObject({ contentType: expect.stringMatching(/^(video|audio)\/webm$/), size: expect.any(Number) });
    const types = (await system.db.event.findMany({ where: { conversationId: conversation.id, type: { startsWith: 'call.' } }, orderBy: { id: 'asc' } })).map(
      (event) => event.type,
    );
    expect(types).toEqual([
      'call.requested',
      'call.answered',
      'call.recording_requested',
      'call.recording_started',
      'call.recording_stopped',
      'call.ended',
      'call.recording_saved',
    ]);
  });
});

/** What a restart page keeps on `window.callPeer` (installPeer). */
interface PeerState {
  connection: string;
  opens: number;
  closes: number;
  frames: { type: string; callId?: string; from?: string; muted?: boolean }[];
  bytes(): Promise<number>;
  send(frame: object): void;
}

/**
 * A call's side in a bare page of the API's origin: the fake microphone and camera, an
 * RTCPeerConnection, and /ws that reconnects whenever it closes (as the console's socket does).
 * The offerer sends its whole offer once ICE gathering is complete (host candidates), the other
 * answers it; call frames received are kept on `window.callPeer`. Plain JavaScript: it runs in the
 * page as written, nothing compiled into it.
 */
const installPeer = `async ({ token, callId, offerer }) => {
  const pc = new RTCPeerConnection();
  const state = {
    connection: 'new',
    opens: 0,
    closes: 0,
    frames: [],
    socket: null,
    bytes: async () => {
      let bytes = 0;
      (await pc.getStats()).forEach((report) => {
        if (report.type === 'inbound-rtp') bytes += report.bytesReceived || 0;
      });
      return bytes;
    },
    send: (frame) => state.socket && state.socket.send(JSON.stringify(frame)),
  };
  window.callPeer = state;
  pc.onconnectionstatechange = () => (state.connection = pc.connectionState);
  const gathered = () =>
    new Promise((resolve) => {
      const done = () => pc.iceGatheringState === 'complete' && resolve(pc.localDescription.sdp);
      pc.onicegatheringstatechange = done;
      done();
    });
  const onFrame = async (frame) => {
    if (frame.callId !== callId) return;
    state.frames.push(frame);
    if (frame.type === 'call.offer') {
      await pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      state.send({ type: 'call.answer', callId, sdp: await gathered() });
    } else if (frame.type === 'call.answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp });
    }
  };
  const open = () =>
    new Promise((resolve) => {
      const socket = new WebSocket(location.origin.replace(/^http/, 'ws') + '/ws?token=' + encodeURIComponent(token));
      socket.onmessage = (message) => void onFrame(JSON.parse(String(message.data)));
      socket.onopen = () => {
        state.socket = socket;
        state.opens += 1;
        resolve();
      };
      socket.onclose = () => {
        if (state.socket === socket) {
          state.socket = null;
          state.closes += 1;
        }
        setTimeout(() => void open(), 200);
      };
    });
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  for (const track of media.getTracks()) pc.addTrack(track, media);
  await open();
  if (offerer) {
    await pc.setLocalDescription(await pc.createOffer());
    state.send({ type: 'call.offer', callId, sdp: await gathered() });
  }
}`;

describe('the API restarted during a call', () => {
  it('keeps the media flowing peer to peer, resumes signalling on the reconnected sockets, and records the end with its duration', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-call-restart-'));
    const port = await freePort();
    const startApi = async () => {
      api = await startApiProcess({ ...systemOptions(system), temporalAddress: inject('temporalAddress'), secret, port, dataDir: dataDir! });
    };
    await startApi();
    const client = createApiClient(api!.url);
    const agentToken = await client.login('admin@seamless.local');
    const visitor = await client.visitor('Restart caller');
    const started = await client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Call me while you restart' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const call = await client.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'video' } });
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    const callId = call.body.call.id as string;
    expect((await client.request('POST', `/api/calls/${callId}/accept`, { token: agentToken })).status).toBe(200);

    // Two pages of the API's origin (no console needed): the agent answers, the customer offers.
    const page = async () => {
      const opened = await (await browser.newContext({ bypassCSP: true })).newPage();
      await opened.goto(`${api!.url}/api/health`);
      return opened;
    };
    const [agentPage, customerPage] = [await page(), await page()];
    await agentPage.evaluate(`(${installPeer})(${JSON.stringify({ token: agentToken, callId, offerer: false })})`);
    await customerPage.evaluate(`(${installPeer})(${JSON.stringify({ token: visitor.token, callId, offerer: true })})`);
    const peer = <T>(on: Page, read: (state: PeerState) => T | Promise<T>) => on.evaluate(`(${read.toString()})(window.callPeer)`) as Promise<T>;
    const bytes = (on: Page) => peer(on, (state) => state.bytes());
    for (const side of [agentPage, customerPage]) {
      await expect.poll(() => peer(side, (state) => state.connection), { timeout: 30_000, interval: 250 }).toBe('connected');
      await expect.poll(() => bytes(side), { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    }

    // The API dies: both sockets close, and media still flows between the browsers.
    await api!.kill();
    for (const side of [agentPage, customerPage]) await expect.poll(() => peer(side, (state) => state.closes), { timeout: 30_000, interval: 100 }).toBe(1);
    for (const side of [agentPage, customerPage]) {
      const before = await bytes(side);
      await expect.poll(() => bytes(side), { timeout: 30_000, interval: 250 }).toBeGreaterThan(before);
    }

    // Started again on the same port: the pages reconnect, and the call's signalling goes through the new process.
    await startApi();
    for (const side of [agentPage, customerPage]) await expect.poll(() => peer(side, (state) => state.opens), { timeout: 30_000, interval: 100 }).toBe(2);
    await customerPage.evaluate(`window.callPeer.send(${JSON.stringify({ type: 'call.mute', callId, muted: true })})`);
    await expect
      .poll(() => peer(agentPage, (state) => state.frames.filter((frame) => frame.type === 'call.mute')), { timeout: 30_000, interval: 250 })
      .toEqual([{ type: 'call.mute', callId, muted: true, from: 'customer' }]);
    expect(await peer(agentPage, (state) => state.connection)).toBe('connected');
    const flowing = await bytes(agentPage);
    await expect.poll(() => bytes(agentPage), { timeout: 30_000, interval: 250 }).toBeGreaterThan(flowing);

    // Hung up on the new process: the end with its duration, in the journey.
    const ended = await client.request('POST', `/api/calls/${callId}/hangup`, { token: agentToken });
    expect(ended.body.call).toMatchObject({ status: 'ended', durationSeconds: expect.any(Number) });
    // The mute went to the other party only.
    expect(await peer(customerPage, (state) => state.frames.filter((frame) => frame.type === 'call.mute').length)).toBe(0);
    const endedEvent = await system.db.event.findFirstOrThrow({ where: { conversationId, type: 'call.ended' } });
    expect((endedEvent.payload as { call: { durationSeconds: unknown } }).call.durationSeconds).toEqual(expect.any(Number));
    await agentPage.context().close();
    await customerPage.context().close();
    // Two starts of the API process (each up to ~20 s on a loaded machine) and the waits for media.
  }, 180_000);
});
