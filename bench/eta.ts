// ETA benchmark: `npm run bench:eta`. A queue of real speech and long silences (real read speech, two
// real readers, five minutes of real speech, 10 and 30 minutes of silence) dropped at once on a core that
// has run one file before, as a machine in use has. Every second, each waiting or running file's ETA is
// read from the queue and compared with when it really finished; beside it, in the same run, the
// length-only estimate the queue used before (each file's length at the speed measured on the earlier
// file), computed from the same job records. Reports, per file, the error at the moment of the drop and
// the mean error over its whole wait.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { JobStore } from '../core/library/job-store';
import { MediaStore } from '../core/library/media-store';
import { estimateLane } from '../core/queue/eta';
import { allFinished, openCore, waitForJobs } from '../tests/helpers/core';
import { readSpeechTake } from '../tests/helpers/live';
import { cachedMedia, ffmpeg, scratchDir, sharedAudio } from '../tests/helpers/media';
import { longRealSpeech, wavSeconds } from './lib/read-speech';

const SETTINGS = { model: 'whisper-tiny' } as const;

function silence(minutes: number): string {
  return cachedMedia(`silence-${minutes}min.mp3`, (partial) =>
    ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(minutes * 60), '-c:a', 'libmp3lame', '-b:a', '128k', partial),
  );
}

interface Sample {
  atSec: number;
  /** Seconds from `atSec` each unfinished job should finish in: the queue's, and the length-only estimate. */
  eta: Map<number, { speech: number | null; length: number | null }>;
}

async function main(): Promise<void> {
  const work = scratchDir('bench-eta');
  const core = openCore(scratchDir('bench-eta-data'), { settingsDefaults: SETTINGS });
  const jobs = new JobStore(core.db);
  const media = new MediaStore(core.db);

  // One file first, as on a machine that has transcribed before: both estimates start from its speed.
  const warmStart = performance.now();
  const warmUp = readSpeechTake(6).wav;
  await core.addFiles([warmUp]);
  await waitForJobs(core, allFinished, 10 * 60_000);
  const lengthSpeed = wavSeconds(warmUp) / ((performance.now() - warmStart) / 1000);
  core.clearFinished();

  const files = [
    readSpeechTake(8).wav,
    silence(30),
    longRealSpeech(sharedAudio, work, 5).file,
    readSpeechTake(14).wav,
    path.join(sharedAudio, 'real-speakers/two-readers.wav'),
    silence(10),
  ];
  const start = performance.now();
  const startWall = Date.now();
  const added = await core.addFiles(files);
  const samples: Sample[] = [];
  for (;;) {
    const atSec = (performance.now() - start) / 1000;
    const views = core.listJobs();
    const records = views.map((view) => jobs.get(view.id)!).filter((job) => job.state === 'running' || job.state === 'queued');
    const length = estimateLane(
      records.filter((job) => job.state === 'running'),
      records.filter((job) => job.state === 'queued').sort((a, b) => views.findIndex((v) => v.id === a.id) - views.findIndex((v) => v.id === b.id)),
      { expectedSec: (_job, audioSec) => audioSec / lengthSpeed, bytesPerAudioSec: media.averageBytesPerSecond() ?? 16_000, now: Date.now() },
    );
    samples.push({
      atSec,
      eta: new Map(records.map((job) => [job.id, { speech: views.find((view) => view.id === job.id)!.etaSec, length: length.get(job.id)?.etaSec ?? null }])),
    });
    if (allFinished(views)) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const finishedSec = new Map(added.map(({ jobId }) => [jobId, (jobs.get(jobId)!.finishedAt! - startWall) / 1000]));

  console.log(`machine: ${process.arch}, ${cpus().length} CPUs; whisper-tiny; length-only speed from the warm-up: ${lengthSpeed.toFixed(1)}× realtime`);
  console.log('file                          length  done at | error at drop: speech / length | mean error while waiting: speech / length');
  const totals = { speech: 0, length: 0, count: 0 };
  added.forEach(({ jobId }, index) => {
    const actual = finishedSec.get(jobId)!;
    const errors = samples
      .map((sample) => ({ sample, eta: sample.eta.get(jobId) }))
      .filter(({ eta }) => eta && eta.speech !== null && eta.length !== null)
      .map(({ sample, eta }) => ({ speech: Math.abs(sample.atSec + eta!.speech! - actual), length: Math.abs(sample.atSec + eta!.length! - actual) }));
    const first = errors[0];
    const mean = (key: 'speech' | 'length'): number => errors.reduce((sum, error) => sum + error[key], 0) / Math.max(1, errors.length);
    totals.speech += mean('speech');
    totals.length += mean('length');
    totals.count++;
    const name = path.basename(files[index]!).padEnd(28);
    const audio = jobs.get(jobId)!.durationSec ?? 0;
    console.log(
      `${name} ${audio.toFixed(0).padStart(5)} s ${actual.toFixed(0).padStart(5)} s | ${first ? `${first.speech.toFixed(0)} s / ${first.length.toFixed(0)} s` : 'n/a'} | ${mean('speech').toFixed(0)} s / ${mean('length').toFixed(0)} s`,
    );
  });
  console.log(`mean over files of the mean error while waiting: speech ${(totals.speech / totals.count).toFixed(1)} s, length-only ${(totals.length / totals.count).toFixed(1)} s`);
  await core.close();
}

void main();
