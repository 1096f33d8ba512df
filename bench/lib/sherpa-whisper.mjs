// sherpa-onnx's offline Whisper over many WAVs in one process: the peer side of bench/peers.ts (after
// ../shared/peers/sherpa-many.js, with the language as an argument: '' detects it).
// usage: node sherpa-whisper.mjs MODEL_DIR NAME THREADS LANGUAGE OUT.tsv WAV...   (run from a folder with sherpa-onnx-node installed)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The peers' own install, in the folder this runs from: sherpa-onnx is not a dependency of the project.
const sherpa = createRequire(path.join(process.cwd(), 'index.js'))('sherpa-onnx-node');

const [dir, name, threads, language, out, ...wavs] = process.argv.slice(2);
const recognizer = new sherpa.OfflineRecognizer({
  featConfig: { sampleRate: 16000, featureDim: 80 },
  modelConfig: {
    whisper: { encoder: `${dir}/${name}-encoder.int8.onnx`, decoder: `${dir}/${name}-decoder.int8.onnx`, language, task: 'transcribe', tailPaddings: -1 },
    tokens: `${dir}/${name}-tokens.txt`,
    numThreads: Number(threads),
    provider: 'cpu',
    debug: 0,
  },
});
const rows = wavs.map((wav) => {
  const wave = sherpa.readWave(wav);
  const stream = recognizer.createStream();
  stream.acceptWaveform({ sampleRate: wave.sampleRate, samples: wave.samples });
  recognizer.decode(stream);
  return `${path.basename(wav, '.wav')}\t${recognizer.getResult(stream).text.trim()}`;
});
fs.writeFileSync(out, `${rows.join('\n')}\n`);
