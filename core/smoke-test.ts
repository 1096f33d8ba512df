// What `Verbatim --smoke-test` checks inside a packaged app, where a native file left in the archive or a
// library built for the wrong runtime shows first: SQLite opens a library; the engine process starts; it
// probes and decodes a second of audio with the bundled ffprobe and ffmpeg; onnxruntime runs the shipped
// speech detector over it. No model is downloaded and nothing outside `workDir` is written.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { wavHeader } from './audio/pcm-wav';
import { openLibrary } from './library/library-file';
import { resourcePaths } from './paths';
import { WorkerSupervisor } from './supervisor/worker-supervisor';
import type { WorkerSpawner } from './supervisor/worker-handle';

export interface SmokeReport {
  sqliteSchema: number;
  decodedSec: number;
  /** 'none': the detector found no speech, so no Whisper model had to be opened, as intended. */
  provider: string;
  seconds: number;
}

export async function smokeTest(o: { resourcesDir: string; spawnWorker: WorkerSpawner; workDir: string; sqliteBinding?: string }): Promise<SmokeReport> {
  const started = performance.now();
  const db = openLibrary(path.join(o.workDir, 'library.sqlite'), path.join(o.workDir, 'backups'), { nativeBinding: o.sqliteBinding });
  const sqliteSchema = db.schemaVersion;
  db.close();

  // A second of quiet room tone: the detector runs over all of it and finds no speech.
  const samples = 16_000;
  const wav = path.join(o.workDir, 'second.wav');
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(Math.sin(i / 7) * 20), i * 2);
  writeFileSync(wav, Buffer.concat([wavHeader(samples), pcm]));

  const supervisor = new WorkerSupervisor({ spawn: o.spawnWorker });
  try {
    const { output } = await supervisor.run({
      jobId: 1,
      kind: 'process-media',
      input: {
        path: wav,
        cacheDir: path.join(o.workDir, 'pcm'),
        cacheKey: 'smoke-test',
        tools: { ffmpegPath: null, ffprobePath: null },
        transcribe: {
          model: { id: 'smoke-test', dir: path.join(o.workDir, 'no-model'), dtypeSuffix: '' },
          vadModelPath: resourcePaths(o.resourcesDir).vadModel,
          language: 'en',
          task: 'transcribe',
          initialPrompt: null,
          device: 'cpu',
        },
        diarize: null,
      },
      signal: new AbortController().signal,
      onProgress: () => undefined,
      timeoutMs: 60_000,
    });
    if (!output.transcript || output.transcript.segments.length > 0) throw new Error('The speech detector did not run as expected on a second of room tone.');
    return { sqliteSchema, decodedSec: output.decodedSec, provider: output.transcript.engine.provider, seconds: (performance.now() - started) / 1000 };
  } finally {
    supervisor.dispose();
  }
}
