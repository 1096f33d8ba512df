// Model catalog and installed-model views, shared by the core, the API and the renderer.
import { z } from 'zod';

export const ModelFile = z.object({
  path: z.string().regex(/^[A-Za-z0-9_.+-]+(\/[A-Za-z0-9_.+-]+)*$/),
  /** Every file is pinned: its exact size and SHA-256, whatever a server says at download time. */
  size: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the publisher hosts it when not on Hugging Face; mirrors still serve it at the Hugging Face path. */
  url: z.string().url().optional(),
});
export type ModelFile = z.infer<typeof ModelFile>;

/** Whisper transcribes; the neural diarization tier needs one segmentation and one speaker-embedding model. */
export const ModelKind = z.enum(['whisper', 'segmentation', 'speaker-embedding']);
export type ModelKind = z.infer<typeof ModelKind>;

export const ModelLanguages = z.enum(['multilingual', 'en', 'any']);

export const ModelEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    kind: ModelKind,
    name: z.string(),
    /** Hugging Face repository; also the folder the model is installed in. */
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
    revision: z.string(),
    /** Weights variant: q8 is 8-bit (the files' "_quantized" suffix). */
    dtype: z.enum(['fp32', 'fp16', 'q8', 'q4']),
    parameters: z.string(),
    sizeBytes: z.number().int().positive(),
    sizeExact: z.boolean(),
    languages: ModelLanguages,
    recommended: z.string(),
    /** Part of the packaged app (npm run fetch-models puts it in resources/models), so nobody waits for a download on first use. */
    bundled: z.boolean().optional(),
    files: z.array(ModelFile).min(1),
  })
  // A commit, never a branch that moves: or, for files published as release assets, each file's own URL (and hash).
  .refine((entry) => /^[0-9a-f]{40}$/.test(entry.revision) || entry.files.every((file) => file.url), {
    message: 'A catalog model is pinned to a commit (or each of its files to its own URL), with a size and SHA-256 per file.',
  });
export type ModelEntry = z.infer<typeof ModelEntry>;

export const ModelCatalog = z.object({ models: z.array(ModelEntry).min(1) });

export const ModelStatus = z.object({
  id: z.string(),
  kind: ModelKind,
  name: z.string(),
  sizeBytes: z.number(),
  sizeExact: z.boolean(),
  languages: ModelLanguages,
  recommended: z.string(),
  /** Where it is installed: the app's models folder, shipped inside the app, VERBATIM_MODELS_DIR (both read-only), or nowhere. */
  installed: z.enum(['app', 'bundled', 'env']).nullable(),
  diskBytes: z.number().int().nonnegative(),
});
export type ModelStatus = z.infer<typeof ModelStatus>;

export const DTYPE_SUFFIX = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' } as const satisfies Record<ModelEntry['dtype'], string>;

/** The neural diarization tier's models: segmentation, then speaker embedding. */
export const NEURAL_MODELS = ['pyannote-segmentation-3.0', 'wespeaker-campplus'] as const;

/** How a transcript's reason begins when the built-in tier stood in for missing neural models; the renderer offers their download beside it. */
export const NEURAL_NOT_INSTALLED = 'the neural speaker models are not installed';

/** The reason when they could not be downloaded: why, after the words the renderer's offer looks for. */
export const neuralDownloadFailed = (why: string): string => `${NEURAL_NOT_INSTALLED}, and their download failed: ${why}`;
