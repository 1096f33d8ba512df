import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const runner = path.join(import.meta.dirname, 'sherpa-reference.mjs');

/** One sherpa-onnx run in a child process (see sherpa-reference.mjs); `samples` is a raw float32 16 kHz file. */
function sherpa<T>(scratch: string, request: Record<string, unknown>): T {
  const file = path.join(scratch, `sherpa-request-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(request));
  return JSON.parse(execFileSync(process.execPath, [runner, file], { encoding: 'utf8', maxBuffer: 64 << 20 })) as T;
}

/** sherpa-onnx's SpeakerEmbeddingExtractor on the whole recording. */
export function sherpaEmbedding(scratch: string, model: string, samples: string): { dim: number; embedding: number[] } {
  return sherpa(scratch, { kind: 'embedding', model, samples });
}

export interface SherpaDiarizeOptions {
  segmentation: string;
  embedding: string;
  samples: string;
  numClusters?: number;
  threshold?: number;
  windowShiftRatio?: number;
  minDurationOn?: number;
  minDurationOff?: number;
}

/** sherpa-onnx's OfflineSpeakerDiarization: turns as { start, end, speaker }. */
export function sherpaDiarize(scratch: string, options: SherpaDiarizeOptions): Array<{ start: number; end: number; speaker: number }> {
  return sherpa<{ segments: Array<{ start: number; end: number; speaker: number }> }>(scratch, { kind: 'diarize', ...options }).segments;
}
