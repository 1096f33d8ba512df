import os from 'node:os';
import ort from 'onnxruntime-node';
import type { ProviderFallback } from '../../../contracts/domain';
import type { ExecutionProvider } from '../../../contracts/devices';

/**
 * Intra-op threads: every core on small machines; on larger ones about the physical cores, since
 * hyper-threads rarely help matrix kernels and the UI and ffmpeg need room too.
 */
export function defaultThreadCount(logicalCores = os.availableParallelism()): number {
  return logicalCores <= 4 ? logicalCores : Math.max(4, Math.floor(logicalCores / 2));
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Providers tried before the one that opened, with why they did not. */
  fallbacks: ProviderFallback[];
}

/** Opens a model on the first provider in `order` that accepts it. */
export async function openSession(
  modelPath: string,
  order: readonly ExecutionProvider[],
  options: {
    threads?: number;
    /**
     * Dequantize 8-bit weights once, at load, instead of at every run. ONNX Runtime keeps a
     * DequantizeLinear on a constant weight to preserve QDQ patterns; in Whisper's decoder that is
     * the tied output projection (51,865 × d), dequantized on every decoder step: 20 of whisper-base's
     * 35 ms a token on a 2-core CPU. Folding costs the float copies' memory (+150 MB for base once
     * running), less 60 MB without MLAS's prepacked second copy, which does not speed this decoder up.
     */
    foldQuantizedWeights?: boolean;
    /** The model as changed in memory (see anyLengthEncoder); `modelPath` still names it in errors. */
    bytes?: Uint8Array;
    /**
     * ONNX Runtime's CPU arena keeps the largest run's memory for the session's life. Off for a model
     * whose input length changes run to run (the encoder: 1 to 30 s), whose largest run is rare.
     */
    memoryArena?: boolean;
  } = {},
): Promise<OpenedSession> {
  const fallbacks: ProviderFallback[] = [];
  // Providers that fail to load log their own errors before we catch them; the reason is recorded
  // on the job instead. Set here, not at import: transformers.js sets its own level when loaded.
  ort.env.logLevel = 'fatal';
  for (const provider of order) {
    try {
      const session = await ort.InferenceSession.create((options.bytes ?? modelPath) as string, {
        executionProviders: [provider],
        intraOpNumThreads: provider === 'cpu' ? (options.threads ?? defaultThreadCount()) : undefined,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        enableCpuMemArena: options.memoryArena ?? true,
        logSeverityLevel: 4,
        extra: options.foldQuantizedWeights ? { session: { disable_quant_qdq: '1', disable_prepacking: '1' } } : {},
      });
      return { session, provider, fallbacks };
    } catch (error) {
      fallbacks.push({ provider, reason: firstLine(error) });
    }
  }
  throw new Error(`No execution provider could open ${modelPath}: ${fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')}`);
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // onnxruntime prefixes messages with a source location and often a failed assertion
  // ("file.cc:136 <function> cond was false. Reason"); people need only the reason.
  const line = text.split('\n').find((part) => part.trim()) ?? text;
  const reason = / was false\. (.+)$/.exec(line)?.[1] ?? line.replace(/^.*?\.(cc|cpp|h):\d+ [^ ]+ /, '');
  return reason.slice(0, 300).trim();
}
