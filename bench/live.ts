// Live captions benchmark: `npm run bench:live [-- --models whisper-tiny,whisper-base|none --beside whisper-tiny]`.
// The read-speech set (21 real utterances, 1 s pauses, ~2.6 min) streamed through the live pipeline
// (worker/live: streaming Silero VAD, LocalAgreement-2, Whisper on clips) in 100 ms chunks at
// real-time pace, against the obvious alternative — fixed 5 s chunks, each transcribed on its own as
// Buzz's live mode and whisper.cpp's stream example do — and the offline transcript of the same file.
// The live run takes as long as the audio (nothing else may run meanwhile: it measures this CPU);
// the alternative's latencies are computed from each chunk's measured decode time, queued in order.
// Reported: WER (Whisper's English normalisation) and, p50/p95, the latency from the end of an
// utterance to its final text, from the end of a word to its confirmation, and from an utterance's
// first speech to its first provisional words. Then the same speech recorded through the core while a
// 30-minute file transcribes in the queue, with the queue yielding to the captions and without.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Word } from '../contracts/domain';
import type { LiveCaption } from '../contracts/live-protocol';
import { ModelManager } from '../core/models/model-manager';
import { childProcessSpawner } from '../core/node/child-process-worker';
import { VerbatimCore } from '../core/verbatim-core';
import { resourcePaths } from '../core/paths';
import { liveWorkerEntry, projectRoot, sharedAudio, sharedModels, workerEntry } from '../tests/helpers/media';
import { PcmFile } from '../worker/engine/audio/pcm-file';
import { transcribe, transcribeClip, vadSession } from '../worker/engine/transcribe';
import { WarmSessions } from '../worker/engine/warm-sessions';
import { WhisperModel } from '../worker/engine/whisper/whisper-model';
import { WhisperClipDecoder } from '../worker/live/clip-decoder';
import { LiveTranscriber } from '../worker/live/live-transcriber';
import { StreamingVad } from '../worker/live/streaming-vad';
import { longRealSpeech, readSpeech, wavSeconds } from './lib/read-speech';
import { wordErrorRate } from './lib/word-error-rate';

const { values } = parseArgs({ options: { models: { type: 'string', default: 'whisper-tiny,whisper-base' }, beside: { type: 'string', default: 'whisper-tiny' } } });
const modelsDir = path.resolve(process.env.VERBATIM_MODELS_DIR ?? sharedModels);
const resources = resourcePaths(path.join(projectRoot, 'resources'));
const work = path.join(projectRoot, '.cache/bench');
const manager = new ModelManager({ catalogPath: resources.catalog, modelsDir: path.join(os.tmpdir(), 'verbatim-bench-no-models'), externalDir: modelsDir });
const speech = longRealSpeech(sharedAudio, work, 0, 'f32');
const pcmFile = new PcmFile(speech.file);
const audio = pcmFile.read(0, pcmFile.sampleCount);
pcmFile.close();
const audioSec = audio.length / 16_000;
const CHUNK = 1_600;
/** Where each utterance ends in the file (each is followed by 1 s of silence). */
const utteranceEnds = readSpeech(sharedAudio).reduce<number[]>((ends, utterance) => [...ends, (ends.length ? ends[ends.length - 1]! + 1 : 0) + wavSeconds(utterance.wav)], []);

function percentiles(values: number[]): string {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return `${(at(0.5) / 1000).toFixed(2)} / ${(at(0.95) / 1000).toFixed(2)}`;
}

/** The live pipeline, fed 100 ms chunks on the wall clock as a microphone would. */
async function live(model: WhisperModel, sessions: WarmSessions) {
  const vad = new StreamingVad(await vadSession(sessions, resources.vadModel, `vad-${Math.random()}`));
  const decoder = new WhisperClipDecoder(model, { language: 'en', languageFallback: null, task: 'transcribe', initialPrompt: null });
  const finals: Word[] = [];
  const finalLatency: number[] = [];
  const wordLatency: number[] = [];
  const firstWords: number[] = [];
  let skippedSec = 0;
  const transcriber = new LiveTranscriber(
    decoder,
    { frameSamples: StreamingVad.frameSamples, score: (frame) => vad.score(frame) },
    (caption: LiveCaption) => {
      if (caption.type === 'final') {
        finals.push(...caption.words);
        (caption.utteranceEnd ? finalLatency : wordLatency).push(caption.latencyMs);
      } else if (caption.type === 'partial' && caption.latencyMs !== null) firstWords.push(caption.latencyMs);
      else if (caption.type === 'skipped') skippedSec += caption.toSec - caption.fromSec;
    },
  );
  const cpuBefore = process.cpuUsage();
  const running = transcriber.run(new AbortController().signal);
  const started = Date.now();
  for (let index = 0; index * CHUNK < audio.length; index++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + ((index + 1) * CHUNK * 1000) / 16_000 - Date.now())));
    transcriber.push(audio.subarray(index * CHUNK, (index + 1) * CHUNK));
  }
  transcriber.end();
  await running;
  // Every thread's CPU time (onnxruntime's too): the share of this machine captions take.
  const cpu = process.cpuUsage(cpuBefore);
  return { text: finals.map((word) => word.text).join(' '), finalLatency, wordLatency, firstWords, skippedSec, cpuPerAudioSec: (cpu.user + cpu.system) / 1e6 / audioSec };
}

/** The alternative: every 5 s of audio, as it completes, transcribed on its own (no VAD, no context). */
async function fixedChunks(model: WhisperModel) {
  const chunkSec = 5;
  let free = 0;
  const words: string[] = [];
  const latency: number[] = [];
  const doneAt: number[] = [];
  for (let start = 0; start < audio.length; start += chunkSec * 16_000) {
    const clip = audio.subarray(start, start + chunkSec * 16_000);
    const ready = ((start + clip.length) * 1000) / 16_000;
    const began = performance.now();
    const { segments } = await transcribeClip(model, clip, { language: 'en', task: 'transcribe', previous: [], signal: new AbortController().signal });
    free = Math.max(free, ready) + (performance.now() - began);
    doneAt.push(free);
    for (const segment of segments) {
      for (const word of segment.words) {
        words.push(word.text);
        latency.push(free - (start / 16_000 + word.end) * 1000);
      }
    }
  }
  // Each utterance's last words are final when the chunk holding its end is done.
  const utteranceLatency = utteranceEnds.map((end) => doneAt[Math.min(doneAt.length - 1, Math.floor(end / chunkSec))]! - end * 1000);
  return { text: words.join(' '), latency, utteranceLatency };
}

/**
 * The app's own path (core, recording file, captions process) while a long file transcribes in the
 * queue: captions' latency and skips, and how fast the file moves, before and during the recording;
 * with queued work yielding to the captions when they fall behind (the app), and without.
 */
async function beside(id: string, yieldToLive: boolean) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-live-'));
  const core = new VerbatimCore({
    dataDir,
    resourcesDir: path.join(projectRoot, 'resources'),
    spawnWorker: childProcessSpawner(workerEntry),
    spawnLiveWorker: childProcessSpawner(liveWorkerEntry),
    settingsDefaults: { model: id, language: 'en', diarization: 'off' },
    env: { ...process.env, VERBATIM_MODELS_DIR: modelsDir, VERBATIM_MODELS_BASE_URL: 'http://127.0.0.1:9/no-downloads' },
    yieldToLive,
    log: () => undefined,
  });
  core.start();
  try {
    // Long enough not to finish during the recording.
    const long = longRealSpeech(sharedAudio, work, 30).file;
    const [added] = await core.addFiles([long]);
    const job = () => core.listJobs().find((each) => each.id === added!.jobId)!;
    // The job's progress over the whole pipeline, as seconds of the file: its slope is the file's speed.
    const doneSec = () => job().progress * wavSeconds(long);
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    while (job().stage !== 'transcribe') await wait(100);
    const firstBatch = job().progress;
    while (job().progress === firstBatch) await wait(100);
    const aloneFrom = doneSec();
    await wait(30_000);
    const aloneSpeed = (doneSec() - aloneFrom) / 30;
    const finals: number[] = [];
    let skippedSec = 0;
    const session = await core.live.start(null);
    core.live.on('live.caption', (_, caption) => {
      if (caption.type === 'final' && caption.utteranceEnd) finals.push(caption.latencyMs);
      if (caption.type === 'skipped') skippedSec += caption.toSec - caption.fromSec;
    });
    const pcm = new Uint8Array(audio.length * 2);
    const view = new DataView(pcm.buffer);
    audio.forEach((sample, i) => view.setInt16(i * 2, Math.max(-32768, Math.min(32767, Math.round(sample * 32768))), true));
    const duringFrom = doneSec();
    const started = Date.now();
    for (let seq = 0; seq * CHUNK * 2 < pcm.length; seq++) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + ((seq + 1) * CHUNK * 1000) / 16_000 - Date.now())));
      core.live.audio(session.id, seq, pcm.subarray(seq * CHUNK * 2, (seq + 1) * CHUNK * 2));
    }
    const duringSpeed = (doneSec() - duringFrom) / ((Date.now() - started) / 1000);
    if (job().state !== 'running') throw new Error('The queued file finished during the recording: its speed was not measured.');
    await core.live.stop(session.id);
    return { finals, skippedSec, aloneSpeed, duringSpeed };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
const besideRows: string[] = [];
for (const id of values.models.split(',').filter((model) => model !== 'none')) {
  const found = await manager.find(id);
  if (!found) throw new Error(`${id} is not installed in ${modelsDir}.`);
  const files = { dir: found.dir, dtypeSuffix: found.dtypeSuffix };
  const model = await WhisperModel.load(files, ['cpu']);
  const sessions = new WarmSessions(0);
  const liveResult = await live(model, sessions);
  const chunked = await fixedChunks(model);
  const offline = await transcribe(
    { pcmPath: speech.file, model: { ...files, id }, vadModelPath: resources.vadModel, language: 'en', task: 'transcribe', initialPrompt: null, device: 'cpu' },
    { detectSpeech: { signal: new AbortController().signal, progress: () => undefined }, transcribe: { signal: new AbortController().signal, progress: () => undefined } },
  );
  const offlineText = offline.transcript.segments.map((segment) => segment.text).join(' ');
  const wer = (text: string) => (100 * wordErrorRate(speech.reference, text)).toFixed(1);
  rows.push(
    `| ${id} | live (VAD + LocalAgreement-2) | ${wer(liveResult.text)} % | ${percentiles(liveResult.finalLatency)} | ${percentiles(liveResult.wordLatency)} | ${percentiles(liveResult.firstWords)} | ${liveResult.cpuPerAudioSec.toFixed(2)} | ${liveResult.skippedSec.toFixed(1)} s |`,
    `| ${id} | fixed 5 s chunks | ${wer(chunked.text)} % | ${percentiles(chunked.utteranceLatency)} | ${percentiles(chunked.latency)} | – | – | 0 s |`,
    `| ${id} | offline (the file dropped in) | ${wer(offlineText)} % | – | – | – | – | – |`,
  );
  await model.release();
  await sessions.releaseAll();
}
for (const id of values.beside.split(',').filter(Boolean)) {
  for (const yieldToLive of [true, false]) {
    const result = await beside(id, yieldToLive);
    besideRows.push(
      `| ${id} | ${yieldToLive ? 'yields between windows (the app)' : 'does not yield'} | ${percentiles(result.finals)} | ${result.skippedSec.toFixed(1)} s | ${result.aloneSpeed.toFixed(1)}× | ${result.duringSpeed.toFixed(1)}× |`,
    );
  }
}
console.log(`Read-speech set, ${audioSec.toFixed(0)} s of real speech in 21 utterances; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)}.\n`);
console.log('| model | captions | WER | final text after an utterance ends, p50 / p95 (s) | a confirmed word after it was spoken, p50 / p95 (s) | first words after speech starts, p50 / p95 (s) | CPU seconds per audio second (2 cores) | skipped |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('\nWhile a 30-minute real-speech file transcribes in the queue (same model), the same speech recorded through the core:\n');
console.log('| model | queued work | final text after an utterance ends, p50 / p95 (s) | captions skipped | queued file before the recording (audio s per s) | during it |');
console.log('|---|---|---|---|---|---|');
for (const row of besideRows) console.log(row);
