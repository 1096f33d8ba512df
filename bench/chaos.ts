// Chaos benchmark: `npm run bench:chaos [-- --kills 8 --seed 7]`. A queue of real recordings (read speech,
// two real readers, five minutes of real speech) transcribed through the web host twice: once left alone,
// once while the engine process or the whole app is SIGKILLed at random moments (the app is started again
// on the same library each time, as a user would after a crash). Reports jobs lost, jobs duplicated and
// transcripts that differ from the clean run's (target 0, 0, 0), and the work redone: the extra time.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { EditableTranscript, JobView, LibraryItem } from '../contracts/domain';
import { readSpeechTake } from '../tests/helpers/live';
import { scratchDir, sharedAudio } from '../tests/helpers/media';
import { callHost, startWebHost, type RunningHost } from '../tests/helpers/web-host';
import { longRealSpeech } from './lib/read-speech';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '8' }, seed: { type: 'string', default: '7' } } });
const KILLS = Number(values.kills);

/** A small seeded generator: the same run kills at the same moments. */
let state = Number(values.seed) >>> 0 || 1;
function random(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
}

const files = [
  readSpeechTake(8).wav,
  readSpeechTake(14).wav,
  path.join(sharedAudio, 'real-speakers/two-readers.wav'),
  longRealSpeech(sharedAudio, scratchDir('bench-chaos-audio'), 5).file,
];

/** The engine process the host runs jobs in (not the decode-only or live ones): its child running worker-main. */
function enginePid(hostPid: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === hostPid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('worker-main.cjs')) return Number(entry);
    } catch {
      // The process ended while being looked at.
    }
  }
  return undefined;
}

async function transcripts(host: RunningHost): Promise<Map<string, string>> {
  const items = (await callHost(host.url, 'library.list', { sort: 'name', descending: false })) as LibraryItem[];
  const byName = new Map<string, string>();
  for (const item of items) {
    const transcript = (await callHost(host.url, 'transcripts.get', { mediaId: item.mediaId })) as EditableTranscript | null;
    byName.set(item.fileName, JSON.stringify(transcript?.segments.map((segment) => [segment.start, segment.end, segment.text, segment.speaker]) ?? null));
  }
  return byName;
}

const jobsOf = async (host: RunningHost): Promise<JobView[]> => (await callHost(host.url, 'jobs.list', {})) as JobView[];
const settled = (jobs: JobView[]): boolean => jobs.length >= files.length && jobs.every((job) => ['done', 'failed', 'canceled'].includes(job.state));

async function run(chaos: boolean): Promise<{ wallSec: number; jobs: JobView[]; texts: Map<string, string>; killed: { engine: number; app: number } }> {
  const dataDir = scratchDir(chaos ? 'bench-chaos' : 'bench-chaos-clean');
  let host = await startWebHost(dataDir);
  await callHost(host.url, 'settings.update', { model: 'whisper-tiny' });
  const started = performance.now();
  await callHost(host.url, 'media.add', { paths: files });
  const killed = { engine: 0, app: 0 };
  for (;;) {
    if (settled(await jobsOf(host))) break;
    if (chaos && killed.engine + killed.app < KILLS) {
      await new Promise((resolve) => setTimeout(resolve, 3_000 + random() * 9_000));
      if (settled(await jobsOf(host))) break;
      if (random() < 0.6) {
        const pid = enginePid(host.pid);
        if (pid !== undefined) {
          process.kill(pid, 'SIGKILL');
          killed.engine++;
        }
      } else {
        await host.crash();
        killed.app++;
        host = await startWebHost(dataDir);
      }
    } else await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const wallSec = (performance.now() - started) / 1000;
  const result = { wallSec, jobs: await jobsOf(host), texts: await transcripts(host), killed };
  await host.stop();
  return result;
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}; ${files.length} real recordings, whisper-tiny; ${KILLS} kills, seed ${values.seed}`);
  const clean = await run(false);
  console.log(`clean run: ${clean.wallSec.toFixed(1)} s`);
  const chaos = await run(true);
  const names = files.map((file) => path.basename(file));
  const lost = names.filter((name) => !chaos.texts.has(name) || chaos.jobs.every((job) => job.fileName !== name || job.state !== 'done')).length;
  const duplicated = names.filter((name) => chaos.jobs.filter((job) => job.fileName === name).length > 1).length;
  const different = names.filter((name) => chaos.texts.get(name) !== clean.texts.get(name)).length;
  console.log(`chaos run: ${chaos.wallSec.toFixed(1)} s, ${chaos.killed.engine} engine kills and ${chaos.killed.app} app kills`);
  console.log(`jobs lost ${lost}, duplicated ${duplicated}, transcripts different from the clean run ${different}`);
  console.log(`attempts: ${chaos.jobs.map((job) => `${job.fileName} ${job.attempts}`).join(', ')}`);
  console.log(`work redone: ${(chaos.wallSec - clean.wallSec).toFixed(1)} s over the clean run (restarts, re-decoding, and the batches in flight at each kill)`);
}

void main();
