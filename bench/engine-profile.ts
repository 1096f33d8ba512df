// Where transcription time goes: `npx tsx bench/engine-profile.ts [--model whisper-base] [--minutes 30] [--batch N]`.
// Runs the engine's transcribe() in this process on the long real-speech file bench/transcribe makes
// (../shared/audio/read-speech over and over with 1 s pauses), with timers around the model's own
// methods: log-mel features, encoder, decoder runs; the rest of decoding (logits filtering, sampling,
// alignment) is the decode loop's JavaScript. The same file runs against an earlier checkout to
// compare (copy it and lib/read-speech.ts into that checkout's bench/), since it only wraps methods both
// versions have.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { transcribe } from '../worker/engine/transcribe';
import { WhisperModel } from '../worker/engine/whisper/whisper-model';
import { longRealSpeech } from './lib/read-speech';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'whisper-base' }, minutes: { type: 'string', default: '30' }, batch: { type: 'string' } } });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const work = path.join(root, '.cache/bench');
mkdirSync(work, { recursive: true });

const spent: Record<string, number> = { 'log-mel': 0, encoder: 0, 'decoder (model)': 0, 'model loading': 0 };
const calls: Record<string, number> = { 'decoder (model)': 0 };
type Method = (...args: unknown[]) => unknown;
function time(name: string, owner: object, method: string): void {
  const original = (owner as Record<string, Method>)[method]!;
  (owner as Record<string, Method>)[method] = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const result = original.apply(this, args);
    const done = (): void => {
      spent[name]! += performance.now() - started;
      calls[name] = (calls[name] ?? 0) + 1;
    };
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  };
}
time('log-mel', WhisperModel.prototype, 'logMel');
time('encoder', WhisperModel.prototype, 'encode');
time('decoder (model)', WhisperModel.prototype, 'decode');
time('model loading', WhisperModel, 'load');

const pcmPath = longRealSpeech(path.join(shared, 'audio'), work, Number(values.minutes), 'f32').file;
const audioSec = (readFileSync(pcmPath).length / 4) / 16_000;
const stageStart: Record<string, number> = {};
const stageContext = (name: string) => ({
  signal: new AbortController().signal,
  progress: (fraction: number) => {
    stageStart[name] ??= performance.now();
    if (fraction >= 1) spent[`stage ${name}`] = performance.now() - stageStart[name]!;
  },
});
const started = performance.now();
await transcribe(
  {
    pcmPath,
    model: { id: values.model, dir: path.join(shared, 'models/Xenova', values.model), dtypeSuffix: '_quantized' },
    vadModelPath: path.join(root, 'resources/vad/silero_vad_v6.onnx'),
    language: 'en',
    task: 'transcribe',
    initialPrompt: null,
    device: 'cpu',
    // Windows decoded together; left out, the engine's own choice (four on a CPU).
    batchSize: values.batch === undefined ? undefined : Number(values.batch),
  },
  { detectSpeech: stageContext('detect-speech'), transcribe: stageContext('transcribe') },
);
const wall = performance.now() - started;
// Speech detection runs first, then the model opens, then the transcribe stage reports its start.
const speech = stageStart.transcribe! - started - spent['model loading']!;
const decodeJs = (spent['stage transcribe'] ?? 0) - spent['log-mel']! - spent.encoder! - spent['decoder (model)']!;
const rows: Array<[string, number]> = [
  ['speech detection (VAD)', speech],
  ['model loading', spent['model loading']!],
  ['log-mel features', spent['log-mel']!],
  ['encoder', spent.encoder!],
  ['decoder runs', spent['decoder (model)']!],
  ['decode loop JavaScript (filters, sampling, alignment, segments)', decodeJs],
];
console.log(`Engine profile, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${values.model}, ${(audioSec / 60).toFixed(1)} min of real speech`);
console.log(`Wall ${(wall / 1000).toFixed(1)} s, batches of ${values.batch ?? 'the engine\'s choice'} (${(audioSec / (wall / 1000)).toFixed(1)}× realtime); ${calls['decoder (model)']} decoder runs, ${calls.encoder ?? 0} encoder calls\n`);
console.log('| Part | Time | Share |\n|---|---|---|');
for (const [name, ms] of rows) console.log(`| ${name} | ${(ms / 1000).toFixed(1)} s | ${((100 * ms) / wall).toFixed(0)} % |`);
