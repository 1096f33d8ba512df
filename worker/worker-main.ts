// The engine process. Runs one job at a time for the supervisor in the main process, keeping its models
// open between jobs and decoding the next file ahead; never imports electron.
import { ToWorker, type ProcessMediaInput, type WorkerProgress } from '../contracts/worker-protocol';
import { connectToParent } from './parent-port';
import { ModelError } from './engine/model-error';
import { WarmSessions } from './engine/warm-sessions';
import { DecodeCanceled } from './pipeline/decode';
import { WorkAhead } from './pipeline/work-ahead';
import { YieldGate } from './pipeline/yield-gate';
import { MediaError, ToolError } from './pipeline/media-error';
import { processMedia } from './pipeline/process-media';

const HEARTBEAT_MS = 1_000;
/** Progress goes up at most this often; the main process throttles again for the UI. */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Models stay open this long after a job, so the next file starts at once; then their memory goes
 * back, before the supervisor's idle shutdown (60 s) ends the process itself.
 */
const WARM_IDLE_MS = 30_000;

const port = connectToParent();
const warm = new WarmSessions(WARM_IDLE_MS);
const ahead = new WorkAhead(warm, (input, found) => port.send({ type: 'speech-found', cacheKey: input.cacheKey, found }));
const yieldGate = new YieldGate();
let current: { jobId: number; controller: AbortController } | undefined;

port.onMessage((raw) => {
  const parsed = ToWorker.safeParse(raw);
  if (!parsed.success) {
    console.error(`[worker] ignored an invalid message: ${parsed.error.message}`);
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'run':
      void run(message.jobId, message.input);
      break;
    case 'cancel':
      if (current?.jobId === message.jobId) current.controller.abort();
      break;
    case 'ahead':
      ahead.plan(message.inputs);
      break;
    case 'yield':
      yieldGate.set(message.yielding);
      break;
    case 'shutdown':
      current?.controller.abort();
      process.exit(0);
  }
});

async function run(jobId: number, input: ProcessMediaInput): Promise<void> {
  if (current) {
    port.send({ type: 'failed', jobId, error: { code: 'busy', message: 'The engine is busy with another job.' } });
    return;
  }
  const controller = new AbortController();
  current = { jobId, controller };
  let lastSent = 0;
  let lastStage: string | undefined;
  const report = (update: WorkerProgress): void => {
    const now = Date.now();
    if (now - lastSent < PROGRESS_INTERVAL_MS && update.stage === lastStage && update.progress < 1 && !update.engine) return;
    lastSent = now;
    lastStage = update.stage;
    port.send({ type: 'progress', jobId, update });
  };
  const openedBefore = warm.opened;
  try {
    const output = await processMedia(input, controller.signal, report, (transcript) => port.send({ type: 'transcript', jobId, transcript }), {
      warm,
      ahead,
      yieldGate,
      onCheckpoint: (checkpoint) => port.send({ type: 'checkpoint', jobId, checkpoint }),
      onSegments: (segments) => port.send({ type: 'segments', jobId, segments }),
      onSpeechFound: (found) => port.send({ type: 'speech-found', cacheKey: input.cacheKey, found }),
    });
    if (controller.signal.aborted) port.send({ type: 'canceled', jobId });
    else port.send({ type: 'done', jobId, output, maxRssBytes: process.resourceUsage().maxRSS * 1024, modelsOpened: warm.opened - openedBefore });
  } catch (error) {
    if (controller.signal.aborted || error instanceof DecodeCanceled) port.send({ type: 'canceled', jobId });
    else if (error instanceof MediaError || error instanceof ToolError || error instanceof ModelError) {
      // The user gets one sentence; the log keeps what the tool said, for whoever has to find out why.
      if (error instanceof MediaError && error.detail) console.error(`[worker] ${error.code}: ${error.detail.trim().split('\n').slice(-3).join(' | ')}`);
      port.send({ type: 'failed', jobId, error: { code: error.code, message: error.message } });
    } else {
      console.error('[worker] job failed unexpectedly:', error);
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      port.send({ type: 'failed', jobId, error: { code: 'internal', message } });
    }
  } finally {
    current = undefined;
    warm.idle();
  }
}

setInterval(() => port.send({ type: 'heartbeat' }), HEARTBEAT_MS);
port.send({ type: 'ready', pid: process.pid });
