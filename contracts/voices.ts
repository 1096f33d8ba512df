// The voice library's contract: voice prints as the worker hands them over, the voices a user saved,
// and what a transcript's speakers have to do with them.
import { z } from 'zod';

/** A row id (as domain's Id: this file stays free of domain, which builds on it). */
const Id = z.number().int().positive();

/**
 * What made a print: prints are compared only with prints of the same kind. The neural tier's are
 * WeSpeaker CAM++ embeddings; the built-in tier's are cepstral means (worker/engine/diarize/voice-prints.ts).
 */
export const VOICE_PRINT_KINDS = ['neural:wespeaker-campplus', 'builtin:cepstra-v1'] as const;
export const VoicePrintKind = z.enum(VOICE_PRINT_KINDS);
export type VoicePrintKind = z.infer<typeof VoicePrintKind>;

/** One speaker of one recording, as a vector: personal data, kept on this machine only. */
export const SpeakerPrint = z.object({
  speaker: z.number().int().nonnegative(),
  kind: VoicePrintKind,
  vector: z.array(z.number().finite()).min(1).max(1024),
});
export type SpeakerPrint = z.infer<typeof SpeakerPrint>;

export const VoiceName = z.string().trim().min(1).max(100);

/** A person whose voice the user chose to remember. */
export const Voice = z.object({
  id: Id,
  name: z.string(),
  /** Prints kept for this person (one per recording they were remembered or confirmed from). */
  prints: z.number().int().nonnegative(),
  /** Recordings in which a speaker is this person (remembered, confirmed or recognised). */
  recordings: z.number().int().nonnegative(),
});
export type Voice = z.infer<typeof Voice>;

/**
 * A transcript speaker's link to a saved voice: "named" when it was recognised with confidence (or
 * the user remembered or confirmed it), "suggested" when the match is only likely (one click confirms).
 */
export const SpeakerVoice = z.object({
  speaker: z.number().int().nonnegative(),
  voiceId: Id,
  name: z.string(),
  state: z.enum(['named', 'suggested']),
  /** Cosine similarity of the best print pair, 0–1. */
  score: z.number(),
});
export type SpeakerVoice = z.infer<typeof SpeakerVoice>;

/** A label diarization gave ("Speaker 3"), not a name of the user's: saved voices may replace it. */
export const isDefaultSpeakerName = (name: string): boolean => /^Speaker \d+$/.test(name);
