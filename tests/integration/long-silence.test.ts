import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessMediaInput, WorkerProgress } from '../../contracts/worker-protocol';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { WorkerSupervisor } from '../../core/supervisor/worker-supervisor';
import { PcmFile } from '../../worker/engine/audio/pcm-file';
import { speechProbabilities, VAD_CHUNK, VAD_CONTEXT, VAD_FRAME_SEC } from '../../worker/engine/vad/silero-vad';
import { speechRegions } from '../../worker/engine/vad/speech-regions';
import { DIARIZATION_REGION_OPTIONS } from '../../worker/engine/diarize/diarize';
import { workerUser } from '../helpers/core';
import { cachedMedia, ffmpeg, projectRoot, scratchDir, sharedAudio, sharedModels, workerEntry } from '../helpers/media';

const vadModelPath = path.join(projectRoot, 'resources/vad/silero_vad_v6.onnx');

/** Digital silence as FLAC: hours of it are a few MB and take seconds to make. */
const silence = (seconds: number, name: string): string =>
  cachedMedia(name, (partial) => ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(seconds), '-c:a', 'flac', '-sample_fmt', 's16', partial));

describe('ten hours of silence', () => {
  const cacheDir = scratchDir('long-silence');
  const supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry, workerUser) });
  afterAll(() => {
    supervisor.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const run = async (file: string, jobId: number) => {
    const stages: WorkerProgress[] = [];
    const input: ProcessMediaInput = {
      path: file,
      cacheDir,
      cacheKey: `silence-${jobId}`,
      tools: { ffmpegPath: null, ffprobePath: null },
      transcribe: {
        model: { id: 'whisper-tiny', dir: path.join(sharedModels, 'Xenova/whisper-tiny'), dtypeSuffix: '_quantized' },
        vadModelPath,
        language: null,
        task: 'transcribe',
        initialPrompt: null,
        device: 'cpu',
      },
      diarize: null,
    };
    const result = await supervisor.run({ jobId, kind: 'process-media', input, signal: new AbortController().signal, onProgress: (update) => stages.push(update) });
    return { ...result, stages };
  };

  it('finish with no speech found and nothing invented, in the memory ten minutes take', async () => {
    const short = await run(silence(600, 'silence-10min.flac'), 1);
    expect(short.output.transcript!.segments).toEqual([]);

    // The same worker, so its peak memory so far is the ten minutes' plus whatever ten hours add.
    const long = await run(silence(36_000, 'silence-10h.flac'), 2);
    expect(long.output.info.durationSec).toBeCloseTo(36_000, 0);
    expect(long.output.decodedSec).toBeCloseTo(36_000, 0);
    // Every sample was decoded (2.3 GB of float PCM, on disk, not in memory)…
    expect(statSync(long.output.pcmPath).size).toBe(36_000 * 16_000 * 4);
    // …and searched for speech to its end, where there is none: an empty transcript, not invented text.
    expect(long.stages.map((update) => update.stage)).toContain('detect-speech');
    expect(long.output.transcript!.segments).toEqual([]);
    expect(long.output.transcript!.durationSec).toBeCloseTo(36_000, 0);
    // Flat: sixty times the length adds well under what one hour of that audio would hold (230 MB).
    // Measured here: 205 MB for ten minutes, 252 MB after ten hours.
    expect(long.maxRssBytes - short.maxRssBytes).toBeLessThan(100 * 2 ** 20);
    expect(long.output.waveform.peaks.length).toBeLessThanOrEqual(4096);
  }, 240_000);
});

describe('speech detection skips long digital silence without changing what it finds', () => {
  // Silero's recurrent state never quite settles in zeros (it drifts for minutes while the score stays near 0), so
  // no skip can be bit-exact: the first frames of speech after a gap may score differently. What the pipeline
  // uses, the speech regions for transcription and for speakers, must agree with Silero's own loop to one frame.
  it.each([10, 60])('real speech around %i s of digital zeros: the regions Silero’s own chunk-by-chunk loop finds, to one 32 ms frame', async (gapSec) => {
    const dir = scratchDir('vad-gap');
    const pcmPath = path.join(dir, 'gap.f32');
    const speech = path.join(sharedAudio, 'read-speech/wav/LJ001-0002.wav');
    ffmpeg('-i', speech, '-f', 'lavfi', '-t', String(gapSec), '-i', 'anullsrc=r=16000:cl=mono', '-i', speech,
      '-filter_complex', '[0:a]aresample=16000[a];[2:a]aresample=16000[c];[a][1:a][c]concat=n=3:v=0:a=1,aformat=channel_layouts=mono', '-ar', '16000', '-f', 'f32le', pcmPath);
    const session = await ort.InferenceSession.create(vadModelPath, { intraOpNumThreads: 1 });
    const pcm = new PcmFile(pcmPath);
    try {
      const gated = await speechProbabilities(session, pcm, () => undefined, new AbortController().signal);
      const reference = await sileroLoop(session, pcm);
      expect(gated.length).toBe(reference.length);
      for (const options of [undefined, DIARIZATION_REGION_OPTIONS]) {
        const found = speechRegions(gated, VAD_FRAME_SEC, pcm.durationSec, options);
        const expected = speechRegions(reference, VAD_FRAME_SEC, pcm.durationSec, options);
        expect(found.length).toBe(2);
        expect(found.length).toBe(expected.length);
        found.forEach((region, i) => {
          expect(Math.abs(region.start - expected[i]!.start)).toBeLessThanOrEqual(VAD_FRAME_SEC + 1e-9);
          expect(Math.abs(region.end - expected[i]!.end)).toBeLessThanOrEqual(VAD_FRAME_SEC + 1e-9);
        });
      }
      // The gap itself, scored or skipped, is no speech.
      const gapFrames = gated.subarray(Math.ceil(2.5 / VAD_FRAME_SEC), Math.floor((2.5 + gapSec - 1) / VAD_FRAME_SEC));
      expect(Math.max(...gapFrames)).toBeLessThan(0.1);
    } finally {
      pcm.close();
      await session.release();
    }
  });
});

/** Silero's reference loop: every chunk scored, one at a time, each after the previous chunk's last 64 samples. */
async function sileroLoop(session: ort.InferenceSession, pcm: PcmFile): Promise<Float32Array> {
  const frames = Math.ceil(pcm.sampleCount / VAD_CHUNK);
  const scores = new Float32Array(frames);
  const samples = pcm.read(0, pcm.sampleCount);
  const input = new Float32Array(VAD_CONTEXT + VAD_CHUNK);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([16_000n]), []);
  for (let frame = 0; frame < frames; frame++) {
    input.copyWithin(0, VAD_CHUNK);
    input.fill(0, VAD_CONTEXT);
    input.set(samples.subarray(frame * VAD_CHUNK, (frame + 1) * VAD_CHUNK), VAD_CONTEXT);
    const out = await session.run({ input: new ort.Tensor('float32', input.slice(), [1, input.length]), state, sr });
    scores[frame] = (out.output!.data as Float32Array)[0]!;
    state = out.stateN as ort.Tensor;
  }
  return scores;
}
