// One side of a voice or video call in the browser (issue 24): the RTCPeerConnection, the local
// microphone (and camera), and the negotiation with the other party over /ws (contract/calls.ts
// frames, relayed by the server to that party only). The customer makes the offer once the call
// is answered (again after a transfer, to the colleague who took it, and after a reload of the
// widget); the agent answers it. ICE candidates trickle both ways and wait for the remote
// description. Media flows peer to peer. Once connected, either side renegotiates when its
// tracks change (a camera turned on in a voice call: onnegotiationneeded → a new offer over the
// relay), the "perfect negotiation" way: when both offer at once the agent's side (polite) rolls
// its own back and answers, the customer's ignores the agent's.
import type { CallFrame, CallMedia, IceServer, ReceivedCallFrame } from '../../../contract/calls';

export interface CallSessionOptions {
  callId: string;
  media: CallMedia;
  iceServers: IceServer[];
  /** The customer's side: it sends the offer. */
  offerer: boolean;
  send(frame: CallFrame): void;
  /** The other party's audio and video, to play. */
  onRemoteStream(stream: MediaStream): void;
  /** The connection's state (`connected` once media flows). */
  onState?(state: RTCPeerConnectionState): void;
  /** The other party muted or turned their camera off or on. */
  onPeer?(peer: { muted?: boolean; video?: boolean }): void;
}

export class CallSession {
  readonly pc: RTCPeerConnection;
  local: MediaStream | null = null;
  private readonly ready: Promise<void>;
  private startReady!: () => void;
  private pendingIce: RTCIceCandidateInit[] = [];
  private closed = false;
  /** The first offer and answer are through: track changes renegotiate from now on. */
  private negotiated = false;
  private makingOffer = false;

  constructor(private readonly options: CallSessionOptions) {
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers });
    this.ready = new Promise((resolve) => (this.startReady = resolve));
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) options.send({ type: 'call.ice', callId: options.callId, candidate: candidate.toJSON() as CallIce });
    };
    this.pc.ontrack = ({ streams }) => {
      if (streams[0]) options.onRemoteStream(streams[0]);
    };
    this.pc.onconnectionstatechange = () => options.onState?.(this.pc.connectionState);
    this.pc.onnegotiationneeded = () => {
      if (this.negotiated && !this.closed) void this.offer();
    };
  }

  /** Sends an offer of this side's current tracks. */
  private async offer(): Promise<void> {
    this.makingOffer = true;
    try {
      await this.pc.setLocalDescription(await this.pc.createOffer());
      this.options.send({ type: 'call.offer', callId: this.options.callId, sdp: this.pc.localDescription?.sdp ?? '' });
    } finally {
      this.makingOffer = false;
    }
  }

  /** Whether an offer comes from another browser than the one connected (the customer reloaded the widget): its DTLS fingerprint differs. */
  isFromAnotherPeer(sdp: string): boolean {
    const current = this.pc.remoteDescription?.sdp;
    if (!current) return false;
    const fingerprint = (text: string) => /^a=fingerprint:(.+)$/m.exec(text)?.[1]?.trim() ?? null;
    return fingerprint(current) !== fingerprint(sdp);
  }

  /** Takes the microphone (and camera for a video call) and, on the customer's side, sends the offer. */
  async start(): Promise<void> {
    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: this.options.media === 'video' });
    if (this.closed) return this.stopLocal();
    for (const track of this.local.getTracks()) this.pc.addTrack(track, this.local);
    this.startReady();
    if (!this.options.offerer) return;
    await this.offer();
  }

  /** A frame of the other party's. */
  async handle(frame: ReceivedCallFrame): Promise<void> {
    if (frame.callId !== this.options.callId || this.closed) return;
    switch (frame.type) {
      case 'call.offer': {
        await this.ready;
        const collision = this.makingOffer || this.pc.signalingState !== 'stable';
        // Both offered at once: the customer's side keeps its offer, the agent's gives way.
        if (collision && this.options.offerer) return;
        if (collision) await this.pc.setLocalDescription({ type: 'rollback' });
        await this.pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
        await this.flushIce();
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        this.options.send({ type: 'call.answer', callId: this.options.callId, sdp: answer.sdp ?? '' });
        this.negotiated = true;
        return;
      }
      case 'call.answer':
        if (this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp });
        this.negotiated = true;
        return this.flushIce();
      case 'call.ice':
        if (this.pc.remoteDescription) await this.pc.addIceCandidate(frame.candidate).catch(() => undefined);
        else this.pendingIce.push(frame.candidate);
        return;
      case 'call.mute':
        return this.options.onPeer?.({ muted: frame.muted });
      case 'call.video':
        return this.options.onPeer?.({ video: frame.enabled });
    }
  }

  /** Mutes or unmutes the microphone, and tells the other party. */
  setMuted(muted: boolean): void {
    for (const track of this.local?.getAudioTracks() ?? []) track.enabled = !muted;
    this.options.send({ type: 'call.mute', callId: this.options.callId, muted });
  }

  /** Turns the camera off or on (a voice call gets one the first time), and tells the other party. */
  async setVideo(enabled: boolean): Promise<void> {
    const tracks = this.local?.getVideoTracks() ?? [];
    if (enabled && tracks.length === 0 && this.local) {
      const camera = await navigator.mediaDevices.getUserMedia({ video: true });
      // A new track: onnegotiationneeded sends a new offer, from either side.
      for (const track of camera.getVideoTracks()) {
        this.local.addTrack(track);
        this.pc.addTrack(track, this.local);
      }
    }
    for (const track of tracks) track.enabled = enabled;
    this.options.send({ type: 'call.video', callId: this.options.callId, enabled });
  }

  /** Bytes of the other party's media received so far (getStats: inbound RTP). */
  async bytesReceived(): Promise<number> {
    let bytes = 0;
    (await this.pc.getStats()).forEach((report: { type: string; bytesReceived?: number }) => {
      if (report.type === 'inbound-rtp') bytes += report.bytesReceived ?? 0;
    });
    return bytes;
  }

  close(): void {
    this.closed = true;
    this.pc.close();
    this.stopLocal();
  }

  private stopLocal(): void {
    for (const track of this.local?.getTracks() ?? []) track.stop();
  }

  private async flushIce(): Promise<void> {
    const pending = this.pendingIce;
    this.pendingIce = [];
    for (const candidate of pending) await this.pc.addIceCandidate(candidate).catch(() => undefined);
  }
}

type CallIce = Extract<CallFrame, { type: 'call.ice' }>['candidate'];
