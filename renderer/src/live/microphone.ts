import workletUrl from './capture-worklet.ts?worker&url';
import type { CaptureChunk } from './capture-worklet';

export const CAPTURE_RATE = 16_000;

export interface Capture {
  /** The device's name, once permission is granted (browsers hide names until then). */
  readonly label: string;
  readonly deviceId: string | null;
  /** The AudioContext's rate: 16 kHz where the platform allows it; otherwise the worklet resamples. */
  readonly contextRate: number;
  close(): void;
}

export type CaptureFailure = 'denied' | 'no-device' | 'failed';

export class CaptureError extends Error {
  constructor(
    readonly reason: CaptureFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The microphones the system offers (names are empty until the user has allowed one). */
export async function listInputs(): Promise<Array<{ deviceId: string; label: string }>> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((device) => device.kind === 'audioinput' && device.deviceId !== '').map((device, index) => ({ deviceId: device.deviceId, label: device.label || `Microphone ${index + 1}` }));
}

/**
 * Opens a microphone and streams it as 16 kHz mono 16-bit chunks of 100 ms. `onEnded` is called
 * when the device goes away (unplugged) — not when close() is called.
 */
export async function openMicrophone(deviceId: string | null, onChunk: (pcm: Uint8Array, peak: number) => void, onEnded: () => void): Promise<Capture> {
  // The audio graph is ready before the microphone opens: audio that flows before the worklet is
  // connected is lost, and it is the first word.
  let context: AudioContext;
  try {
    context = new AudioContext({ sampleRate: CAPTURE_RATE, latencyHint: 'interactive' });
  } catch {
    // Some platforms refuse a rate their device does not run at; the worklet resamples then.
    context = new AudioContext({ latencyHint: 'interactive' });
  }
  await context.audioWorklet.addModule(workletUrl);
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        deviceId: deviceId ? { exact: deviceId } : undefined,
        channelCount: 1,
        // The sound as it is: Whisper copes with rooms and levels, and the browser's echo canceller and
        // gain control take a moment to settle, which swallows the first word of a recording.
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
      },
    });
  } catch (error) {
    void context.close();
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new CaptureError('denied', 'Verbatim may not use the microphone. Allow it in your system’s privacy settings (or this browser’s site settings), then try again.');
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new CaptureError('no-device', 'No microphone was found. Plug one in, then try again.');
    throw new CaptureError('failed', `The microphone could not be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  const track = stream.getAudioTracks()[0]!;
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'verbatim-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
  node.port.onmessage = (event: MessageEvent<CaptureChunk>) => onChunk(new Uint8Array(event.data.pcm), event.data.peak);
  source.connect(node);
  await context.resume();
  let closed = false;
  const ended = (): void => {
    if (closed) return;
    close();
    onEnded();
  };
  track.addEventListener('ended', ended);
  const close = (): void => {
    closed = true;
    track.removeEventListener('ended', ended);
    node.port.onmessage = null;
    source.disconnect();
    stream.getTracks().forEach((each) => each.stop());
    void context.close();
  };
  return { label: track.label || 'Microphone', deviceId: track.getSettings().deviceId ?? deviceId, contextRate: context.sampleRate, close };
}
