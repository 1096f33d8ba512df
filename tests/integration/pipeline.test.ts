import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkerProgress } from '../../contracts/worker-protocol';
import { DecodeCanceled, decodeToPcm } from '../../worker/pipeline/decode';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';
import { probeMedia } from '../../worker/pipeline/probe';
import { processMedia } from '../../worker/pipeline/process-media';
import { dialogueWav, ffmpeg, longMp3, scratchDir } from '../helpers/media';

// The stages are plain async functions over files: no worker, no queue, no database.
const tools = resolveTools({ ffmpegPath: null, ffprobePath: null });
const noTools = { ffmpegPath: null, ffprobePath: null };

describe('pipeline stages', () => {
  it('probe describes the file', async () => {
    expect(await probeMedia(dialogueWav, tools)).toEqual({
      durationSec: 34.404375,
      container: 'wav',
      codec: 'pcm_s16le',
      sampleRate: 16_000,
      channels: 1,
    });
  });

  it('probe measures a length the file does not state, or only guesses from its bitrate, by its packets', async () => {
    const dir = scratchDir('lengths');
    // Variable bitrate with no Xing frame: ffprobe's estimate from the first frames is half as long again.
    const vbr = path.join(dir, 'vbr-no-header.mp3');
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=5', '-f', 'lavfi', '-i', 'anoisesrc=duration=25:amplitude=0.3',
      '-filter_complex', '[0][1]concat=n=2:v=0:a=1', '-c:a', 'libmp3lame', '-q:a', '0', '-write_xing', '0', vbr);
    // Opus in WebM written to a pipe, as a browser's recorder leaves it: no length at all.
    const piped = path.join(dir, 'piped.webm');
    writeFileSync(piped, execFileSync(tools.ffmpeg, ['-v', 'error', '-i', dialogueWav, '-c:a', 'libopus', '-f', 'webm', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 }));
    expect((await probeMedia(vbr, tools)).durationSec).toBeCloseTo(30, 0);
    expect((await probeMedia(piped, tools)).durationSec).toBeCloseTo(34.4, 0);
  });

  it('decode writes exactly the source samples as float32 and reports progress by audio time', async () => {
    const dir = scratchDir('pcm');
    const info = await probeMedia(dialogueWav, tools);
    const seen: number[] = [];
    const result = await decodeToPcm(
      dialogueWav,
      info,
      { ffmpegPath: tools.ffmpeg, outPath: path.join(dir, 'a.f32') },
      { signal: new AbortController().signal, progress: (_, processedSec) => seen.push(processedSec) },
    );
    expect(statSync(result.pcmPath).size).toBe(Math.round(34.404375 * 16_000) * 4);
    expect(result.decodedSec).toBeCloseTo(34.404375, 4);
    expect(seen.at(-1)).toBeCloseTo(34.404375, 4);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // The source is 16-bit 16 kHz mono: the float samples are its integers scaled by 1/32768.
    const source = readFileSync(dialogueWav);
    const floats = new Float32Array(readFileSync(result.pcmPath).buffer.slice(0));
    const dataStart = source.indexOf('data') + 8;
    for (const i of [1000, 123_456, 500_000]) expect(floats[i]).toBeCloseTo(source.readInt16LE(dataStart + 2 * i) / 32768, 6);
    const loudest = floats.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
    expect(Math.max(...result.waveform.peaks)).toBeCloseTo(loudest, 2);
  });

  it('a canceled decode stops and leaves no file behind', async () => {
    const dir = scratchDir('pcm');
    const file = longMp3(30);
    const info = await probeMedia(file, tools);
    const controller = new AbortController();
    const outPath = path.join(dir, 'cache', 'long.f32');
    const decoding = decodeToPcm(file, info, { ffmpegPath: tools.ffmpeg, outPath }, {
      signal: controller.signal,
      progress: (fraction) => fraction > 0.2 && controller.abort(),
    });
    await expect(decoding).rejects.toBeInstanceOf(DecodeCanceled);
    expect(readdirSync(path.dirname(outPath))).toEqual([]);
  });

  it('a full disk fails the decode with a plain message, not a crash', async () => {
    const dir = scratchDir('pcm');
    const outPath = path.join(dir, 'a.f32');
    // Every write to /dev/full fails with ENOSPC: a real full disk, without filling one.
    symlinkSync('/dev/full', `${outPath}.partial`);
    const info = await probeMedia(dialogueWav, tools);
    const decoding = decodeToPcm(dialogueWav, info, { ffmpegPath: tools.ffmpeg, outPath }, {
      signal: new AbortController().signal,
      progress: () => undefined,
    });
    await expect(decoding).rejects.toMatchObject({
      code: 'disk-full',
      message: 'There is not enough free disk space to decode “dialogue-2spk.wav”; free some space and retry.',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a job canceled before decoding starts does not decode', async () => {
    const dir = scratchDir('pcm');
    const controller = new AbortController();
    const updates: WorkerProgress[] = [];
    const job = processMedia({ path: dialogueWav, cacheDir: dir, cacheKey: 'x', tools: noTools, transcribe: null, diarize: null }, controller.signal, (update) => {
      updates.push(update);
      if (update.stage === 'probe' && update.progress === 0) controller.abort();
    });
    await expect(job).rejects.toThrow(/abort/i);
    expect(updates.map((update) => update.stage)).not.toContain('decode');
    expect(existsSync(path.join(dir, 'x.f32'))).toBe(false);
  });
});
