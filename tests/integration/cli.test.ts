import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore, testEnv } from '../helpers/core';
import { dialogueWav, probeDuration, projectRoot, scratchDir, sharedModels } from '../helpers/media';
import { readSpeechTake } from '../helpers/live';
import { wordErrorRate } from '../../bench/lib/word-error-rate';

const cli = path.join(projectRoot, 'dist/cli/verbatim.cjs');

function verbatim(...args: string[]) {
  return verbatimWith({}, ...args);
}

function verbatimWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...testEnv, VERBATIM_DATA_DIR: scratchDir('cli-data'), ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('verbatim CLI', () => {
  it('transcribes through the same worker, writes the formats asked for, and reports progress', () => {
    const out = scratchDir('cli-out');
    const run = verbatim('transcribe', dialogueWav, '--model', 'whisper-tiny', '--format', 'srt,json,txt', '--out', out);
    expect(run.code).toBe(0);
    // Not a terminal: a line per stage, with percentage and where the model ran.
    expect(run.stderr).toMatch(/\] +\d+% detecting speech +dialogue-2spk\.wav/);
    expect(run.stderr).toMatch(/100% done +dialogue-2spk\.wav +\(whisper-tiny on cpu\)/);
    expect(run.stderr).toContain('1 of 1 transcribed');
    const srt = readFileSync(path.join(out, 'dialogue-2spk.srt'), 'utf8');
    expect(srt).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\nSpeaker 1: Good morning everyone/);
    const json = JSON.parse(readFileSync(path.join(out, 'dialogue-2spk.json'), 'utf8'));
    expect(json).toMatchObject({ file: 'dialogue-2spk.wav', engine: { model: 'whisper-tiny', provider: 'cpu', ranOn: 'local' }, language: 'en' });
    expect(json.segments[0].words[0]).toMatchObject({ text: 'Good' });
    expect(readFileSync(path.join(out, 'dialogue-2spk.txt'), 'utf8')).toContain('second order');
  });

  it('streams a file through live captions: one JSON object a line, then a summary with latency percentiles', () => {
    const { wav, reference } = readSpeechTake(2);
    const run = verbatim('live', wav, '--model', 'whisper-tiny', '--fast', '--json');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = lines.pop()!;
    expect(summary).toMatchObject({ type: 'summary', model: 'whisper-tiny', provider: 'cpu', skippedSec: 0 });
    expect(summary.audioSec).toBeCloseTo(probeDuration(wav), 1);
    const { p50, p95 } = summary.finalLatencyMs as { p50: number; p95: number };
    expect(p95).toBeGreaterThanOrEqual(p50);
    expect(lines.every((line) => ['partial', 'final'].includes(line.type as string) && typeof line.latencyMs !== 'undefined')).toBe(true);
    const finals = lines.filter((line) => line.type === 'final');
    expect(wordErrorRate(reference, finals.map((line) => line.text).join(' '))).toBeLessThan(0.2);
    expect(lines.findIndex((line) => line.type === 'partial')).toBeLessThan(lines.findIndex((line) => line.type === 'final'));
  });

  it('exits non-zero when a file fails, saying why, after writing the others', () => {
    const out = scratchDir('cli-out');
    const corrupt = path.join(scratchDir('cli-in'), 'broken.mp3');
    writeFileSync(corrupt, Buffer.alloc(10_000, 0x41));
    const run = verbatim('transcribe', corrupt, dialogueWav, '--model', 'whisper-tiny', '--format', 'vtt', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`✗ ${corrupt}: “broken.mp3” is not an audio or video format Verbatim can read.`);
    expect(run.stderr).toContain('1 of 2 transcribed');
    expect(readFileSync(path.join(out, 'dialogue-2spk.vtt'), 'utf8')).toMatch(/^WEBVTT\n\n00:00:00\.\d{3} --> /);
  });

  it('refuses bad usage with exit code 2 and the usage text', () => {
    const badFormat = verbatim('transcribe', dialogueWav, '--format', 'doc');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('Unknown format doc; choose from txt, srt, vtt, json, docx, md.');
    expect(badFormat.stderr).toContain('Usage:');
    const badDevice = verbatim('transcribe', dialogueWav, '--device', 'tpu');
    expect(badDevice.code).toBe(2);
    expect(badDevice.stderr).toMatch(/Invalid option: device/);
    expect(verbatim('transcribe', dialogueWav, '--model', 'whisper-huge').stderr).toContain('There is no model “whisper-huge”');
  });

  it('lists the models and where each is installed', () => {
    const run = verbatim('models');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^whisper-tiny +whisper +44 MB +multilingual +installed \(VERBATIM_MODELS_DIR, 44 MB\)$/m);
    expect(run.stdout).toMatch(/^whisper-small +whisper +252 MB +multilingual *$/m);
    expect(run.stdout).toMatch(/^pyannote-segmentation-3.0 +segmentation +2 MB +any *$/m);
    expect(run.stdout).toMatch(/^wespeaker-campplus +speaker-embedding +29 MB +any *$/m);
    expect(run.stdout).toContain('bundled with the app');
  });

  it('uses the models in the storage folder chosen in the desktop app, even while the app has its library open', async () => {
    const dataDir = scratchDir('cli-app-data');
    const storage = scratchDir('cli-storage');
    const app = openCore(dataDir, { env: { VERBATIM_MODELS_DIR: '' }, chooseFolder: async () => storage });
    try {
      await app.chooseStorageFolder(false);
      cpSync(path.join(sharedModels, 'Xenova/whisper-tiny'), path.join(storage, 'models/Xenova/whisper-tiny'), { recursive: true });
      const env = { VERBATIM_DATA_DIR: dataDir, VERBATIM_MODELS_DIR: '' };
      expect(verbatimWith(env, 'models').stdout).toMatch(/^whisper-tiny +whisper +44 MB +multilingual +installed \(app, 4\d MB\)$/m);
      const download = verbatimWith(env, 'models', 'download', 'whisper-tiny');
      expect(download.code).toBe(0);
      expect(download.stderr).toContain(`whisper-tiny is installed in ${path.join(storage, 'models/Xenova/whisper-tiny')}`);
      expect(verbatimWith(env, '--help').stdout).toContain(`Models are shared with the desktop app (${path.join(storage, 'models')}`);
    } finally {
      await app.close();
    }
  });
});
