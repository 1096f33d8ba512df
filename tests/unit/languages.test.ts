import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES_BY_NAME, languageName, WHISPER_LANGUAGES } from '../../contracts/languages';
import { sharedModels } from '../helpers/media';

describe('languages', () => {
  it('names every language the shipped Whisper models know, and no other', () => {
    for (const model of ['whisper-tiny', 'whisper-base']) {
      const config = JSON.parse(readFileSync(path.join(sharedModels, 'Xenova', model, 'generation_config.json'), 'utf8')) as { lang_to_id: Record<string, number> };
      const known = Object.keys(config.lang_to_id).map((token) => token.slice(2, -2));
      expect(Object.keys(WHISPER_LANGUAGES).sort()).toEqual(known.sort());
    }
    expect(LANGUAGES_BY_NAME).toHaveLength(99);
  });

  it('shows names, not codes, sorted as people read them', () => {
    expect(languageName('cy')).toBe('Welsh');
    expect(languageName('haw')).toBe('Hawaiian');
    expect(languageName('und')).toBe('und');
    expect(LANGUAGES_BY_NAME.slice(0, 3).map(([, name]) => name)).toEqual(['Afrikaans', 'Albanian', 'Amharic']);
  });
});
