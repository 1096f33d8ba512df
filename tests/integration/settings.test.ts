import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { dialogueWav, scratchDir, sharedAudio } from '../helpers/media';

describe('settings', () => {
  let core: VerbatimCore | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  /** The app's defaults, with the test helper's small model. */
  const defaults = { model: 'whisper-tiny', language: 'auto', task: 'transcribe', device: 'auto', initialPrompt: null,
    diarization: 'auto', speakers: { exact: null, min: null, max: null }, storageDir: null, theme: 'system',
    // Nothing leaves the machine until the user turns offload on.
    offloadMode: 'off', poolUrl: null, poolCaPath: null,
    // Adding files asks for their language, speakers and model, starting from Settings.
    askWhenAdding: true, addOptions: {},
    exportOptions: { timestamps: true, speakers: true, lineChars: 42 },
    // The installed app looks for stable updates unless turned off.
    checkForUpdates: true, updateChannel: 'stable',
    // Saved voices are recognised; nothing is saved until the user chooses to, person by person.
    recogniseVoices: true };

  it('start at the defaults, persist what the user sets, and survive a restart; the models folder comes from the host\'s picker', async () => {
    const dataDir = scratchDir('data');
    const storageDir = scratchDir('storage');
    let picked: string | null = storageDir;
    const withPicker = () => openCore(dataDir, { chooseFolder: async () => picked });
    core = withPicker();
    const api = createApiDispatcher(core);
    expect(await api('settings.get', {})).toEqual(defaults);
    const change = { model: 'whisper-base', language: 'de', task: 'translate', device: 'cpu', initialPrompt: 'Verbatim, Kubernetes', theme: 'dark' } as const;
    expect(await api('settings.update', change)).toEqual({ ...defaults, ...change });
    const chosen = { ...defaults, ...change, storageDir };
    expect(await api('models.chooseFolder', { reset: false })).toEqual(chosen);
    expect(core.models.folder).toBe(path.join(storageDir, 'models'));
    await core.close();
    core = withPicker();
    expect(await createApiDispatcher(core)('settings.get', {})).toEqual(chosen);
    // The picker was closed without a choice: nothing changes. A picker answering a relative path is refused.
    picked = null;
    expect(await createApiDispatcher(core)('models.chooseFolder', { reset: false })).toEqual(chosen);
    picked = 'relative/folder';
    await expect(createApiDispatcher(core)('models.chooseFolder', { reset: false })).rejects.toMatchObject({ code: 'invalid-setting' });
    expect(await createApiDispatcher(core)('models.chooseFolder', { reset: true })).toEqual({ ...chosen, storageDir: null });
    await expect(createApiDispatcher(core)('settings.update', { theme: 'sepia' })).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('a host with no folder picker of its own keeps models in its library', async () => {
    core = openCore(scratchDir('data'));
    await expect(createApiDispatcher(core)('models.chooseFolder', { reset: false })).rejects.toThrow(/needs the desktop app/);
  });

  it('the API cannot change what runs: tool paths, the models folder and the pool address are not settings it may send', async () => {
    core = openCore(scratchDir('data'));
    const api = createApiDispatcher(core);
    const marker = path.join(scratchDir('marker'), 'ran');
    // The attack: ffmpeg set to a shell, then a "recording" that is a shell script.
    const script = path.join(scratchDir('media'), 'recording.mp3');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    for (const patch of [{ ffmpegPath: '/bin/sh' }, { ffprobePath: '/bin/sh' }, { storageDir: scratchDir('elsewhere') }, { poolUrl: 'https://pool.example:8443' }, { poolCaPath: '/etc/passwd' }]) {
      await expect(api('settings.update', patch)).rejects.toMatchObject({ code: 'invalid-request' });
    }
    await expect(api('settings.update', { colour: 'blue' })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(api('settings.update', { model: 'whisper-huge' })).rejects.toMatchObject({ code: 'unknown-model' });
    await expect(api('settings.update', { device: 'tpu' })).rejects.toMatchObject({ code: 'invalid-request' });
    expect(await api('settings.get', {})).toEqual(defaults);
    await core.addFiles([script]);
    const [job] = await waitForJobs(core, allFinished);
    expect(job!.error).toBe('“recording.mp3” is not an audio or video format Verbatim can read.');
    expect(existsSync(marker)).toBe(false);
  });

  it('the worker runs the ffmpeg/ffprobe pair the host\'s environment names, only as a pair', async () => {
    const toolsDir = scratchDir('tools');
    const ownProbe = path.join(toolsDir, 'my-ffprobe');
    const systemProbe = String(execFileSync('which', ['ffprobe'])).trim();
    const systemFfmpeg = String(execFileSync('which', ['ffmpeg'])).trim();
    copyFileSync(systemProbe, ownProbe);
    chmodSync(ownProbe, 0o644);
    // Named together, the pair is used: this ffprobe cannot run, and the job says which one it tried.
    core = openCore(scratchDir('data'), { env: { VERBATIM_FFPROBE_PATH: ownProbe, VERBATIM_FFMPEG_PATH: systemFfmpeg } });
    await core.addFiles([dialogueWav]);
    const [failed] = await waitForJobs(core, allFinished);
    expect(failed!.error).toBe('Verbatim could not run my-ffprobe (EACCES); reinstall Verbatim or set VERBATIM_FFMPEG_PATH and VERBATIM_FFPROBE_PATH.');
    await core.close();

    // One of the two alone is not a pair: the engine keeps its own matched pair, and the job runs.
    core = openCore(scratchDir('data'), { env: { VERBATIM_FFPROBE_PATH: ownProbe } });
    await core.addFiles([path.join(sharedAudio, 'synthetic/podcast-3spk.wav')]);
    const [done] = await waitForJobs(core, allFinished, 120_000);
    expect(done!.state).toBe('done');
  });
});
