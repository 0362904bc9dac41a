// The console's one WebSocket, shared by every screen: started at sign-in, stopped at sign-out.
// Screens subscribe to events and to `ready` (after which they refresh their REST snapshot,
// since a long outage may have outlived the server's backlog).
import { ref } from 'vue';
import type { EventView } from '../../../domain/events';
import type { ReceivedCallFrame } from '../../../contract/calls';
import { socketUrl, type TypingFrame } from './frames';
import { RealtimeClient, type ConnectionState } from './socket';

export const liveState = ref<ConnectionState>('stopped');

const eventListeners = new Set<(event: EventView) => void>();
const readyListeners = new Set<() => void>();
const typingListeners = new Set<(frame: TypingFrame) => void>();
const callListeners = new Set<(frame: ReceivedCallFrame) => void>();
let client: RealtimeClient | null = null;
let failuresChecked = 0;

export function startLive(token: string, onRepeatedFailure?: () => void): void {
  stopLive();
  failuresChecked = 0;
  const current = new RealtimeClient({
    url: (after) => socketUrl(window.location, token, after),
    onEvent: (event) => {
      for (const listener of eventListeners) listener(event);
    },
    onReady: () => {
      for (const listener of readyListeners) listener();
    },
    onTyping: (frame) => {
      for (const listener of typingListeners) listener(frame);
    },
    onCall: (frame) => {
      for (const listener of callListeners) listener(frame);
    },
    onState: (state, failures) => {
      liveState.value = state;
      // The browser hides why a handshake failed (a 401 looks like any drop); every third
      // failure in a row, ask REST whether the token is still good.
      if (failures > 0 && failures % 3 === 0 && failures !== failuresChecked) {
        failuresChecked = failures;
        onRepeatedFailure?.();
      }
    },
  });
  client = current;
  current.start();
}

export function stopLive(): void {
  client?.stop();
  client = null;
  liveState.value = 'stopped';
}

export function onLiveEvent(listener: (event: EventView) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export function onLiveReady(listener: () => void): () => void {
  readyListeners.add(listener);
  return () => readyListeners.delete(listener);
}

export function onLiveTyping(listener: (frame: TypingFrame) => void): () => void {
  typingListeners.add(listener);
  return () => typingListeners.delete(listener);
}

/** A call's other party negotiates (console/src/calls/call-session.ts). */
export function onLiveCall(listener: (frame: ReceivedCallFrame) => void): () => void {
  callListeners.add(listener);
  return () => callListeners.delete(listener);
}

/** Sends a call frame (offer, answer, ICE, mute, camera) to the call's other party. */
export function sendLive(frame: unknown): void {
  client?.send(frame);
}

/** Tells the others in a conversation that this agent is (or stopped) typing; a note's typing reaches agents only. */
export function sendTyping(conversationId: string, typing: boolean, asNote: boolean): void {
  client?.send({ type: 'typing', conversationId, typing, ...(asNote ? { private: true } : {}) });
}

// A laptop waking up or a phone regaining signal: skip the remaining backoff.
if (typeof window !== 'undefined') window.addEventListener('online', () => client?.reconnectNow());
