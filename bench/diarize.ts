// Diarization benchmark: `npm run bench:diarize [-- --minutes 10] [--neural MODELS_DIR]`.
// Per tier and set — synthetic dialogues, real voices (the shared real-speakers conversations and
// the ones bench/lib/real-conversations.ts makes), AMI far-field meetings — DER at collar 0 and
// 0.25 s with its parts (missed, false alarm, confusion, as shares of the reference speech),
// speakers found against true, and speed, beside the obvious alternative: every speech region
// given to one speaker. The built-in tier's speed is on top of the speech probabilities the
// transcription has already computed (the VAD's own speed is shown apart).
// The neural tier's accuracy needs real weights (MODELS_DIR in the Hugging Face layout, as
// npm run fetch-models leaves resources/models); its speed is measured anyway, on a long real
// recording, with models of the real ones' size built here, beside sherpa-onnx on the same models.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { realSizeEmbeddingModel, realSizeSegmentationModel } from '../tests/helpers/onnx-models';
import { sherpaDiarize } from '../tests/helpers/sherpa';
import { PcmFile } from '../worker/engine/audio/pcm-file';
import { diarizeBuiltin } from '../worker/engine/diarize/builtin-diarizer';
import { DIARIZATION_REGION_OPTIONS } from '../worker/engine/diarize/diarize';
import { diarizeNeural, type NeuralModelPaths } from '../worker/engine/diarize/neural-diarizer';
import type { SpeakerTurn } from '../worker/engine/diarize/turns';
import { speechProbabilities, VAD_FRAME_SEC } from '../worker/engine/vad/silero-vad';
import { speechRegions } from '../worker/engine/vad/speech-regions';
import { resolveTools } from '../worker/pipeline/ffmpeg-tools';
import { diarizationErrorRate, parseRttm, parseUem, type Turn } from './lib/diarization-error-rate';
import { madeConversations } from './lib/real-conversations';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, neural: { type: 'string' } } });
const root = path.resolve(import.meta.dirname, '..');
const audio = path.resolve(root, '../shared/audio');
const work = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-diarize-'));
const ffmpeg = resolveTools({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
const automatic = { exact: null, min: null, max: null };

type Set = 'synthetic' | 'real voices' | 'one voice, 2–10 s' | 'one voice, 10–60 s' | 'AMI meetings';
interface Case {
  id: string;
  set: Set;
  /** A WAV to decode, or raw float32 already. */
  source: string;
  reference: Turn[];
  uem?: { start: number; end: number }[];
}

function cases(): Case[] {
  const fromRttm = (set: Set, dir: string, id: string): Case => ({
    id,
    set,
    source: path.join(audio, dir, `${id}.wav`),
    reference: parseRttm(readFileSync(path.join(audio, dir, `${id}.rttm`), 'utf8')),
  });
  const synthetic = ['dialogue-2spk', 'podcast-3spk'].map((id) => fromRttm('synthetic', 'synthetic', id));
  const real = ['three-voices', 'three-voices-quick', 'two-readers'].map((id) => fromRttm('real voices', 'real-speakers', id));
  const made = madeConversations(audio, path.join(work, 'made')).map(
    (made): Case => ({ id: made.id, set: new Set(made.reference.map((turn) => turn.speaker)).size === 1 ? 'one voice, 10–60 s' : 'real voices', source: made.pcm, reference: made.reference }),
  );
  // Each read utterance alone: a voice memo must stay one speaker. Its reference is filled in below with
  // its speech regions as the VAD finds them, so only confusion and the count are judged.
  const readSpeech = path.join(audio, 'read-speech/wav');
  const alone = readdirSync(readSpeech)
    .filter((name) => name.endsWith('.wav'))
    .map((name): Case => ({ id: path.basename(name, '.wav'), set: 'one voice, 2–10 s', source: path.join(readSpeech, name), reference: [] }));
  const ami = path.join(audio, 'ami-debug');
  const rttm = parseRttm(readFileSync(path.join(ami, 'debug.train.rttm'), 'utf8'));
  const uem = parseUem(readFileSync(path.join(ami, 'debug.train.uem'), 'utf8'));
  const meetings = readFileSync(path.join(ami, 'debug.train.lst'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((name): Case => {
      const id = name.normalize('NFD').replace(/\p{Mn}/gu, '');
      return { id, set: 'AMI meetings', source: path.join(ami, `${name}.wav`), reference: rttm.filter((turn) => turn.file === id), uem: uem.get(id) };
    });
  return [...synthetic, ...real, ...made, ...alone, ...meetings];
}

function decode(source: string, name: string): PcmFile {
  if (source.endsWith('.f32')) return new PcmFile(source);
  const out = path.join(work, `${name}.f32`);
  execFileSync(ffmpeg, ['-v', 'error', '-i', source, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-y', out]);
  return new PcmFile(out);
}

const vad = await ort.InferenceSession.create(path.join(root, 'resources/vad/silero_vad_v6.onnx'), { intraOpNumThreads: 1 });

async function speech(pcm: PcmFile): Promise<{ probabilities: Float32Array; sec: number }> {
  const started = performance.now();
  const probabilities = await speechProbabilities(vad, pcm, () => undefined, new AbortController().signal);
  return { probabilities, sec: (performance.now() - started) / 1000 };
}

type Tier = 'built-in' | 'one speaker (alternative)' | 'neural';
interface Score {
  der0: number;
  der: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  rightCount: boolean;
}
const scores = new Map<string, Score[]>();
const speed = new Map<Tier, { audioSec: number; sec: number }>();
const rows: string[] = [];
const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

function record(tier: Tier, item: Case, pcm: PcmFile, turns: SpeakerTurn[], sec: number): void {
  const hypothesis = turns.map((turn) => ({ file: item.reference[0]?.file ?? item.id, start: turn.start, end: turn.end, speaker: String(turn.speaker) }));
  const scored = diarizationErrorRate(item.reference, hypothesis, { collar: 0.25, uem: item.uem });
  const strict = diarizationErrorRate(item.reference, hypothesis, { collar: 0, uem: item.uem });
  const found = new Set(turns.map((turn) => turn.speaker)).size;
  const truth = new Set(item.reference.map((turn) => turn.speaker)).size;
  const key = `${tier}|${item.set}`;
  scores.set(key, [
    ...(scores.get(key) ?? []),
    { der0: strict.der, der: scored.der, missed: scored.missed / scored.total, falseAlarm: scored.falseAlarm / scored.total, confusion: scored.confusion / scored.total, rightCount: found === truth },
  ]);
  const total = speed.get(tier) ?? { audioSec: 0, sec: 0 };
  speed.set(tier, { audioSec: total.audioSec + pcm.durationSec, sec: total.sec + sec });
  rows.push(`| ${item.id} | ${tier} | ${found}/${truth} | ${percent(strict.der)} | ${percent(scored.der)} | ${percent(scored.missed / scored.total)} | ${percent(scored.falseAlarm / scored.total)} | ${percent(scored.confusion / scored.total)} |`);
}

const installed: NeuralModelPaths | null = values.neural
  ? {
      segmentation: path.join(values.neural, 'csukuangfj/sherpa-onnx-pyannote-segmentation-3-0/model.int8.onnx'),
      embedding: path.join(values.neural, 'k2-fsa/sherpa-onnx/wespeaker_en_voxceleb_CAM++.onnx'),
    }
  : null;
const neuralInstalled = installed !== null && existsSync(installed.segmentation) && existsSync(installed.embedding);
const never = new AbortController().signal;
let vadSec = 0;
let vadAudioSec = 0;

for (const item of cases()) {
  const pcm = decode(item.source, item.id);
  const { probabilities, sec } = await speech(pcm);
  vadSec += sec;
  vadAudioSec += pcm.durationSec;
  let started = performance.now();
  const regions = speechRegions(probabilities, VAD_FRAME_SEC, pcm.durationSec, DIARIZATION_REGION_OPTIONS);
  const regionsSec = (performance.now() - started) / 1000;
  if (item.reference.length === 0) item.reference = regions.map((region) => ({ file: item.id, start: region.start, end: region.end, speaker: 'reader' }));
  started = performance.now();
  record('built-in', item, pcm, diarizeBuiltin(pcm, regions, automatic), regionsSec + (performance.now() - started) / 1000);
  record('one speaker (alternative)', item, pcm, regions.map((region) => ({ ...region, speaker: 0 })), regionsSec);
  if (neuralInstalled) {
    started = performance.now();
    const result = await diarizeNeural(pcm, installed!, ['cpu'], automatic, () => undefined, never);
    record('neural', item, pcm, result.turns, (performance.now() - started) / 1000);
  }
  pcm.close();
}

// Speed on a long recording of real voices (made-four looped), where fixed costs no longer dominate.
const minutes = Number(values.minutes);
const four = new Float32Array(readFileSync(madeConversations(audio, path.join(work, 'made')).find((made) => made.id === 'made-four')!.pcm).buffer.slice(0));
const looped = new Float32Array(Math.round(minutes * 60 * 16_000));
for (let at = 0; at < looped.length; at += four.length) looped.set(four.subarray(0, Math.min(four.length, looped.length - at)), at);
const longPath = path.join(work, 'long.f32');
writeFileSync(longPath, Buffer.from(looped.buffer));
const long = new PcmFile(longPath);
const longSpeech = await speech(long);
let started = performance.now();
const longTurns = diarizeBuiltin(long, speechRegions(longSpeech.probabilities, VAD_FRAME_SEC, long.durationSec, DIARIZATION_REGION_OPTIONS), automatic);
const longBuiltinSec = (performance.now() - started) / 1000;
const realSize = { segmentation: path.join(work, 'segmentation-real-size.onnx'), embedding: path.join(work, 'embedding-real-size.onnx') };
writeFileSync(realSize.segmentation, realSizeSegmentationModel());
writeFileSync(realSize.embedding, realSizeEmbeddingModel());
started = performance.now();
await diarizeNeural(long, realSize, ['cpu'], automatic, () => undefined, never);
const longNeuralSec = (performance.now() - started) / 1000;
started = performance.now();
sherpaDiarize(work, { ...realSize, samples: longPath, numClusters: -1, threshold: 0.5 });
const longSherpaSec = (performance.now() - started) / 1000;

console.log(`\nDiarization benchmark — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| file | tier | speakers found/true | DER collar 0 | DER collar 0.25 s | missed | false alarm | confusion |\n|---|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log('\n| tier | set | files | right count | DER collar 0 | DER collar 0.25 s | missed | false alarm | confusion |\n|---|---|---|---|---|---|---|---|---|');
const mean = (list: Score[], pick: (score: Score) => number): string => percent(list.reduce((sum, score) => sum + pick(score), 0) / Math.max(list.length, 1));
for (const [key, list] of scores) {
  const [tier, set] = key.split('|');
  console.log(
    `| ${tier} | ${set} | ${list.length} | ${list.filter((score) => score.rightCount).length}/${list.length} | ${mean(list, (s) => s.der0)} | ${mean(list, (s) => s.der)} | ${mean(list, (s) => s.missed)} | ${mean(list, (s) => s.falseAlarm)} | ${mean(list, (s) => s.confusion)} |`,
  );
}
if (!neuralInstalled) console.log('| neural | (accuracy) | not installed here: pass --neural MODELS_DIR where the real weights are | | | | | | |');
console.log(`\nSpeed over the sets: ${[...speed].map(([tier, total]) => `${tier} ${(total.audioSec / total.sec).toFixed(0)}× realtime`).join(', ')}; speech detection (shared with transcription) ${(vadAudioSec / vadSec).toFixed(0)}×.`);
console.log(
  `${minutes}-minute recording of real voices: built-in tier ${(long.durationSec / longBuiltinSec).toFixed(0)}× realtime (${new Set(longTurns.map((turn) => turn.speaker)).size} speakers found of 4), ` +
    `${(long.durationSec / (longBuiltinSec + longSpeech.sec)).toFixed(0)}× with speech detection; neural tier with models of the real ones' size (segmentation-3.0, CAM++) ` +
    `${(long.durationSec / longNeuralSec).toFixed(0)}× realtime, sherpa-onnx on the same models and file ${(long.durationSec / longSherpaSec).toFixed(0)}×.`,
);
long.close();
rmSync(work, { recursive: true, force: true });
