// The agent's browser records a call both sides agreed to record (issue 24): both voices mixed
// into one audio track (Web Audio), with the customer's video when there is some, through
// MediaRecorder; stop() answers the file. The API keeps it as an attachment of the conversation
// (POST /api/calls/:id/recordings, uploadRecording), sent when the call ends.

/** A WebM type this browser's MediaRecorder writes: with video when the call has some. */
function recordingType(video: boolean): string | undefined {
  const candidates = video ? ['video/webm;codecs=vp8,opus', 'video/webm'] : ['audio/webm;codecs=opus', 'audio/webm'];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type));
}

export class CallRecorder {
  private readonly recorder: MediaRecorder;
  private readonly audio: AudioContext;
  private readonly chunks: Blob[] = [];
  private readonly done: Promise<Blob>;

  constructor(local: MediaStream | null, remote: MediaStream | null) {
    this.audio = new AudioContext();
    const mixed = this.audio.createMediaStreamDestination();
    for (const stream of [local, remote]) {
      if (stream && stream.getAudioTracks().length > 0) this.audio.createMediaStreamSource(stream).connect(mixed);
    }
    const video = remote?.getVideoTracks().find((track) => track.readyState === 'live');
    const tracks = [...mixed.stream.getAudioTracks(), ...(video ? [video] : [])];
    const mimeType = recordingType(video !== undefined);
    this.recorder = new MediaRecorder(new MediaStream(tracks), mimeType ? { mimeType } : undefined);
    this.done = new Promise((resolve) => {
      this.recorder.onstop = () => resolve(new Blob(this.chunks, { type: this.recorder.mimeType || 'video/webm' }));
    });
    this.recorder.ondataavailable = ({ data }) => {
      if (data.size > 0) this.chunks.push(data);
    };
    // A chunk a second: a call that ends abruptly still leaves what was recorded.
    this.recorder.start(1000);
  }

  /** Stops recording; answers the recording. */
  async stop(): Promise<Blob> {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    const blob = await this.done;
    await this.audio.close().catch(() => undefined);
    return blob;
  }
}

/** Uploads a call's recording as the agent in the call; answers the attachment's id. */
export async function uploadRecording(callId: string, recording: Blob, token: string | null): Promise<string> {
  const response = await fetch(`/api/calls/${encodeURIComponent(callId)}/recordings`, {
    method: 'POST',
    headers: {
      'content-type': recording.type.split(';')[0] || 'video/webm',
      'x-file-name': encodeURIComponent(`call-${callId.slice(0, 8)}.webm`),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: recording,
  });
  const body = (await response.json().catch(() => null)) as { attachment?: { id: string }; error?: { message?: string } } | null;
  if (!response.ok || !body?.attachment) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body.attachment.id;
}
