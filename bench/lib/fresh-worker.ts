import { rmSync } from 'node:fs';
import path from 'node:path';
import type { ProcessMediaInput, ProcessMediaOutput } from '../../contracts/worker-protocol';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { WorkerSupervisor } from '../../core/supervisor/worker-supervisor';
import { workerEntry } from '../../tests/helpers/media';

/**
 * One job in a worker process of its own, through the real supervisor, so the peak RSS it reports is
 * this job's alone. The decoded-audio cache goes in `workDir` and is removed afterwards.
 */
export async function runInFreshWorker(
  file: string,
  workDir: string,
  transcribe: ProcessMediaInput['transcribe'],
  diarize: ProcessMediaInput['diarize'] = null,
): Promise<{ output: ProcessMediaOutput; wallSec: number; peakRssMb: number }> {
  const supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry) });
  const cacheDir = path.join(workDir, 'pcm');
  const started = performance.now();
  try {
    const { output, maxRssBytes } = await supervisor.run({
      jobId: 1,
      kind: 'process-media',
      input: { path: file, cacheDir, cacheKey: 'bench', tools: { ffmpegPath: null, ffprobePath: null }, transcribe, diarize },
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    return { output, wallSec: (performance.now() - started) / 1000, peakRssMb: maxRssBytes / 2 ** 20 };
  } finally {
    supervisor.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
