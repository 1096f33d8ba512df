// Decode benchmark: `npm run bench:decode [-- --hours N]`.
// Makes an N-hour MP3 from the shared audio (cached in .cache/bench), then decodes it three ways,
// each in a fresh process so peak RSS is its own:
//   verbatim   the real worker, through the supervisor: streamed to disk with waveform peaks
//   in-memory  the obvious alternative: ffmpeg's whole output collected into one Float32Array
//   ffmpeg     the ffmpeg CLI writing raw PCM to a file: the speed floor, no JavaScript at all
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveTools } from '../worker/pipeline/ffmpeg-tools';
import { projectRoot, sharedAudio } from '../tests/helpers/media';
import { runInFreshWorker } from './lib/fresh-worker';

const { values } = parseArgs({ options: { hours: { type: 'string', default: '1' } } });
const hours = Number(values.hours);
const tools = resolveTools({ ffmpegPath: null, ffprobePath: null });
const work = path.join(projectRoot, '.cache/bench');
mkdirSync(work, { recursive: true });

function makeInput(): string {
  const file = path.join(work, `meeting-${hours}h.mp3`);
  if (existsSync(file)) return file;
  console.log(`making a ${hours} h MP3 from ${sharedAudio} (once)…`);
  const sources = ['synthetic/dialogue-2spk.wav', 'synthetic/podcast-3spk.wav', 'ami-debug/trn01.wav', 'ami-debug/trn02.wav'];
  const inputs = sources.flatMap((source) => ['-i', path.join(sharedAudio, source)]);
  const joined = path.join(work, 'joined.wav');
  const chain = sources.map((_, i) => `[${i}:a]aresample=44100,aformat=sample_fmts=s16:channel_layouts=stereo[a${i}];`).join('');
  const concat = `${chain}${sources.map((_, i) => `[a${i}]`).join('')}concat=n=${sources.length}:v=0:a=1[out]`;
  const ffmpeg = (...args: string[]) => execFileSync(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  ffmpeg(...inputs, '-filter_complex', concat, '-map', '[out]', joined);
  // Written under a temporary name: an interrupted run must not leave a short file that looks cached.
  const partial = `${file}.partial.mp3`;
  ffmpeg('-stream_loop', '-1', '-i', joined, '-t', String(hours * 3600), '-c:a', 'libmp3lame', '-b:a', '128k', partial);
  renameSync(partial, file);
  rmSync(joined);
  return file;
}

interface Result {
  variant: string;
  wallSec: number;
  audioSec: number;
  peakRssMb: number;
}

async function viaVerbatimWorker(file: string): Promise<Result> {
  const { output, wallSec, peakRssMb } = await runInFreshWorker(file, work, null);
  return { variant: 'verbatim worker (streamed to disk + peaks)', wallSec, audioSec: output.decodedSec, peakRssMb };
}

/** Runs the naive decode in its own Node process and reads its peak RSS from the OS. */
function viaInMemory(file: string): Result {
  const script = `
    import { spawn } from 'node:child_process';
    const started = performance.now();
    const ffmpeg = spawn(${JSON.stringify(tools.ffmpeg)}, ['-v', 'error', '-i', ${JSON.stringify(file)}, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-']);
    const chunks = [];
    for await (const chunk of ffmpeg.stdout) chunks.push(chunk);
    const all = Buffer.concat(chunks);
    const samples = new Float32Array(all.buffer, all.byteOffset, all.length / 4);
    console.log(JSON.stringify({ wallSec: (performance.now() - started) / 1000, audioSec: samples.length / 16000, maxRss: process.resourceUsage().maxRSS * 1024 }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(run.stderr);
  const parsed = JSON.parse(run.stdout) as { wallSec: number; audioSec: number; maxRss: number };
  return { variant: 'in-memory (whole PCM in one buffer)', wallSec: parsed.wallSec, audioSec: parsed.audioSec, peakRssMb: parsed.maxRss / 2 ** 20 };
}

function viaFfmpegCli(file: string, audioSec: number): Result {
  const out = path.join(work, 'cli.f32');
  const started = performance.now();
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-i', file, '-ac', '1', '-ar', '16000', '-f', 'f32le', out]);
  const wallSec = (performance.now() - started) / 1000;
  rmSync(out, { force: true });
  return { variant: 'ffmpeg CLI to file (no JS)', wallSec, audioSec, peakRssMb: Number.NaN };
}

const input = makeInput();
console.log(`input: ${path.basename(input)}; machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`);
const verbatim = await viaVerbatimWorker(input);
const results = [verbatim, viaInMemory(input), viaFfmpegCli(input, verbatim.audioSec)];
console.log('\n| variant | audio | wall | speed (audio s / wall s) | peak RSS |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  const rss = Number.isNaN(r.peakRssMb) ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`;
  console.log(`| ${r.variant} | ${(r.audioSec / 3600).toFixed(2)} h | ${r.wallSec.toFixed(1)} s | ${(r.audioSec / r.wallSec).toFixed(0)}× | ${rss} |`);
}
