// Runs k2-fsa's sherpa-onnx (the C++ reference of the pyannote → embedding → clustering pipeline)
// in its own process: it bundles its own onnxruntime, which must not meet onnxruntime-node's.
// argv[2]: a JSON request; prints the JSON answer.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const sherpa = createRequire(import.meta.url)('sherpa-onnx-node');
const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const samples = new Float32Array(readFileSync(request.samples).buffer.slice(0));

if (request.kind === 'embedding') {
  const extractor = new sherpa.SpeakerEmbeddingExtractor({ model: request.model, numThreads: 1, debug: 0 });
  const stream = extractor.createStream();
  stream.acceptWaveform({ samples, sampleRate: 16000 });
  stream.inputFinished();
  process.stdout.write(JSON.stringify({ dim: extractor.dim, embedding: Array.from(extractor.compute(stream)) }));
} else if (request.kind === 'diarize') {
  const diarizer = new sherpa.OfflineSpeakerDiarization({
    segmentation: { pyannote: { model: request.segmentation, windowShiftRatio: request.windowShiftRatio ?? 0.1 }, numThreads: 1, debug: 0 },
    embedding: { model: request.embedding, numThreads: 1, debug: 0 },
    clustering: { numClusters: request.numClusters ?? -1, threshold: request.threshold ?? 0.5 },
    minDurationOn: request.minDurationOn ?? 0.3,
    minDurationOff: request.minDurationOff ?? 0.5,
  });
  process.stdout.write(JSON.stringify({ segments: diarizer.process(samples) }));
} else {
  throw new Error(`unknown request ${request.kind}`);
}
