// Long-silence benchmark: `npm run bench:long-silence [-- --hours N]`.
// N hours of digital silence (FLAC) through the real worker, transcription on, each in a fresh process so the
// peak RSS is its own; ten minutes of the same beside it show what the length adds.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cachedMedia, ffmpeg, projectRoot, sharedModels } from '../tests/helpers/media';
import { runInFreshWorker } from './lib/fresh-worker';

const { values } = parseArgs({ options: { hours: { type: 'string', default: '10' } } });
const work = path.join(projectRoot, '.cache/bench');
const transcribe = {
  model: { id: 'whisper-tiny', dir: path.join(sharedModels, 'Xenova/whisper-tiny'), dtypeSuffix: '_quantized' },
  vadModelPath: path.join(projectRoot, 'resources/vad/silero_vad_v6.onnx'),
  language: null,
  task: 'transcribe' as const,
  initialPrompt: null,
  device: 'cpu' as const,
};

for (const seconds of [600, Number(values.hours) * 3600]) {
  const file = cachedMedia(`silence-${seconds}s.flac`, (partial) =>
    ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(seconds), '-c:a', 'flac', '-sample_fmt', 's16', partial),
  );
  const { output, wallSec, peakRssMb } = await runInFreshWorker(file, work, transcribe);
  console.log(
    `${(seconds / 3600).toFixed(2)} h of silence: ${wallSec.toFixed(1)} s (${Math.round(seconds / wallSec)}× realtime), ` +
      `peak RSS ${peakRssMb.toFixed(0)} MB, ${output.transcript?.segments.length ?? 'no'} segments`,
  );
}
