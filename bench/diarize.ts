// Diarization benchmark: `npm run bench:diarize [-- --minutes 10] [--neural MODELS_DIR]`.
// Per tier, on the shared synthetic dialogues and AMI excerpts: DER (collar 0 and 0.25 s) and
// speed against realtime, beside the obvious alternative — every speech region given to one
// speaker — scored on the same speech regions. The built-in tier's speed is measured on top of
// the speech probabilities the transcription has already computed (the VAD's time is shown apart).
// The neural tier runs only where its weights are installed (MODELS_DIR in Hugging Face layout).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { PcmFile } from '../worker/engine/audio/pcm-file';
import { diarizeBuiltin } from '../worker/engine/diarize/builtin-diarizer';
import { DIARIZATION_REGION_OPTIONS } from '../worker/engine/diarize/diarize';
import { diarizeNeural } from '../worker/engine/diarize/neural-diarizer';
import type { SpeakerTurn } from '../worker/engine/diarize/turns';
import { speechProbabilities, VAD_FRAME_SEC } from '../worker/engine/vad/silero-vad';
import { speechRegions } from '../worker/engine/vad/speech-regions';
import { diarizationErrorRate, parseRttm, parseUem, type Turn } from './lib/diarization-error-rate';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, neural: { type: 'string' } } });
const root = path.resolve(import.meta.dirname, '..');
const audio = path.resolve(root, '../shared/audio');
const work = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-diarize-'));
const automatic = { exact: null, min: null, max: null };

interface Case {
  id: string;
  wav: string;
  reference: Turn[];
  uem?: { start: number; end: number }[];
}

function cases(): Case[] {
  const synthetic = ['dialogue-2spk', 'podcast-3spk'].map((id) => ({
    id,
    wav: path.join(audio, 'synthetic', `${id}.wav`),
    reference: parseRttm(readFileSync(path.join(audio, 'synthetic', `${id}.rttm`), 'utf8')),
  }));
  const ami = path.join(audio, 'ami-debug');
  const rttm = parseRttm(readFileSync(path.join(ami, 'debug.train.rttm'), 'utf8'));
  const uem = parseUem(readFileSync(path.join(ami, 'debug.train.uem'), 'utf8'));
  const meetings = readFileSync(path.join(ami, 'debug.train.lst'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((name) => {
      const id = name.normalize('NFD').replace(/\p{Mn}/gu, '');
      return { id, wav: path.join(ami, `${name}.wav`), reference: rttm.filter((turn) => turn.file === id), uem: uem.get(id) };
    });
  return [...synthetic, ...meetings];
}

function decode(wav: string, name: string, extra: string[] = []): PcmFile {
  const out = path.join(work, `${name}.f32`);
  execFileSync('ffmpeg', ['-v', 'error', ...extra, '-i', wav, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-y', out]);
  return new PcmFile(out);
}

const vad = await ort.InferenceSession.create(path.join(root, 'resources/vad/silero_vad_v6.onnx'), { intraOpNumThreads: 1 });

async function speech(pcm: PcmFile): Promise<{ probabilities: Float32Array; sec: number }> {
  const started = performance.now();
  const probabilities = await speechProbabilities(vad, pcm, () => undefined, new AbortController().signal);
  return { probabilities, sec: (performance.now() - started) / 1000 };
}

type Tier = 'built-in' | 'one speaker (alternative)' | 'neural';
const totals = new Map<Tier, { audioSec: number; sec: number; der: number[]; der0: number[] }>();
const rows: string[] = [];

function record(tier: Tier, item: Case, pcm: PcmFile, turns: SpeakerTurn[], sec: number): void {
  const hypothesis = turns.map((turn) => ({ file: item.reference[0]?.file ?? item.id, start: turn.start, end: turn.end, speaker: String(turn.speaker) }));
  const scored = diarizationErrorRate(item.reference, hypothesis, { collar: 0.25, uem: item.uem });
  const strict = diarizationErrorRate(item.reference, hypothesis, { collar: 0, uem: item.uem });
  const total = totals.get(tier) ?? { audioSec: 0, sec: 0, der: [], der0: [] };
  total.audioSec += pcm.durationSec;
  total.sec += sec;
  total.der.push(scored.der);
  total.der0.push(strict.der);
  totals.set(tier, total);
  const speakers = `${new Set(turns.map((turn) => turn.speaker)).size}/${new Set(item.reference.map((turn) => turn.speaker)).size}`;
  rows.push(`| ${item.id} | ${tier} | ${speakers} | ${(strict.der * 100).toFixed(1)} % | ${(scored.der * 100).toFixed(1)} % | ${(pcm.durationSec / sec).toFixed(0)}× |`);
}

const neuralModels = values.neural
  ? { segmentation: path.join(values.neural, 'onnx-community/pyannote-segmentation-3.0/onnx/model.onnx'), embedding: path.join(values.neural, 'k2-fsa/sherpa-onnx/wespeaker_en_voxceleb_resnet34_LM.onnx') }
  : null;
const neuralInstalled = neuralModels !== null && existsSync(neuralModels.segmentation) && existsSync(neuralModels.embedding);
let vadSec = 0;
let vadAudioSec = 0;

for (const item of cases()) {
  const pcm = decode(item.wav, item.id);
  const { probabilities, sec } = await speech(pcm);
  vadSec += sec;
  vadAudioSec += pcm.durationSec;
  let started = performance.now();
  const regions = speechRegions(probabilities, VAD_FRAME_SEC, pcm.durationSec, DIARIZATION_REGION_OPTIONS);
  const regionsSec = (performance.now() - started) / 1000;
  started = performance.now();
  const turns = diarizeBuiltin(pcm, regions, automatic);
  record('built-in', item, pcm, turns, regionsSec + (performance.now() - started) / 1000);
  started = performance.now();
  const oneSpeaker = regions.map((region) => ({ ...region, speaker: 0 }));
  record('one speaker (alternative)', item, pcm, oneSpeaker, regionsSec + (performance.now() - started) / 1000);
  if (neuralInstalled) {
    started = performance.now();
    const result = await diarizeNeural(pcm, neuralModels!, ['cpu'], automatic, () => undefined, new AbortController().signal);
    record('neural', item, pcm, result.turns, (performance.now() - started) / 1000);
  }
  pcm.close();
}

// Speed on a long recording: the dialogue looped, where fixed costs no longer dominate.
const minutes = Number(values.minutes);
const long = decode(path.join(audio, 'synthetic/dialogue-2spk.wav'), 'long', ['-stream_loop', '-1', '-t', String(minutes * 60)]);
const longSpeech = await speech(long);
let started = performance.now();
const longTurns = diarizeBuiltin(long, speechRegions(longSpeech.probabilities, VAD_FRAME_SEC, long.durationSec, DIARIZATION_REGION_OPTIONS), automatic);
const longBuiltinSec = (performance.now() - started) / 1000;
let longNeural = 'not installed here';
if (neuralInstalled) {
  started = performance.now();
  await diarizeNeural(long, neuralModels!, ['cpu'], automatic, () => undefined, new AbortController().signal);
  longNeural = `${(long.durationSec / ((performance.now() - started) / 1000)).toFixed(0)}× realtime`;
}

console.log(`\nDiarization benchmark — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| file | tier | speakers found/true | DER collar 0 | DER collar 0.25 s | speed |\n|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log('\n| tier | mean DER collar 0 (all) | mean DER collar 0.25 s: synthetic | AMI | speed over all files |\n|---|---|---|---|---|');
const mean = (list: number[]): string => `${((list.reduce((a, b) => a + b, 0) / Math.max(list.length, 1)) * 100).toFixed(1)} %`;
for (const [tier, total] of totals) {
  console.log(`| ${tier} | ${mean(total.der0)} | ${mean(total.der.slice(0, 2))} | ${mean(total.der.slice(2))} | ${(total.audioSec / total.sec).toFixed(0)}× |`);
}
if (!neuralInstalled) console.log('| neural | not installed here: pass --neural MODELS_DIR where the weights are | | | |');
console.log(`\nSpeech detection (shared with transcription): ${(vadAudioSec / vadSec).toFixed(0)}× realtime on the sets above.`);
console.log(
  `${minutes}-minute recording: built-in tier ${(long.durationSec / longBuiltinSec).toFixed(0)}× realtime (${new Set(longTurns.map((turn) => turn.speaker)).size} speakers), ` +
    `with speech detection ${(long.durationSec / (longBuiltinSec + longSpeech.sec)).toFixed(0)}×; neural tier ${longNeural}.`,
);
long.close();
rmSync(work, { recursive: true, force: true });
