// The comparison engine for bench/transcribe: transformers.js' own ASR pipeline on the same model
// files, run in its own process so its peak memory is its own. Several files are one batch: the model
// is loaded once, as a script over a folder would. Prints one JSON line.
// Usage: tsx bench/lib/transformers-asr.ts <modelsDir> <repo> <language|auto> <threads> <wav>…
import { readFileSync } from 'node:fs';
import { env, pipeline } from '@huggingface/transformers';

const [modelsDir, repo, language, threads, ...wavs] = process.argv.slice(2) as [string, string, string, string, ...string[]];
env.allowRemoteModels = false;
env.localModelPath = `${modelsDir}/`;

/** 16 kHz mono 16-bit PCM WAV (what ../shared/audio holds, and what the benchmark makes) to floats. */
function readWav(file: string): Float32Array {
  const bytes = readFileSync(file);
  let offset = 12;
  while (offset < bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(offset + 8 + i * 2) / 32768;
      return samples;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

const started = performance.now();
const asr = await pipeline('automatic-speech-recognition', repo, { dtype: 'q8', device: 'cpu', session_options: { intraOpNumThreads: Number(threads) } });
const texts: string[] = [];
let audioSec = 0;
for (const wav of wavs) {
  const audio = readWav(wav);
  audioSec += audio.length / 16000;
  const output = (await asr(audio, { chunk_length_s: 30, return_timestamps: 'word', ...(language === 'auto' ? {} : { language }), task: 'transcribe' })) as { text: string };
  texts.push(output.text);
}
const wallSec = (performance.now() - started) / 1000;
console.log(JSON.stringify({ texts, wallSec, audioSec, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
