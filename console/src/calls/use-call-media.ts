// A call's media for a call bar (the console's CallPanel.vue, the widget's WidgetCall.vue): one
// CallSession at a time, the state the bar shows (connection, bytes received, muted, camera) and
// the video elements it plays into.
import { onUnmounted, ref } from 'vue';
import type { CallFrame, CallView, IceServer, ReceivedCallFrame } from '../../../contract/calls';
import { CallSession } from './call-session';

/** `videos`: the bar's CallVideos (the other party's video, and this side's camera). */
export function useCallMedia(send: (frame: CallFrame) => void, videos: () => { remote: HTMLVideoElement | null; self: HTMLVideoElement | null } | null) {
  const connection = ref('new');
  const bytesReceived = ref(0);
  const muted = ref(false);
  const camera = ref(true);
  /** The other party muted their microphone (their call.mute frame). */
  const peerMuted = ref(false);
  let session: CallSession | null = null;
  let remoteStream: MediaStream | null = null;
  let statsTimer: ReturnType<typeof setInterval> | null = null;
  // Frames that arrive before the session exists (the agent's accept is on its way) wait for it.
  const early: ReceivedCallFrame[] = [];

  /** The call the session is for, to start afresh when the other side's browser changes. */
  let connectedTo: { call: CallView; iceServers: IceServer[] } | null = null;

  /** A new connection for the call: the customer's side offers, the agent's answers. */
  async function connect(call: CallView, iceServers: IceServer[], offerer: boolean) {
    stop();
    connectedTo = { call, iceServers };
    muted.value = false;
    peerMuted.value = false;
    camera.value = call.media === 'video';
    const current = new CallSession({
      callId: call.id,
      media: call.media,
      iceServers,
      offerer,
      send,
      onRemoteStream: (stream) => {
        remoteStream = stream;
        const remote = videos()?.remote;
        if (remote) remote.srcObject = stream;
      },
      onState: (state) => (connection.value = state),
      onPeer: (peer) => {
        if (peer.muted !== undefined) peerMuted.value = peer.muted;
      },
    });
    session = current;
    for (const frame of early.splice(0)) if (frame.callId === call.id) void current.handle(frame);
    await current.start();
    const self = videos()?.self;
    if (self && current.local) self.srcObject = current.local;
    statsTimer = setInterval(() => void current.bytesReceived().then((bytes) => (bytesReceived.value = bytes)), 500);
  }

  function stop() {
    session?.close();
    session = null;
    remoteStream = null;
    if (statsTimer) clearInterval(statsTimer);
    statsTimer = null;
    connection.value = 'closed';
  }

  function handle(frame: ReceivedCallFrame) {
    // The customer reloaded the widget mid-call: a new browser offers; answer it on a fresh connection.
    if (session && connectedTo && frame.type === 'call.offer' && session.isFromAnotherPeer(frame.sdp)) {
      early.push(frame);
      void connect(connectedTo.call, connectedTo.iceServers, false);
      return;
    }
    if (session) void session.handle(frame);
    else early.push(frame);
  }

  function toggleMute() {
    muted.value = !muted.value;
    session?.setMuted(muted.value);
  }

  async function toggleCamera() {
    camera.value = !camera.value;
    await session?.setVideo(camera.value);
  }

  onUnmounted(stop);
  return {
    connection,
    bytesReceived,
    muted,
    camera,
    peerMuted,
    connect,
    stop,
    handle,
    toggleMute,
    toggleCamera,
    active: () => session !== null,
    /** This side's microphone (and camera) and the other party's media, for a recording. */
    streams: () => ({ local: session?.local ?? null, remote: remoteStream }),
  };
}
