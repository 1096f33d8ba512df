import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/media';

// Building installers needs Electron's binary and each platform's tools; the configuration they are built from
// is checked here, against electron-builder's own schema, so a typo cannot wait for a release machine to show.
const load = () => getConfig(projectRoot, path.join(projectRoot, 'electron-builder.config.cjs'), null);
const validate = (config: Configuration) => validateConfiguration(config, new DebugLogger(false));
const targets = (platform: { target?: unknown } | null | undefined): string[] =>
  ([] as unknown[]).concat(platform?.target ?? []).map((target) => (typeof target === 'string' ? target : (target as { target: string }).target));

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s schema', async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('would be refused if it were not (the check bites)', async () => {
    const config = await load();
    await expect(validate({ ...config, mac: { ...config.mac, notarise: true } as Configuration['mac'] })).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.mac/);
  });

  it('builds the installers the README names, nothing secret in it', async () => {
    const config = await load();
    expect(targets(config.win)).toEqual(['nsis']);
    expect(targets(config.mac)).toEqual(['dmg', 'zip']);
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
    expect(JSON.stringify(config)).not.toMatch(/password|CSC_|APPLE_ID|token/i);
  });

  it('publishes to the update feed VERBATIM_UPDATE_URL names, and builds without one when it is unset', async () => {
    const before = process.env.VERBATIM_UPDATE_URL;
    try {
      process.env.VERBATIM_UPDATE_URL = 'https://updates.example.com/verbatim';
      const withFeed = await load();
      expect(withFeed.publish).toEqual([{ provider: 'generic', url: 'https://updates.example.com/verbatim' }]);
      await expect(validate(withFeed)).resolves.toBeUndefined();
      delete process.env.VERBATIM_UPDATE_URL;
      const without = await load();
      expect(without.publish).toBeNull();
      await expect(validate(without)).resolves.toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.VERBATIM_UPDATE_URL;
      else process.env.VERBATIM_UPDATE_URL = before;
    }
  });

  it('keeps native modules, ffmpeg and the models as real files beside the archive', async () => {
    const config = await load();
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/ffmpeg-static/**', 'node_modules/@derhuerst/ffprobe-static/**', 'node_modules/onnxruntime-node/bin/**', '**/*.node']));
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'resources', to: 'resources' })]);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true });
  });
});
