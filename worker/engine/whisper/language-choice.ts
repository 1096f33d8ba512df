/** Below this, the likeliest language is a guess (far-field or accented speech, a short window). */
export const CONFIDENT_LANGUAGE = 0.7;
/** With weak evidence, the fallback is taken while it is at least this share of the likeliest's probability. */
const PLAUSIBLE_SHARE = 0.2;

export interface LanguageEvidence {
  /** The model's language probabilities for one window. */
  probabilities: ReadonlyMap<string, number>;
  /** How much speech the window holds: longer windows say more. */
  weightSec: number;
}

export interface LanguageChoice {
  language: string;
  probability: number;
  /** 'fallback': the evidence was weak and the user's last language (or the system's) was plausible. */
  source: 'detected' | 'fallback';
}

/**
 * The recording's language from several windows' probabilities, averaged by their speech. One
 * window of far-field English can lean Welsh (cy 0.55 against en 0.44 with whisper-base on an AMI
 * excerpt); when the evidence is that weak, the language the user last chose, or the system's, wins
 * if the model finds it plausible at all.
 */
export function chooseLanguage(evidence: readonly LanguageEvidence[], fallback: string | null): LanguageChoice {
  const total = evidence.reduce((sum, item) => sum + item.weightSec, 0) || 1;
  const combined = new Map<string, number>();
  for (const { probabilities, weightSec } of evidence) {
    for (const [language, probability] of probabilities) combined.set(language, (combined.get(language) ?? 0) + (probability * weightSec) / total);
  }
  let best: LanguageChoice = { language: fallback ?? 'en', probability: 0, source: 'detected' };
  for (const [language, probability] of combined) if (probability > best.probability) best = { language, probability, source: 'detected' };
  if (best.probability >= CONFIDENT_LANGUAGE || fallback === null || fallback === best.language) return best;
  const fallbackProbability = combined.get(fallback) ?? 0;
  return fallbackProbability >= PLAUSIBLE_SHARE * best.probability ? { language: fallback, probability: fallbackProbability, source: 'fallback' } : best;
}
