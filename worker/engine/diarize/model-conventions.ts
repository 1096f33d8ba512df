import { SAMPLE_RATE } from '../audio/pcm-file';
import { onnxMetadata } from '../onnx/model-metadata';
import type { FbankOptions } from './fbank';
import { LOCAL_SPEAKERS } from './powerset';

/**
 * How a pyannote segmentation model frames its window, from the metadata sherpa-onnx's exporter
 * writes (scripts/pyannote/segmentation/export-onnx.py), else segmentation-3.0's own values.
 */
export interface SegmentationConvention {
  windowSamples: number;
  /** Output frame j covers the receptive field [j·shift, j·shift + size) of the window, in samples. */
  receptiveFieldShift: number;
  receptiveFieldSize: number;
}

export const SEGMENTATION_3_0: SegmentationConvention = {
  windowSamples: 10 * SAMPLE_RATE,
  receptiveFieldShift: 270,
  receptiveFieldSize: 991,
};

export function segmentationConvention(model: string): SegmentationConvention {
  const metadata = onnxMetadata(model);
  const number = (key: string, fallback: number): number => {
    const value = Number(metadata.get(key));
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  // The powerset decoding here is segmentation-3.0's: 3 local speakers, at most 2 at once.
  if (number('num_speakers', LOCAL_SPEAKERS) !== LOCAL_SPEAKERS || number('powerset_max_classes', 2) !== 2) {
    throw new Error(`${model}: a segmentation model with ${metadata.get('num_speakers')} local speakers, ${metadata.get('powerset_max_classes')} at once, is not supported (pyannote segmentation-3.0's 3 and 2 are)`);
  }
  return {
    windowSamples: number('window_size', SEGMENTATION_3_0.windowSamples),
    receptiveFieldShift: number('receptive_field_shift', SEGMENTATION_3_0.receptiveFieldShift),
    receptiveFieldSize: number('receptive_field_size', SEGMENTATION_3_0.receptiveFieldSize),
  };
}

/**
 * The features a speaker-embedding model was trained on, as its own inference code computes them
 * (not as sherpa-onnx does, which differs; docs/ARCHITECTURE.md, tests/integration/sherpa-reference.test.ts):
 * - WeSpeaker (wespeaker/bin/infer_onnx.py): 16-bit-range samples, Hamming window, edges snipped,
 *   mel up to Nyquist, each bin's mean over the segment subtracted (CMN).
 * - 3D-Speaker (speakerlab FBank with mean_nor): samples in −1…1, Povey window, edges snipped,
 *   mel up to Nyquist, mean subtracted.
 */
export interface EmbeddingConvention {
  framework: 'wespeaker' | '3d-speaker';
  fbank: FbankOptions;
  subtractMean: boolean;
}

export const EMBEDDING_CONVENTIONS: Record<EmbeddingConvention['framework'], EmbeddingConvention> = {
  wespeaker: { framework: 'wespeaker', fbank: { bins: 80, window: 'hamming', snipEdges: true, highHz: 0, sampleScale: 32768 }, subtractMean: true },
  '3d-speaker': { framework: '3d-speaker', fbank: { bins: 80, window: 'povey', snipEdges: true, highHz: 0, sampleScale: 1 }, subtractMean: true },
};

/** The convention the model's metadata names; WeSpeaker's when it names none (the published WeSpeaker ONNX files carry no framework key of their own). */
export function embeddingConvention(model: string): EmbeddingConvention {
  return onnxMetadata(model).get('framework') === '3d-speaker' ? EMBEDDING_CONVENTIONS['3d-speaker'] : EMBEDDING_CONVENTIONS.wespeaker;
}
