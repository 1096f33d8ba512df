import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessMediaInput } from '../../contracts/worker-protocol';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { WorkerSupervisor } from '../../core/supervisor/worker-supervisor';
import { workerUser } from '../helpers/core';
import { projectRoot, scratchDir, sharedAudio, sharedModels, workerEntry } from '../helpers/media';

const utterance = (id: string) => path.join(sharedAudio, 'read-speech/wav', `${id}.wav`);
const model = (id: string) => ({ id, dir: path.join(sharedModels, 'Xenova', id), dtypeSuffix: '_quantized' });

function input(cacheDir: string, file: string, modelId = 'whisper-tiny'): ProcessMediaInput {
  return {
    path: file,
    cacheDir,
    cacheKey: path.basename(file, '.wav'),
    tools: { ffmpegPath: null, ffprobePath: null },
    transcribe: {
      model: model(modelId),
      vadModelPath: path.join(projectRoot, 'resources/vad/silero_vad_v6.onnx'),
      language: 'en',
      task: 'transcribe',
      initialPrompt: null,
      device: 'cpu',
    },
    diarize: null,
  };
}

describe('warm engine: one worker, models kept between jobs, the next file decoded ahead', () => {
  let supervisor: WorkerSupervisor | undefined;
  afterEach(() => supervisor?.dispose());

  it('opens Whisper and the VAD once for a run of files, again only when the model changes', async () => {
    supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry, workerUser) });
    const cacheDir = scratchDir('warm');
    let jobId = 0;
    const run = (file: string, modelId?: string) =>
      supervisor!.run({ jobId: ++jobId, kind: 'process-media', input: input(cacheDir, file, modelId), signal: new AbortController().signal, onProgress: () => undefined });

    const first = await run(utterance('LJ001-0002'));
    const pid = supervisor.workerPid;
    expect(first.modelsOpened).toBe(2);
    expect(first.output.transcript!.segments.map((s) => s.text).join(' ')).toMatch(/comparatively modern/i);

    const second = await run(utterance('LJ001-0008'));
    expect(second.modelsOpened).toBe(0);
    expect(supervisor.workerPid).toBe(pid);
    expect(second.output.transcript!.segments.length).toBeGreaterThan(0);

    // Another model: only Whisper is opened (the old one released first), the VAD stays.
    const third = await run(utterance('LJ001-0002'), 'whisper-base');
    expect(third.modelsOpened).toBe(1);
    expect(third.output.transcript!.engine.model).toBe('whisper-base');
    expect(supervisor.workerPid).toBe(pid);
  });

  it.each(['en', null])('each file of a queue gets exactly the words it gets alone, none from the files around it (language %s)', async (language) => {
    // Utterances whose first and last words differ from every other's: a word moved between files shows.
    const ids = ['LJ001-0002', 'LJ001-0008', 'LJ001-0004', 'sense_and_sensibility_01_austen_64kb-0880', 'LJ001-0013', 'LJ001-0006'];
    const withLanguage = (item: ProcessMediaInput): ProcessMediaInput => ({ ...item, transcribe: { ...item.transcribe!, language } });
    const words = (result: { output: { transcript: { segments: Array<{ words: Array<{ text: string }> }> } | null } }) =>
      result.output.transcript!.segments.flatMap((segment) => segment.words.map((word) => word.text.trim()));
    const signal = new AbortController().signal;

    supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry, workerUser) });
    const queued = ids.map((id) => withLanguage(input(scratchDir('queue'), utterance(id))));
    const inQueue = [];
    for (const [index, current] of queued.entries()) {
      // As the core does: each run names the files queued after it, which the worker prepares meanwhile.
      inQueue.push(await supervisor.run({ jobId: index + 1, kind: 'process-media', input: current, signal, onProgress: () => undefined, ahead: queued.slice(index + 1) }));
    }
    const alone = [];
    for (const [index, id] of ids.entries()) {
      supervisor.dispose();
      supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry, workerUser) });
      alone.push(await supervisor.run({ jobId: index + 1, kind: 'process-media', input: withLanguage(input(scratchDir('alone'), utterance(id))), signal, onProgress: () => undefined }));
    }
    expect(words(inQueue[0]!).join(' ')).toMatch(/comparatively modern/i);
    for (const [index, id] of ids.entries()) {
      expect(words(inQueue[index]!), id).toEqual(words(alone[index]!));
      const { transcript, decodedSec } = inQueue[index]!.output;
      for (const segment of transcript!.segments) expect(segment.end).toBeLessThanOrEqual(decodedSec + 0.05);
    }
  });

  it('decodes the next file while the current one transcribes, and the next job uses that decode', async () => {
    supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry, workerUser) });
    const cacheDir = scratchDir('ahead');
    const [current, next] = [utterance('LJ001-0001'), utterance('LJ001-0004')];
    const nextInput = input(cacheDir, next);
    await supervisor.run({
      jobId: 1,
      kind: 'process-media',
      input: input(cacheDir, current),
      signal: new AbortController().signal,
      onProgress: () => undefined,
      ahead: [nextInput],
    });
    // Decoded before its own job was ever asked for.
    const decodedAt = statSync(path.join(cacheDir, 'LJ001-0004.f32')).mtimeMs;
    const result = await supervisor.run({
      jobId: 2,
      kind: 'process-media',
      input: nextInput,
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(result.output.pcmPath).toBe(path.join(cacheDir, 'LJ001-0004.f32'));
    expect(result.output.decodedSec).toBeCloseTo(5.1, 0);
    expect(result.output.transcript!.segments.map((s) => s.text).join(' ')).toMatch(/block books/i);
    // The job used that decode: the file was not written again.
    expect(statSync(result.output.pcmPath).mtimeMs).toBe(decodedAt);
  });

  it('a corrupt file decoded ahead fails its own job with the reason, and the worker goes on', async () => {
    supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry, workerUser) });
    const cacheDir = scratchDir('ahead-bad');
    const bad = path.join(projectRoot, 'package.json');
    const badInput = { ...input(cacheDir, utterance('LJ001-0002')), path: bad, cacheKey: 'bad' };
    await supervisor.run({ jobId: 1, kind: 'process-media', input: input(cacheDir, utterance('LJ001-0002')), signal: new AbortController().signal, onProgress: () => undefined, ahead: [badInput] });
    await expect(supervisor.run({ jobId: 2, kind: 'process-media', input: badInput, signal: new AbortController().signal, onProgress: () => undefined })).rejects.toThrow(/package\.json/);
    const after = await supervisor.run({ jobId: 3, kind: 'process-media', input: input(cacheDir, utterance('LJ001-0008')), signal: new AbortController().signal, onProgress: () => undefined });
    expect(after.modelsOpened).toBe(0);
  });
});
