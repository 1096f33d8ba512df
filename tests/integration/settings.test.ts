import { chmodSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';
import { openCore, waitForJobs } from '../helpers/core';
import { dialogueWav, scratchDir, sharedAudio } from '../helpers/media';

describe('settings', () => {
  let core: VerbatimCore | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  /** The app's defaults, with the test helper's small model. */
  const defaults = { ffmpegPath: null, ffprobePath: null, model: 'whisper-tiny', language: 'auto', task: 'transcribe', device: 'auto', initialPrompt: null,
    diarization: 'auto', speakers: { exact: null, min: null, max: null }, storageDir: null, theme: 'system',
    // Nothing leaves the machine until the user turns offload on.
    offloadMode: 'off', poolUrl: null, poolCaPath: null,
    // Adding files asks for their language, speakers and model, starting from Settings.
    askWhenAdding: true, addOptions: {},
    exportOptions: { timestamps: true, speakers: true, lineChars: 42 },
    // The installed app looks for stable updates unless turned off.
    checkForUpdates: true, updateChannel: 'stable' };

  it('start at the defaults, persist what the user sets, and survive a restart', async () => {
    const dataDir = scratchDir('data');
    core = openCore(dataDir);
    const api = createApiDispatcher(core);
    expect(await api('settings.get', {})).toEqual(defaults);
    const ffprobe = resolveTools({ ffmpegPath: null, ffprobePath: null }).ffprobe;
    expect(await api('settings.update', { ffprobePath: ffprobe })).toEqual({ ...defaults, ffprobePath: ffprobe });
    const storageDir = scratchDir('storage');
    const change = { model: 'whisper-base', language: 'de', task: 'translate', device: 'cpu', initialPrompt: 'Verbatim, Kubernetes', theme: 'dark', storageDir } as const;
    const chosen = { ...defaults, ffprobePath: ffprobe, ...change };
    expect(await api('settings.update', change)).toEqual(chosen);
    expect(core.models.folder).toBe(path.join(storageDir, 'models'));
    await core.close();
    core = openCore(dataDir);
    expect(await createApiDispatcher(core)('settings.get', {})).toEqual(chosen);
    await expect(createApiDispatcher(core)('settings.update', { storageDir: 'relative/folder' })).rejects.toMatchObject({ code: 'invalid-setting' });
    await expect(createApiDispatcher(core)('settings.update', { theme: 'sepia' })).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('refuse a tool path that is not an executable file', async () => {
    core = openCore(scratchDir('data'));
    const api = createApiDispatcher(core);
    await expect(api('settings.update', { ffmpegPath: 'ffmpeg' })).rejects.toMatchObject({
      code: 'invalid-setting',
      message: 'ffmpegPath: “ffmpeg” is not an absolute path.',
    });
    await expect(api('settings.update', { ffmpegPath: dialogueWav })).rejects.toThrow('is not executable');
    await expect(api('settings.update', { ffmpegPath: sharedAudio })).rejects.toThrow('is not a file');
    await expect(api('settings.update', { colour: 'blue' })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(api('settings.update', { model: 'whisper-huge' })).rejects.toMatchObject({ code: 'unknown-model' });
    await expect(api('settings.update', { device: 'tpu' })).rejects.toMatchObject({ code: 'invalid-request' });
    expect(await api('settings.get', {})).toEqual(defaults);
  });

  it('the worker runs the ffprobe the settings name, and the environment overrides the settings', async () => {
    const toolsDir = scratchDir('tools');
    const ownProbe = path.join(toolsDir, 'my-ffprobe');
    copyFileSync(resolveTools({ ffmpegPath: null, ffprobePath: null }).ffprobe, ownProbe);
    chmodSync(ownProbe, 0o755);
    core = openCore(scratchDir('data'));
    await core.updateSettings({ ffprobePath: ownProbe });
    await core.addFiles([dialogueWav]);
    await waitForJobs(core, (jobs) => jobs[0]?.state === 'done');

    // Still set, but no longer runnable: the next job names the configured tool, proving it was used.
    chmodSync(ownProbe, 0o644);
    await core.addFiles([path.join(sharedAudio, 'synthetic/podcast-3spk.wav')]);
    const [, failed] = await waitForJobs(core, (jobs) => jobs[1]?.state === 'failed');
    expect(failed!.error).toBe(
      'Verbatim could not run my-ffprobe (EACCES); reinstall Verbatim or set VERBATIM_FFMPEG_PATH and VERBATIM_FFPROBE_PATH.',
    );
    await core.close();

    core = openCore(scratchDir('data'), { env: { VERBATIM_FFPROBE_PATH: path.join(toolsDir, 'missing-ffprobe') } });
    await core.addFiles([dialogueWav]);
    const [overridden] = await waitForJobs(core, (jobs) => jobs[0]?.state === 'failed');
    expect(overridden!.error).toMatch(/^Verbatim could not run missing-ffprobe \(ENOENT\)/);
  });
});
