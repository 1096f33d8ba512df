import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../core/library/database';
import { migrations } from '../../core/library/migrations';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { dialogueWav, scratchDir } from '../helpers/media';

describe('library', () => {
  let core: VerbatimCore | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  it('opens in WAL mode with foreign keys, at the latest schema, and refuses a newer one', () => {
    const file = path.join(scratchDir('db'), 'library.sqlite');
    const db = new Database(file);
    expect(db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(db.schemaVersion).toBe(migrations.length);
    db.run(`PRAGMA user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => new Database(file)).toThrow(/written by a newer version of Verbatim/);
  });

  it('logs slow queries', () => {
    const logged: string[] = [];
    const db = new Database(':memory:', { slowQueryMs: -1, log: (line) => logged.push(line) });
    db.get('SELECT 1 AS one');
    expect(logged.at(-1)).toMatch(/^\[sqlite\] slow query \([\d.]+ ms\): SELECT 1 AS one$/);
    db.close();
  });

  it('keeps one media row for the same file dropped twice, or copied elsewhere, and does not redo its job', async () => {
    const dir = scratchDir('media');
    const copy = path.join(dir, 'same bytes, new name.wav');
    copyFileSync(dialogueWav, copy);
    core = openCore(scratchDir('data'));
    const [first] = await core.addFiles([dialogueWav]);
    await waitForJobs(core, allFinished);
    const again = await core.addFiles([dialogueWav, copy]);
    expect(again.map((added) => [added.mediaId, added.jobId, added.duplicate])).toEqual([
      [first!.mediaId, first!.jobId, true],
      [first!.mediaId, first!.jobId, true],
    ]);
    expect(core.db.all('SELECT id FROM media')).toHaveLength(1);
    expect(core.listJobs()).toHaveLength(1);
    // The media remembers where it was dropped from last.
    expect(core.getMedia(first!.mediaId).path).toBe(copy);
  });

  it('dropping a file whose job failed tries it again', async () => {
    const missing = path.join(scratchDir('media'), 'later.wav');
    core = openCore(scratchDir('data'));
    const [first] = await core.addFiles([missing]);
    await waitForJobs(core, (jobs) => jobs[0]?.state === 'failed');
    const [second] = await core.addFiles([missing]);
    expect(second!.jobId).toBe(first!.jobId);
    await waitForJobs(core, (jobs) => jobs[0]?.state === 'failed' && jobs[0].finishedAt! > 0);
    expect(core.listJobs()).toHaveLength(1);
  });

  it('keeps jobs, their order and results across a restart', async () => {
    const dataDir = scratchDir('data');
    core = openCore(dataDir);
    await core.addFiles([dialogueWav]);
    const before = await waitForJobs(core, allFinished);
    await core.close();
    core = openCore(dataDir);
    const after = core.listJobs();
    expect(after).toEqual(before);
    expect(core.getMedia(after[0]!.mediaId).info?.durationSec).toBeCloseTo(34.404, 3);
  });
});
