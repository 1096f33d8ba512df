import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../worker/engine/whisper/language-choice';

const window = (weightSec: number, probabilities: Record<string, number>) => ({ weightSec, probabilities: new Map(Object.entries(probabilities)) });

describe('choosing the recording’s language', () => {
  it('averages several windows by their speech, so one odd window does not decide', () => {
    const choice = chooseLanguage([window(5, { cy: 0.8, en: 0.2 }), window(25, { en: 0.9, cy: 0.1 }), window(20, { en: 0.85, cy: 0.15 })], null);
    expect(choice).toMatchObject({ language: 'en', source: 'detected' });
    expect(choice.probability).toBeCloseTo((5 * 0.2 + 25 * 0.9 + 20 * 0.85) / 50, 9);
  });

  it('with weak evidence, takes the fallback language when the model finds it plausible', () => {
    // whisper-base on the far-field AMI excerpt trn08: cy 0.55, en 0.44.
    expect(chooseLanguage([window(19, { cy: 0.55, en: 0.44 })], 'en')).toMatchObject({ language: 'en', source: 'fallback' });
    expect(chooseLanguage([window(19, { cy: 0.55, en: 0.44 })], null)).toMatchObject({ language: 'cy', source: 'detected' });
  });

  it('keeps a confident detection, and a weak one the fallback is no match for', () => {
    expect(chooseLanguage([window(10, { es: 0.92, en: 0.05 })], 'en').language).toBe('es');
    expect(chooseLanguage([window(10, { ja: 0.6, ko: 0.3, en: 0.02 })], 'en')).toMatchObject({ language: 'ja', source: 'detected' });
  });
});
