import { describe, expect, it } from 'vitest';
import { AppSettings } from '../../core/app-settings';
import { Database } from '../../core/library/database';
import { SettingsStore } from '../../core/library/settings-store';

describe('the language detection falls back on', () => {
  it('the system’s language until the user picks one, then the last one picked, also after going back to detect', async () => {
    const settings = new AppSettings(new SettingsStore(new Database(':memory:')), {});
    expect(settings.languageFallback('de-AT')).toBe('de');
    expect(settings.languageFallback('C')).toBeNull();
    await settings.update({ language: 'fr' });
    await settings.update({ language: 'auto' });
    expect(settings.get().language).toBe('auto');
    expect(settings.languageFallback('de-AT')).toBe('fr');
  });
});
