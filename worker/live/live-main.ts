// The live-captions process: one recording at a time, audio in as it is captured, captions out as
// they are decoded. Separate from the batch engine so a long file in the queue never delays them.
import { FromLiveWorker, ToLiveWorker, type LiveSettings } from '../../contracts/live-protocol';
import { providerOrder } from '../../contracts/devices';
import { connectToParent } from '../parent-port';
import { vadSession } from '../engine/transcribe';
import { WarmSessions } from '../engine/warm-sessions';
import { WhisperModel } from '../engine/whisper/whisper-model';
import { WhisperClipDecoder } from './clip-decoder';
import { LiveTranscriber } from './live-transcriber';
import { StreamingVad } from './streaming-vad';
import { int16ToFloat } from './pcm16';

const HEARTBEAT_MS = 1_000;

const port = connectToParent<FromLiveWorker>();
const sessions = new WarmSessions(0);
let current: { sessionId: number; transcriber: Promise<LiveTranscriber>; controller: AbortController } | undefined;

port.onMessage((raw) => {
  const parsed = ToLiveWorker.safeParse(raw);
  if (!parsed.success) {
    console.error(`[live] ignored an invalid message: ${parsed.error.message}`);
    return;
  }
  const message = parsed.data;
  if (message.type === 'shutdown') {
    current?.controller.abort();
    process.exit(0);
  }
  if (message.type === 'start') {
    current?.controller.abort();
    start(message.sessionId, message.settings);
    return;
  }
  if (current?.sessionId !== message.sessionId) return;
  // Arrival is stamped here, before any wait for the model: latency counts from the audio's arrival.
  const arrivedAt = Date.now();
  void current.transcriber.then((transcriber) => {
    if (message.type === 'audio') transcriber.push(int16ToFloat(message.pcm), arrivedAt);
    else if (message.type === 'flush') transcriber.flush();
    else transcriber.end();
  });
});

function start(sessionId: number, settings: LiveSettings): void {
  const controller = new AbortController();
  const opening = open(sessionId, settings);
  current = { sessionId, transcriber: opening.then(({ transcriber }) => transcriber), controller };
  const fail = (error: unknown): void => {
    if (controller.signal.aborted) return;
    console.error('[live] captions failed:', error);
    port.send({ type: 'failed', sessionId, error: { code: 'live-failed', message: error instanceof Error ? error.message.split('\n')[0]! : String(error) } });
  };
  opening
    .then(async ({ transcriber, model }) => {
      port.send({ type: 'started', sessionId, model: settings.model.id, provider: model.provider });
      await transcriber.run(controller.signal);
      if (current?.sessionId === sessionId) current = undefined;
      port.send({ type: 'ended', sessionId });
    })
    .catch(fail);
}

async function open(sessionId: number, settings: LiveSettings): Promise<{ transcriber: LiveTranscriber; model: WhisperModel }> {
  const order = providerOrder(settings.device, process.platform);
  const [model, vad] = await Promise.all([
    sessions.get('whisper', JSON.stringify([settings.model.dir, settings.model.dtypeSuffix, order]), () => WhisperModel.load(settings.model, order), (loaded) => loaded.release()),
    vadSession(sessions, settings.vadModelPath),
  ]);
  const scorer = new StreamingVad(vad);
  const transcriber = new LiveTranscriber(new WhisperClipDecoder(model, settings), { frameSamples: StreamingVad.frameSamples, score: (frame) => scorer.score(frame) }, (caption) =>
    port.send({ type: 'caption', sessionId, caption }),
  );
  return { transcriber, model };
}

setInterval(() => port.send({ type: 'heartbeat' }), HEARTBEAT_MS);
port.send({ type: 'ready', pid: process.pid });
