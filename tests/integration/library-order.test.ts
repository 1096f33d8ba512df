import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../core/library/database';
import { MediaStore } from '../../core/library/media-store';
import { scratchDir } from '../helpers/media';

describe('library order', () => {
  let db: Database | undefined;
  afterEach(() => db?.close());

  it('sorts names as a file manager does: numbers by value, case and accents aside, ties by when added', () => {
    db = new Database(path.join(scratchDir('library-order'), 'library.sqlite'), { log: () => undefined });
    const media = new MediaStore(db);
    const names = ['Interview 10.wav', 'interview 2.wav', 'Ärger.mp3', 'Interview 1.wav', 'apple.m4a', 'ärger.mp3'];
    for (const [index, name] of names.entries()) media.upsert({ path: `/recordings/${index}/${name}`, contentHash: name, sizeBytes: 1 });
    const ascending = ['apple.m4a', 'Ärger.mp3', 'ärger.mp3', 'Interview 1.wav', 'interview 2.wav', 'Interview 10.wav'];
    expect(media.library('name', false).map((item) => item.fileName)).toEqual(ascending);
    expect(media.library('name', true).map((item) => item.fileName)).toEqual([...ascending].reverse());
  });
});
