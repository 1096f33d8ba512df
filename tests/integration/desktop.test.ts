import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelDownload } from '../../contracts/domain';
import { pcmAsWav } from '../../core/audio/pcm-wav';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { cachedMedia, dialogueWav, ffmpeg, longMp3, scratchDir, sharedAudio, sharedModels } from '../helpers/media';
import { startModelServer, type ModelServer } from '../helpers/model-server';
import { zipEntry } from '../helpers/zip';

let core: VerbatimCore | undefined;
let server: ModelServer | undefined;
afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

/** Ten seconds of the three-speaker podcast: a second, shorter recording for the library. */
const podcastCut = (): string =>
  cachedMedia('podcast-cut-10s.wav', (partial) => ffmpeg('-i', path.join(sharedAudio, 'synthetic/podcast-3spk.wav'), '-t', '10', partial));

async function readAll(stream: NodeJS.ReadableStream | null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the desktop experience, through the core', () => {
  it('lists, edits with undo/redo that survive a restart, searches the edits, exports a selection, plays the audio and removes', { timeout: 120_000 }, async () => {
    const dataDir = scratchDir('desktop');
    core = openCore(dataDir, { settingsDefaults: { model: 'whisper-tiny', diarization: 'builtin' } });
    const [dialogue, podcast] = await core.addFiles([dialogueWav, podcastCut()]);
    for (const job of await waitForJobs(core, allFinished, 90_000)) expect(job, job.error ?? '').toMatchObject({ state: 'done' });

    // Settings' device line: the order this platform tries, and where the last transcription ran.
    expect(core.devices()).toMatchObject({ order: ['cuda', 'webgpu', 'cpu'], lastRun: { model: 'whisper-tiny', provider: 'cpu' } });

    // Sorting: by name, by duration (34 s dialogue, 10 s cut), by date (added in that order).
    expect(core.library('name', false).map((item) => item.fileName)).toEqual(['dialogue-2spk.wav', 'podcast-cut-10s.wav']);
    expect(core.library('duration', false).map((item) => item.mediaId)).toEqual([podcast!.mediaId, dialogue!.mediaId]);
    expect(core.library('date', true).map((item) => item.mediaId)).toEqual([podcast!.mediaId, dialogue!.mediaId]);
    const listed = core.library('name', false)[0]!;
    expect(listed).toMatchObject({ state: 'done', hasTranscript: true, speakers: 2 });
    expect(listed.preview.toLowerCase()).toContain('good morning');

    // Edit one word of the first segment: the other words keep their timings, the corrected one is certain.
    const mediaId = dialogue!.mediaId;
    const before = core.editing.get(mediaId)!;
    const original = before.segments[0]!;
    const words = original.words.map((word) => word.text);
    const target = words.findIndex((word) => /^morning/i.test(word));
    expect(target).toBeGreaterThanOrEqual(0);
    const edited = [...words];
    edited[target] = 'evening';
    const afterEdit = core.editing.editText(mediaId, 0, edited.join(' '));
    const segment = afterEdit.segments[0]!;
    expect(segment.text).toBe(edited.join(' '));
    expect(segment.words.map((word) => word.text)).toEqual(edited);
    segment.words.forEach((word, index) => {
      expect([word.start, word.end]).toEqual([original.words[index]!.start, original.words[index]!.end]);
      expect(word.probability).toBe(index === target ? 1 : original.words[index]!.probability);
    });
    expect(afterEdit.history).toEqual({ undo: 1, redo: 0 });
    expect(core.searchTranscripts('evening').map((hit) => [hit.mediaId, hit.segment])).toEqual([[mediaId, 0]]);

    expect(core.editing.undo(mediaId).segments[0]!.text).toBe(original.text);
    expect(core.searchTranscripts('evening')).toEqual([]);
    expect(core.editing.get(mediaId)!.history).toEqual({ undo: 0, redo: 1 });
    expect(core.editing.redo(mediaId).segments[0]!.text).toBe(edited.join(' '));
    expect(() => core!.editing.redo(mediaId)).toThrow('There is nothing to redo.');

    // Everything above is in SQLite: a restart shows the edit, and can still undo it.
    await core.close();
    core = openCore(dataDir, { settingsDefaults: { model: 'whisper-tiny', diarization: 'builtin' } });
    const reopened = core.editing.get(mediaId)!;
    expect(reopened.segments[0]!.text).toBe(edited.join(' '));
    expect(reopened.history).toEqual({ undo: 1, redo: 0 });

    // A selection exports as one ZIP of a file each, through export jobs that leave nothing behind.
    const archive = await core.exports.exportTranscripts([mediaId, podcast!.mediaId], 'txt');
    expect(archive).toMatchObject({ fileName: 'Verbatim 2 transcripts (TXT).zip', mimeType: 'application/zip' });
    const zip = Buffer.from(archive.content as Uint8Array);
    expect(zipEntry(zip, 'dialogue-2spk.txt')).toContain('Good evening');
    expect(zipEntry(zip, 'podcast-cut-10s.txt')).toBe((await core.exports.exportTranscript(podcast!.mediaId, 'txt')).content);
    expect(core.listJobs().map((job) => job.kind)).toEqual(['process-media', 'process-media']);
    const twice = Buffer.from((await core.exports.exportTranscripts([mediaId, mediaId], 'srt')).content as Uint8Array);
    expect(zipEntry(twice, 'dialogue-2spk (2).srt')).toBe(zipEntry(twice, 'dialogue-2spk.srt'));

    // The player's audio: the decoded copy as 16-bit WAV, whole or by range.
    const pcm = readFileSync(core.audioFile(mediaId)!);
    const whole = await pcmAsWav(core.audioFile(mediaId)!, undefined);
    const wav = await readAll(whole.body);
    expect(whole.status).toBe(200);
    expect(wav.length).toBe(44 + pcm.length / 2);
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    const sample = 16_000 * 5;
    expect(wav.readInt16LE(44 + sample * 2)).toBe(Math.round(Math.max(-1, Math.min(1, pcm.readFloatLE(sample * 4))) * 32767));
    const part = await pcmAsWav(core.audioFile(mediaId)!, 'bytes=1001-2000');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1001-2000/${wav.length}`);
    expect((await readAll(part.body)).equals(wav.subarray(1001, 2001))).toBe(true);
    expect((await pcmAsWav(core.audioFile(mediaId)!, `bytes=${wav.length}-`)).status).toBe(416);
    expect((await core.playback(mediaId, 'decoded', undefined))!.headers['content-length']).toBe(String(wav.length));

    // The player's first choice: the user's own file, byte for byte, by range.
    const fromFile = await core.playback(mediaId, 'original', 'bytes=100-199');
    expect(fromFile).toMatchObject({ status: 206, headers: { 'content-type': 'audio/wav', 'content-range': `bytes 100-199/${statSync(dialogueWav).size}` } });
    expect((await readAll(fromFile!.body)).equals(readFileSync(dialogueWav).subarray(100, 200))).toBe(true);
    // None when the file is gone or in a format the player cannot read; the decoded copy is then played.
    const memos = scratchDir('desktop-memos');
    ffmpeg('-i', dialogueWav, '-t', '2', path.join(memos, 'memo.mp3'));
    ffmpeg('-i', dialogueWav, '-t', '2', path.join(memos, 'memo.aiff'));
    const [mp3, aiff] = await core.addFiles([path.join(memos, 'memo.mp3'), path.join(memos, 'memo.aiff')]);
    const memo = (await core.playback(mp3!.mediaId, 'original', undefined))!;
    expect(memo.headers).toMatchObject({ 'content-type': 'audio/mpeg', 'content-length': String(statSync(path.join(memos, 'memo.mp3')).size) });
    expect((await readAll(memo.body)).equals(readFileSync(path.join(memos, 'memo.mp3')))).toBe(true);
    expect(await core.playback(aiff!.mediaId, 'original', undefined)).toBeNull();
    rmSync(path.join(memos, 'memo.mp3'));
    expect(await core.playback(mp3!.mediaId, 'original', undefined)).toBeNull();
    for (const added of [mp3!, aiff!]) await core.removeMedia(added.mediaId);

    // Removing forgets the recording, its transcript and search hits; the user's file stays.
    await core.removeMedia(podcast!.mediaId);
    expect(core.library('name', false).map((item) => item.mediaId)).toEqual([mediaId]);
    expect(core.searchTranscripts('podcast').filter((hit) => hit.mediaId === podcast!.mediaId)).toEqual([]);
    expect(() => core!.editing.get(podcast!.mediaId)).toThrow(`There is no media ${podcast!.mediaId}.`);
  });

  it('exports while a long transcription runs, reorders the waiting jobs, and adds folders as their media files', { timeout: 120_000 }, async () => {
    const dataDir = scratchDir('desktop-lanes');
    core = openCore(dataDir, { settingsDefaults: { model: 'whisper-tiny', diarization: 'off' } });
    const [short] = await core.addFiles([dialogueWav]);
    await waitForJobs(core, allFinished, 60_000);

    // A folder: two recordings in nested folders, a document and a hidden file beside them.
    const folder = scratchDir('dropped-folder');
    mkdirSync(path.join(folder, 'day 2'));
    mkdirSync(path.join(folder, '.cache'));
    const long = path.join(folder, 'day 1 interview.mp3');
    copyFileSync(longMp3(10), long);
    ffmpeg('-i', dialogueWav, '-t', '8', path.join(folder, 'day 2', 'notes.wav'));
    ffmpeg('-i', dialogueWav, '-t', '6', path.join(folder, '.cache', 'hidden.wav'));
    writeFileSync(path.join(folder, 'agenda.txt'), 'not media');
    const added = await core.addFiles([folder]);
    expect(added.map((outcome) => path.relative(folder, outcome.path))).toEqual(['day 1 interview.mp3', path.join('day 2', 'notes.wav')]);
    const [third] = await core.addFiles([podcastCut()]);

    const running = await waitForJobs(core, (jobs) => jobs.some((job) => job.state === 'running' && job.fileName === 'day 1 interview.mp3'), 30_000);
    expect(running.filter((job) => job.state === 'queued').map((job) => [job.fileName, job.position])).toEqual([
      ['notes.wav', 1],
      ['podcast-cut-10s.wav', 2],
    ]);
    // The light lane does not wait for the ten-minute transcription.
    const file = await core.exports.exportTranscripts([short!.mediaId], 'vtt');
    expect(file).toMatchObject({ fileName: 'dialogue-2spk.vtt', content: expect.stringMatching(/^WEBVTT/) });
    expect(core.listJobs().find((job) => job.fileName === 'day 1 interview.mp3')!.state).toBe('running');

    // Reordering puts the podcast cut first among the waiting jobs.
    core.reorder([third!.jobId, added[1]!.jobId]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      core
        .listJobs()
        .filter((job) => job.state === 'queued')
        .sort((a, b) => a.position! - b.position!)
        .map((job) => job.fileName),
    ).toEqual(['podcast-cut-10s.wav', 'notes.wav']);
    for (const job of core.listJobs()) core.cancel(job.id);
  });

  it('downloads a model from Settings with progress events, then lists it as installed', { timeout: 60_000 }, async () => {
    server = await startModelServer({ root: sharedModels });
    core = openCore(scratchDir('desktop-models'), { env: { VERBATIM_MODELS_DIR: '', VERBATIM_MODELS_BASE_URL: server.url } });
    expect((await core.downloads.list()).find((model) => model.id === 'whisper-tiny')).toMatchObject({ installed: null });
    const events: ModelDownload[] = [];
    const done = new Promise<void>((resolve) =>
      core!.on('models.changed', (downloads) => {
        const tiny = downloads.find((download) => download.id === 'whisper-tiny')!;
        events.push(tiny);
        if (tiny.state !== 'downloading') resolve();
      }),
    );
    core.downloads.start('whisper-tiny');
    await done;
    expect(events.at(-1)).toMatchObject({ state: 'done', error: null });
    expect(events.length).toBeGreaterThan(2);
    const received = events.map((event) => event.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    const listed = (await core.downloads.list()).find((model) => model.id === 'whisper-tiny')!;
    expect(listed.installed).toBe('app');
    expect(listed.diskBytes).toBe(events.at(-1)!.totalBytes);
  });
});
