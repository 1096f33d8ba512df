// Verbatim beside the engines users would otherwise run, in one run, on the same Whisper weights and threads:
//   npm run bench:peers [-- --peers DIR --models whisper-tiny,whisper-base --rounds 3 --threads 2]
// Peers are built once by ../shared/peers/setup DIR (default DIR: .cache/peers): whisper.cpp (greedy, -bs 1,
// as Verbatim decodes; and its default beam 5), sherpa-onnx (inputs ≤ 30 s: short files only), and
// transformers.js' pipeline (chunk_length_s 30). Workloads, each with the language given (en) and detected:
//   short: the 21 real utterances of ../shared/audio/read-speech as 21 files, one call or process per engine;
//   long:  those utterances --rounds times as one recording with pauses of 0.7–2.5 s, every fourth said twice
//          in a row (bench/lib/read-speech.ts pausedRealSpeech).
// Each engine's wall time includes its start and model load. WER after Whisper's English normalisation, both
// sides; for the long file also how many utterances came out missing (under half their words). Verbatim's
// long run is its real worker through the supervisor, so its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resourcePaths } from '../core/paths';
import { defaultThreadCount } from '../worker/engine/onnx/execution-providers';
import { projectRoot, sharedAudio, sharedModels } from '../tests/helpers/media';
import { runInFreshWorker } from './lib/fresh-worker';
import { pausedRealSpeech, readSpeech, wavSeconds } from './lib/read-speech';
import { corpusWordErrors, utteranceRecall } from './lib/word-error-rate';

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: path.join(projectRoot, '.cache/peers') },
    models: { type: 'string', default: 'whisper-tiny,whisper-base' },
    rounds: { type: 'string', default: '3' },
    // Verbatim's own choice on this machine (all cores up to four), which every peer is given too.
    threads: { type: 'string', default: String(defaultThreadCount()) },
    skip: { type: 'string', default: '' },
  },
});
const peers = path.resolve(values.peers);
const threads = values.threads;
const skip = new Set(values.skip.split(',').filter(Boolean));
if (!existsSync(path.join(peers, 'whisper.cpp/build/bin/whisper-cli'))) throw new Error(`No peers in ${peers}: run ../shared/peers/setup ${peers} first.`);
const work = path.join(projectRoot, '.cache/bench/peers');
mkdirSync(work, { recursive: true });
const resources = resourcePaths(path.join(projectRoot, 'resources'));

const utterances = readSpeech(sharedAudio);
// Engines that write their text beside each input get links in a folder of their own.
const shortDir = path.join(work, 'short');
rmSync(shortDir, { recursive: true, force: true });
mkdirSync(shortDir);
const shortWavs = utterances.map((utterance) => {
  const link = path.join(shortDir, `${utterance.id}.wav`);
  symlinkSync(utterance.wav, link);
  return link;
});
const shortAudioSec = utterances.reduce((sum, utterance) => sum + wavSeconds(utterance.wav), 0);
const long = pausedRealSpeech(sharedAudio, work, Number(values.rounds));

interface Run {
  texts: string[];
  wallSec: number;
  peakRssMb?: number;
}

function timed(run: () => string[]): Run {
  const started = performance.now();
  const texts = run();
  return { texts, wallSec: (performance.now() - started) / 1000 };
}

function verbatimCli(model: string, language: string, wavs: string[]): Run {
  const out = path.join(work, 'verbatim-out');
  rmSync(out, { recursive: true, force: true });
  return timed(() => {
    execFileSync(
      process.execPath,
      [path.join(projectRoot, 'dist/cli/verbatim.cjs'), 'transcribe', ...wavs, '--model', model, '--language', language, '--diarize', 'off', '--device', 'cpu', '--format', 'json', '--out', out],
      { env: { ...process.env, VERBATIM_MODELS_DIR: sharedModels }, stdio: 'ignore' },
    );
    return wavs.map((wav) => {
      const json = JSON.parse(readFileSync(path.join(out, `${path.basename(wav, '.wav')}.json`), 'utf8')) as { segments: Array<{ text: string }> };
      return json.segments.map((segment) => segment.text).join(' ');
    });
  });
}

async function verbatimWorker(model: string, language: string, wav: string): Promise<Run> {
  const { output, wallSec, peakRssMb } = await runInFreshWorker(wav, work, {
    model: { id: model, dir: path.join(sharedModels, 'Xenova', model), dtypeSuffix: '_quantized' },
    vadModelPath: resources.vadModel,
    language: language === 'auto' ? null : language,
    task: 'transcribe',
    initialPrompt: null,
    device: 'cpu',
  });
  return { texts: [output.transcript?.segments.map((segment) => segment.text).join(' ') ?? ''], wallSec, peakRssMb };
}

function whisperCpp(model: string, language: string, beam: number, wavs: string[]): Run {
  const size = model.replace('whisper-', '');
  return timed(() => {
    execFileSync(
      path.join(peers, 'whisper.cpp/build/bin/whisper-cli'),
      ['-m', path.join(peers, `models/ggml-${size}-xenova-q8_0.bin`), '-t', threads, '-l', language, '-bs', String(beam), '-nt', '-np', '-otxt', ...wavs],
      { stdio: 'ignore', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } },
    );
    return wavs.map((wav) => readFileSync(`${wav}.txt`, 'utf8').replace(/\s+/g, ' ').trim());
  });
}

function sherpa(model: string, language: string, wavs: string[]): Run {
  const size = model.replace('whisper-', '');
  const tsv = path.join(work, 'sherpa.tsv');
  return timed(() => {
    execFileSync(process.execPath, [path.join(projectRoot, 'bench/lib/sherpa-whisper.mjs'), path.join(peers, `models/sherpa-whisper-${size}`), size, threads, language === 'auto' ? '' : language, tsv, ...wavs], {
      cwd: path.join(peers, 'sherpa'),
      stdio: 'ignore',
    });
    const rows = new Map(readFileSync(tsv, 'utf8').trim().split('\n').map((line) => line.split('\t') as [string, string]));
    return wavs.map((wav) => rows.get(path.basename(wav, '.wav')) ?? '');
  });
}

function transformersJs(model: string, language: string, wavs: string[]): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench/lib/transformers-asr.ts'), sharedModels, `Xenova/${model}`, language, threads, ...wavs], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 2 ** 20,
  });
  const result = JSON.parse(out.trim().split('\n').pop()!) as { texts: string[]; wallSec: number; peakRssMb: number };
  return { texts: result.texts, wallSec: result.wallSec, peakRssMb: result.peakRssMb };
}

const rows: string[] = [];
function record(model: string, workload: 'short' | 'long', language: string, engine: string, run: Run): void {
  const references = workload === 'short' ? utterances.map((utterance) => utterance.reference) : [long.spoken.join(' ')];
  const { errors, referenceWords: words } = corpusWordErrors(references, run.texts);
  const audioSec = workload === 'short' ? shortAudioSec : long.durationSec;
  const missing = workload === 'long' ? `${utteranceRecall(long.spoken, run.texts[0] ?? '').filter((share) => share < 0.5).length} of ${long.spoken.length}` : '';
  const rss = run.peakRssMb === undefined ? '' : `${Math.round(run.peakRssMb)} MB`;
  const row = `| ${model} | ${workload} | ${language} | ${engine} | ${run.wallSec.toFixed(1)} s | ${(audioSec / run.wallSec).toFixed(1)}× | ${((100 * errors) / words).toFixed(1)} % (${errors}/${words}) | ${missing} | ${rss} |`;
  rows.push(row);
  console.error(row);
}

for (const model of values.models.split(',')) {
  for (const language of ['en', 'auto']) {
    if (!skip.has('short')) {
      record(model, 'short', language, 'Verbatim (CLI)', verbatimCli(model, language, shortWavs));
      record(model, 'short', language, 'whisper.cpp greedy', whisperCpp(model, language, 1, shortWavs));
      record(model, 'short', language, 'whisper.cpp beam 5', whisperCpp(model, language, 5, shortWavs));
      record(model, 'short', language, 'sherpa-onnx', sherpa(model, language, shortWavs));
      if (!skip.has('transformers')) record(model, 'short', language, 'transformers.js', transformersJs(model, language, shortWavs));
    }
    if (!skip.has('long')) {
      const linked = path.join(work, `long-${language}.wav`);
      rmSync(linked, { force: true });
      symlinkSync(long.file, linked);
      record(model, 'long', language, 'Verbatim (worker)', await verbatimWorker(model, language, long.file));
      record(model, 'long', language, 'whisper.cpp greedy', whisperCpp(model, language, 1, [linked]));
      record(model, 'long', language, 'whisper.cpp beam 5', whisperCpp(model, language, 5, [linked]));
      if (!skip.has('transformers')) record(model, 'long', language, 'transformers.js', transformersJs(model, language, [linked]));
    }
  }
}

const report = [
  `Peers benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${threads} threads, Node ${process.version}`,
  `Command: npm run bench:peers${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  `Short: ${utterances.length} files, ${shortAudioSec.toFixed(0)} s of audio. Long: ${(long.durationSec / 60).toFixed(1)} min, ${long.spoken.length} utterances.`,
  '',
  '| Model | Workload | Language | Engine | Wall (incl. start and load) | Speed | WER | Utterances missing | Peak RSS |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(report);
writeFileSync(path.join(work, 'peers-report.md'), `${report}\n`);
