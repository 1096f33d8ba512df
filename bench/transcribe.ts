// Transcription benchmark: `npm run bench:transcribe [-- --models whisper-base --minutes-long 30]`.
// For every Whisper model installed in VERBATIM_MODELS_DIR (default ../shared/models), side by side in
// one run with @huggingface/transformers' automatic-speech-recognition pipeline on the same ONNX files:
//   (a) real read speech (../shared/audio/read-speech, 21 utterances) as one batch: Verbatim through
//       its CLI (one call, every file), the pipeline as one script over the files (model loaded once);
//   (b) one long real-speech file: those utterances over and over with 1 s pauses, --minutes-long
//       minutes (default 30): Verbatim's real worker through the supervisor, in a fresh process so its
//       peak RSS is its own, against the pipeline with chunk_length_s 30;
//   (c) the synthetic dialogues (espeak), each file alone, as the earlier benchmark did.
// Both engines: English, transcribe, word timestamps, CPU. WER after Whisper's English normalisation
// (bench/lib/english-normaliser.ts) on both sides. --minutes 2,10,30 instead measures Verbatim alone on
// the long file cut to those lengths: speed and the worker's peak RSS against recording length.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelManager } from '../core/models/model-manager';
import { resourcePaths } from '../core/paths';
import { defaultThreadCount } from '../worker/engine/onnx/execution-providers';
import { projectRoot, sharedAudio, sharedModels } from '../tests/helpers/media';
import { runInFreshWorker } from './lib/fresh-worker';
import { longRealSpeech, readSpeech, wavSeconds } from './lib/read-speech';
import { corpusWordErrors, wordErrors } from './lib/word-error-rate';

const { values } = parseArgs({
  options: { models: { type: 'string' }, minutes: { type: 'string' }, 'minutes-long': { type: 'string', default: '30' }, skip: { type: 'string', default: '' } },
});
const skip = new Set(values.skip.split(',').filter(Boolean));
const modelsDir = path.resolve(process.env.VERBATIM_MODELS_DIR ?? sharedModels);
const resources = resourcePaths(path.join(projectRoot, 'resources'));
const work = path.join(projectRoot, '.cache/bench');
mkdirSync(work, { recursive: true });

const utterances = readSpeech(sharedAudio);

interface Result {
  texts: string[];
  wallSec: number;
  audioSec: number;
  peakRssMb: number | null;
}

type Model = { id: string; repo: string; dir: string; dtypeSuffix: string };

function pipelineRun(model: Model, wavs: string[]): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench/lib/transformers-asr.ts'), modelsDir, model.repo, 'en', String(defaultThreadCount()), ...wavs], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 2 ** 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

/** One CLI call over every file, as a user would run it on a folder. */
function cliRun(model: Model, wavs: string[]): Result {
  const out = path.join(work, 'cli-out');
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  execFileSync(
    process.execPath,
    [path.join(projectRoot, 'dist/cli/verbatim.cjs'), 'transcribe', ...wavs, '--model', model.id, '--language', 'en', '--diarize', 'off', '--device', 'cpu', '--format', 'json', '--out', out],
    { env: { ...process.env, VERBATIM_MODELS_DIR: modelsDir }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const wallSec = (performance.now() - started) / 1000;
  const texts = wavs.map((wav) => {
    const json = JSON.parse(readFileSync(path.join(out, `${path.basename(wav, '.wav')}.json`), 'utf8')) as { segments: Array<{ text: string }> };
    return json.segments.map((segment) => segment.text).join(' ');
  });
  return { texts, wallSec, audioSec: wavs.reduce((sum, wav) => sum + wavSeconds(wav), 0), peakRssMb: null };
}

async function workerRun(model: Model, wav: string): Promise<Result> {
  const { output, wallSec, peakRssMb } = await runInFreshWorker(wav, work, {
    model: { id: model.id, dir: model.dir, dtypeSuffix: model.dtypeSuffix },
    vadModelPath: resources.vadModel,
    language: 'en',
    task: 'transcribe',
    initialPrompt: null,
    device: 'cpu',
  });
  return { texts: [output.transcript?.segments.map((segment) => segment.text).join(' ') ?? ''], wallSec, audioSec: output.decodedSec, peakRssMb };
}

const manager = new ModelManager({ catalogPath: resources.catalog, modelsDir: path.join(os.tmpdir(), 'verbatim-bench-no-models'), externalDir: modelsDir });
const wanted = values.models?.split(',');
const models: Model[] = [];
for (const entry of manager.catalog) {
  if (wanted && !wanted.includes(entry.id)) continue;
  const found = await manager.find(entry.id);
  if (found) models.push({ id: entry.id, repo: entry.repo, dir: found.dir, dtypeSuffix: found.dtypeSuffix });
}
if (models.length === 0) throw new Error(`No catalog model is installed in ${modelsDir}.`);

if (values.minutes) {
  console.log('| Model | Length | Wall | Speed | Worker peak RSS | WER |\n|---|---|---|---|---|---|');
  for (const model of models) {
    for (const minutes of values.minutes.split(',').map(Number)) {
      const long = longRealSpeech(sharedAudio, work, minutes);
      const run = await workerRun(model, long.file);
      const counts = wordErrors(long.reference, run.texts[0]!);
      console.log(
        `| ${model.id} | ${(run.audioSec / 60).toFixed(1)} min | ${run.wallSec.toFixed(0)} s | ${(run.audioSec / run.wallSec).toFixed(1)}× | ${Math.round(run.peakRssMb!)} MB | ${((100 * counts.errors) / counts.referenceWords).toFixed(1)} % |`,
      );
    }
  }
  process.exit(0);
}

const rows: string[] = [];
const details: string[] = [];
function record(model: string, workload: string, engine: string, result: Result, references: string[]): void {
  const { errors, referenceWords: words } = corpusWordErrors(references, result.texts);
  const rss = result.peakRssMb === null ? 'n/a' : `${Math.round(result.peakRssMb)} MB`;
  const row = `| ${model} | ${workload} | ${engine} | ${(result.audioSec / 60).toFixed(1)} min | ${result.wallSec.toFixed(1)} s | ${(result.audioSec / result.wallSec).toFixed(1)}× | ${rss} | ${((100 * errors) / words).toFixed(1)} % (${errors}/${words}) |`;
  rows.push(row);
  console.error(row);
  if (references.length === 1) details.push(`${model} | ${workload} | ${engine} | ${(result.texts[0] ?? '').trim().slice(0, 100)}…`);
}

const long = longRealSpeech(sharedAudio, work, Number(values['minutes-long']));
const synthetic = ['dialogue-2spk', 'podcast-3spk'].map((name) => ({
  name,
  wav: path.join(sharedAudio, 'synthetic', `${name}.wav`),
  reference: readFileSync(path.join(sharedAudio, 'synthetic', `${name}.txt`), 'utf8'),
}));
for (const model of models) {
  if (!skip.has('a')) {
    const wavs = utterances.map((u) => u.wav);
    const references = utterances.map((u) => u.reference);
    record(model.id, '(a) 21 real utterances, one batch', 'Verbatim CLI', cliRun(model, wavs), references);
    record(model.id, '(a) 21 real utterances, one batch', 'transformers.js pipeline', pipelineRun(model, wavs), references);
  }
  if (!skip.has('b')) {
    const label = `(b) real speech ×${long.rounds}, one file`;
    record(model.id, label, 'Verbatim worker', await workerRun(model, long.file), [long.reference]);
    record(model.id, label, 'transformers.js pipeline', pipelineRun(model, [long.file]), [long.reference]);
  }
  if (!skip.has('c')) {
    for (const item of synthetic) {
      record(model.id, `(c) synthetic ${item.name}`, 'Verbatim worker', await workerRun(model, item.wav), [item.reference]);
      record(model.id, `(c) synthetic ${item.name}`, 'transformers.js pipeline', pipelineRun(model, [item.wav]), [item.reference]);
    }
  }
}

const report = [
  `Transcription benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
  `Command: npm run bench:transcribe${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  '',
  '| Model | Workload | Engine | Audio | Wall (incl. start and load) | Speed | Peak RSS | WER |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  'Texts (model | workload | engine | start):',
  ...details.map((line) => `- ${line}`),
].join('\n');
console.log(report);
writeFileSync(path.join(work, 'transcribe-report.md'), `${report}\n`);
