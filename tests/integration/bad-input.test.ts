import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../contracts/domain';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { makeMediaSet, probeDuration, scratchDir, sharedAudio, type MediaSet } from '../helpers/media';

describe('every kind of bad input fails its own job with a human message; the rest go on', () => {
  let core: VerbatimCore;
  let media: MediaSet;
  let dataDir: string;
  let jobs: JobView[];
  const byPath = (file: string): JobView => {
    const job = jobs.find((each) => each.path === file);
    if (!job) throw new Error(`no job for ${file}`);
    return job;
  };

  beforeAll(async () => {
    media = makeMediaSet(scratchDir('media'));
    dataDir = scratchDir('data');
    core = openCore(dataDir);
    // Bad and good interleaved: a failure must not hold up the files after it.
    const { good, bad } = media;
    await core.addFiles([
      bad.missing, good.wav, bad.empty, bad.textAsMp3, good.mp3, bad.truncatedM4a, media.cutOffWav,
      bad.videoOnly, good.m4a, bad.folder, bad.oddNameCorrupt, bad.unreadable, good.oddName, bad.pipe, media.placeholderWav,
    ]);
    jobs = await waitForJobs(core, allFinished, 180_000);
  }, 200_000);

  afterAll(async () => {
    await core?.close();
  });

  const expectations: [keyof MediaSet['bad'], RegExp][] = [
    ['missing', /“moved-away\.wav” could not be found/],
    ['empty', /“empty\.wav” is empty/],
    ['textAsMp3', /“notes\.mp3” is not an audio or video format/],
    ['truncatedM4a', /“truncated\.m4a” is damaged or incomplete/],
    ['videoOnly', /“screen-capture\.mp4” has no audio track/],
    ['folder', /“looks-like-audio\.mp3” is a folder with no audio or video files in it\./],
    ['oddNameCorrupt', /“Ünïcödé "broken" file's\.mp3” (is not an audio or video format|could not be decoded|contains no audio)/],
    ['unreadable', /Verbatim is not allowed to read “locked\.wav”/],
    ['pipe', /“live-stream\.wav” is not a file but a pipe, socket or device; save the recording to a file first\./],
  ];

  it.each(expectations)('%s → failed: %s', (kind, message) => {
    const job = byPath(media.bad[kind]);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(message);
    // One line for people: no stack trace, no newline, no raw ffmpeg dump.
    expect(job.error).not.toMatch(/\n|\bat .+:\d+|Error:/);
    // Bad input is not retried as if the worker had crashed.
    expect(job.attempts).toBe(1);
    // Retry is offered where running it again could help: a file can be fixed, a video has no sound to find.
    expect(job.retryable).toBe(kind !== 'videoOnly');
  });

  it('keeps what can be read of a recording cut off mid-way (a recorder that crashed)', () => {
    const job = byPath(media.cutOffWav);
    expect(job.state).toBe('done');
    // 40 % of the bytes of a 34.4 s file, less its header.
    expect(job.durationSec).toBeGreaterThan(13.5);
    expect(job.durationSec).toBeLessThan(13.9);
  });

  it('keeps a recording whose header claims 4 GB, as a streaming recorder leaves it: what is there is decoded', () => {
    const job = byPath(media.placeholderWav);
    expect(job.state, String(job.error)).toBe('done');
    expect(job.durationSec).toBeCloseTo(5, 1);
  });

  it('decodes every good file, whatever its name, to the right length', () => {
    for (const file of Object.values(media.good)) {
      const job = byPath(file);
      expect(job.state, `${path.basename(file)}: ${job.error}`).toBe('done');
      expect(job.durationSec).toBeCloseTo(probeDuration(file), 2);
      expect(core.getMedia(job.mediaId).waveform?.peaks.length).toBeGreaterThan(100);
    }
  });

  it('leaves the database consistent and no half-written cache files', () => {
    expect(core.db.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(core.db.all('PRAGMA foreign_key_check')).toEqual([]);
    const unfinished = core.db.all(`SELECT id FROM jobs WHERE state IN ('done','failed') AND finished_at IS NULL`);
    expect(unfinished).toEqual([]);
    const cache = readdirSync(path.join(dataDir, 'cache', 'pcm'));
    expect(cache.filter((name) => name.endsWith('.partial'))).toEqual([]);
    // One cache file per decoded media, each exactly duration × 16 kHz × 4 bytes.
    const decoded = core.db.all<{ pcm_path: string; duration_sec: number }>('SELECT pcm_path, duration_sec FROM media WHERE pcm_path IS NOT NULL');
    expect(cache.sort()).toEqual(decoded.map((row) => path.basename(row.pcm_path)).sort());
  });
});

describe('a file that changes after it was added', () => {
  let core: VerbatimCore;
  afterAll(async () => {
    await core?.close();
  });

  it('fails its own job saying so, and Retry transcribes the file as it is now, in the same library row', async () => {
    const speech = (id: string): string => path.join(sharedAudio, 'read-speech/wav', `${id}.wav`);
    const dir = scratchDir('changing');
    const first = path.join(dir, 'first.wav');
    const changing = path.join(dir, 'interview.wav');
    copyFileSync(speech('LJ001-0001'), first);
    copyFileSync(speech('LJ001-0002'), changing);
    core = openCore(scratchDir('data'));
    const [ahead, added] = await core.addFiles([first, changing], { diarization: 'off' });
    // Re-exported while it waits behind the first file: other words, another length.
    copyFileSync(speech('LJ001-0005'), changing);
    let jobs = await waitForJobs(core, allFinished, 120_000);
    const failed = jobs.find((job) => job.id === added!.jobId)!;
    expect(jobs.find((job) => job.id === ahead!.jobId)!.state).toBe('done');
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe('“interview.wav” has changed since it was added. Retry transcribes it as it is now.');
    expect(failed.retryable).toBe(true);
    expect(failed.attempts).toBe(1);
    expect(core.editing.get(added!.mediaId)).toBeNull();

    await core.retry(added!.jobId);
    jobs = await waitForJobs(core, allFinished, 120_000);
    expect(jobs.find((job) => job.id === added!.jobId)!.state).toBe('done');
    const transcript = core.editing.get(added!.mediaId)!;
    expect(transcript.segments.map((segment) => segment.text).join(' ')).toMatch(/invention of movable metal letters/i);
    expect(core.getMedia(added!.mediaId).info!.durationSec).toBeCloseTo(probeDuration(speech('LJ001-0005')), 2);
    // One row for the recording, now known by its new content.
    expect(core.library('date', true).filter((item) => item.fileName === 'interview.wav')).toHaveLength(1);
    expect((await core.addFiles([changing]))[0]).toMatchObject({ mediaId: added!.mediaId, duplicate: true });
  }, 240_000);
});
