// Transcription benchmark: `npm run bench:transcribe [-- --repeat N]`.
// For every Whisper model installed in VERBATIM_MODELS_DIR (default ../shared/models), transcribes
// the synthetic speech in ../shared/audio two ways, each in a fresh process so peak RSS is its own:
//   verbatim         the real worker through the supervisor: decode, VAD, batched decoding, word alignment
//   transformers.js  @huggingface/transformers' automatic-speech-recognition pipeline, chunk_length_s 30,
//                    word timestamps, on the same ONNX files
// and prints realtime factor, peak RSS and word error rate against the reference texts.
// --repeat N adds a file of the whole set repeated N times, where long-form behaviour shows.
// --minutes 2,10,30 instead measures Verbatim alone on the dialogue looped to those lengths: speed and
// the worker's peak RSS, to show how memory follows the length of a recording.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelManager } from '../core/models/model-manager';
import { resourcePaths } from '../core/paths';
import { longMp3, projectRoot, sharedAudio, sharedModels } from '../tests/helpers/media';
import { resolveTools } from '../worker/pipeline/ffmpeg-tools';
import { runInFreshWorker } from './lib/fresh-worker';
import { wordErrors } from './lib/word-error-rate';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '0' }, models: { type: 'string' }, minutes: { type: 'string' } } });
const modelsDir = path.resolve(process.env.VERBATIM_MODELS_DIR ?? sharedModels);
const resources = resourcePaths(path.join(projectRoot, 'resources'));
const work = path.join(projectRoot, '.cache/bench');
mkdirSync(work, { recursive: true });
const ffmpeg = resolveTools({ ffmpegPath: null, ffprobePath: null }).ffmpeg;

interface Case {
  name: string;
  wav: string;
  reference: string;
}

function cases(): Case[] {
  const names = ['dialogue-2spk', 'podcast-3spk'];
  const list = names.map((name) => ({
    name,
    wav: path.join(sharedAudio, 'synthetic', `${name}.wav`),
    reference: readFileSync(path.join(sharedAudio, 'synthetic', `${name}.txt`), 'utf8'),
  }));
  const repeat = Number(values.repeat);
  if (repeat > 0) {
    const wav = path.join(work, `synthetic-x${repeat}.wav`);
    const sources = Array.from({ length: repeat }, () => list.map((item) => item.wav)).flat();
    if (!existsSync(wav)) {
      const inputs = sources.flatMap((source) => ['-i', source]);
      const filter = `${sources.map((_, i) => `[${i}:a]`).join('')}concat=n=${sources.length}:v=0:a=1[out]`;
      execFileSync(ffmpeg, ['-loglevel', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[out]', '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', wav]);
    }
    list.push({ name: `all ×${repeat}`, wav, reference: Array.from({ length: repeat }, () => list.map((item) => item.reference).join('\n')).join('\n') });
  }
  return list;
}

interface Run {
  text: string;
  wallSec: number;
  audioSec: number;
  peakRssMb: number;
}

async function viaVerbatim(model: { id: string; dir: string; dtypeSuffix: string }, wav: string): Promise<Run> {
  const { output, wallSec, peakRssMb } = await runInFreshWorker(wav, work, {
    model,
    vadModelPath: resources.vadModel,
    language: 'en',
    task: 'transcribe',
    initialPrompt: null,
    device: 'cpu',
  });
  const text = output.transcript?.segments.map((segment) => segment.text).join(' ') ?? '';
  return { text, wallSec, audioSec: output.decodedSec, peakRssMb };
}

function viaTransformersJs(repo: string, wav: string): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench/lib/transformers-asr.ts'), modelsDir, repo, wav], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

const manager = new ModelManager({ catalogPath: resources.catalog, modelsDir: path.join(os.tmpdir(), 'verbatim-bench-no-models'), externalDir: modelsDir });
const wanted = values.models?.split(',');
const models = [];
for (const entry of manager.catalog) {
  if (wanted && !wanted.includes(entry.id)) continue;
  const found = await manager.find(entry.id);
  if (found) models.push({ entry, found });
}
if (models.length === 0) throw new Error(`No catalog model is installed in ${modelsDir}.`);

if (values.minutes) {
  console.log('| Model | Length | Wall | Speed | Worker peak RSS |\n|---|---|---|---|---|');
  for (const { entry, found } of models) {
    for (const minutes of values.minutes.split(',').map(Number)) {
      const run = await viaVerbatim({ id: entry.id, dir: found.dir, dtypeSuffix: found.dtypeSuffix }, longMp3(minutes));
      console.log(`| ${entry.id} | ${minutes} min | ${run.wallSec.toFixed(0)} s | ${(run.audioSec / run.wallSec).toFixed(1)}× | ${Math.round(run.peakRssMb)} MB |`);
    }
  }
  process.exit(0);
}

const rows: string[] = [];
const details: string[] = [];
for (const { entry, found } of models) {
  for (const [engine, run] of [
    ['Verbatim', (wav: string) => viaVerbatim({ id: entry.id, dir: found.dir, dtypeSuffix: found.dtypeSuffix }, wav)],
    ['transformers.js pipeline', async (wav: string) => viaTransformersJs(entry.repo, wav)],
  ] as const) {
    let wall = 0;
    let audio = 0;
    let peak = 0;
    let errors = 0;
    let words = 0;
    for (const item of cases()) {
      const result = await run(item.wav);
      const counts = wordErrors(item.reference, result.text);
      wall += result.wallSec;
      audio += result.audioSec;
      peak = Math.max(peak, result.peakRssMb);
      errors += counts.errors;
      words += counts.referenceWords;
      details.push(`${entry.id} | ${engine} | ${item.name} | ${(result.audioSec / result.wallSec).toFixed(1)}× | ${((100 * counts.errors) / counts.referenceWords).toFixed(1)} % | ${result.text.trim().slice(0, 80)}…`);
      console.error(details[details.length - 1]);
    }
    rows.push(`| ${entry.id} | ${engine} | ${(audio / wall).toFixed(1)}× | ${Math.round(peak)} MB | ${((100 * errors) / words).toFixed(1)} % (${errors}/${words}) |`);
  }
}

const report = [
  `Transcription benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
  `Command: npm run bench:transcribe${Number(values.repeat) > 0 ? ` -- --repeat ${values.repeat}` : ''}`,
  '',
  '| Model | Engine | Speed (audio ÷ wall, incl. load) | Peak RSS | WER |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  'Per file (model | engine | file | speed | WER | text):',
  ...details.map((line) => `- ${line}`),
].join('\n');
console.log(report);
writeFileSync(path.join(work, 'transcribe-report.md'), `${report}\n`);
