import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Segment, Transcript, Word } from '../../contracts/domain';
import { Database } from '../../core/library/database';
import { MediaStore } from '../../core/library/media-store';
import { TranscriptEdits } from '../../core/library/transcript-edits';
import { TranscriptStore } from '../../core/library/transcript-store';
import { scratchDir } from '../helpers/media';

const word = (text: string, start: number, speaker: number): Word => ({ text, start, end: start + 0.4, probability: 0.9, speaker });
const segment = (texts: string[], start: number, speaker: number): Segment => {
  const words = texts.map((text, index) => word(text, start + index * 0.5, speaker));
  return { start, end: words[words.length - 1]!.end, text: texts.join(' '), avgLogprob: -0.2, noSpeechProb: 0.01, temperature: 0, speaker, words };
};

// What diarization got wrong in a real interview: the guest's answer starts inside the host's segment.
const transcript: Transcript = {
  language: 'en',
  task: 'transcribe',
  engine: { model: 'whisper-base', provider: 'cpu', fallbacks: [], ranOn: 'local' },
  durationSec: 20,
  segments: [segment(['So', 'what', 'happened?', 'It', 'rained.'], 0, 0), segment(['All', 'day?'], 3, 0), segment(['All', 'day', 'long.'], 5, 1)],
  speakers: [
    { id: 0, name: 'Speaker 1' },
    { id: 1, name: 'Speaker 2' },
  ],
  turns: [
    { start: 0, end: 4, speaker: 0 },
    { start: 5, end: 7, speaker: 1 },
  ],
  diarization: null,
};

function open(file: string): { db: Database; store: TranscriptStore; edits: TranscriptEdits; mediaId: number } {
  const db = new Database(file);
  const store = new TranscriptStore(db);
  const mediaId = new MediaStore(db).upsert({ path: '/recordings/interview.wav', contentHash: 'abc', sizeBytes: 1 }).id;
  return { db, store, edits: new TranscriptEdits(db, store), mediaId };
}

describe('fixing who said what', () => {
  it('splits at a word, gives the part to a speaker (a new one by name), merges, renames and deletes; all undo and redo, across a restart', () => {
    const file = path.join(scratchDir('edits'), 'library.sqlite');
    let { db, store, edits, mediaId } = open(file);
    store.save(mediaId, null, transcript);
    const said = (): Array<[string, string]> => {
      const now = store.get(mediaId)!;
      return now.segments.map((each) => [now.speakers.find((speaker) => speaker.id === each.speaker)?.name ?? '?', each.text]);
    };

    edits.split(mediaId, 0, 3);
    expect(said()).toEqual([
      ['Speaker 1', 'So what happened?'],
      ['Speaker 1', 'It rained.'],
      ['Speaker 1', 'All day?'],
      ['Speaker 2', 'All day long.'],
    ]);
    const [head, tail] = store.get(mediaId)!.segments;
    expect([head!.start, head!.end, tail!.start, tail!.end]).toEqual([0, 1.4, 1.5, 2.4]);

    edits.setSpeaker(mediaId, 1, { speaker: 1 });
    edits.setSpeaker(mediaId, 2, { name: 'Producer' });
    // A name already in the transcript is that speaker, not a second one.
    edits.setSpeaker(mediaId, 3, { name: 'producer' });
    edits.mergeWithNext(mediaId, 2);
    edits.renameSpeaker(mediaId, 0, 'Host');
    edits.editText(mediaId, 1, '   ');
    const edited = store.get(mediaId)!;
    expect(said()).toEqual([
      ['Host', 'So what happened?'],
      ['Producer', 'All day? All day long.'],
    ]);
    expect(edited.speakers).toEqual([
      { id: 0, name: 'Host' },
      { id: 1, name: 'Speaker 2' },
      { id: 2, name: 'Producer' },
    ]);
    // Every word follows its segment's speaker (exports read either).
    expect(edited.segments[1]!.words.map((each) => each.speaker)).toEqual([2, 2, 2, 2, 2]);
    expect(edits.history(mediaId)).toEqual({ undo: 7, redo: 0 });

    // Undo and redo outlive the app.
    db.close();
    ({ db, store, edits, mediaId } = open(file));
    while (edits.undo(mediaId));
    expect(store.get(mediaId)).toEqual(transcript);
    expect(edits.history(mediaId)).toEqual({ undo: 0, redo: 7 });
    while (edits.redo(mediaId));
    expect(store.get(mediaId)).toEqual(edited);

    // Search sees the segments as they are now.
    expect(store.search('rained')).toEqual([]);
    expect(store.search('long').map((hit) => hit.segment)).toEqual([1]);
    db.close();
  });

  it('merging two speakers is one undoable step, turns included; a new edit ends the redo branch', () => {
    const { db, store, edits, mediaId } = open(path.join(scratchDir('edits'), 'library.sqlite'));
    store.save(mediaId, null, transcript);
    edits.mergeSpeakers(mediaId, 1, 0);
    expect(store.get(mediaId)!.turns.map((turn) => turn.speaker)).toEqual([0, 0]);
    expect(store.get(mediaId)!.speakers).toEqual([{ id: 0, name: 'Speaker 1' }]);
    edits.undo(mediaId);
    expect(store.get(mediaId)).toEqual(transcript);
    edits.editText(mediaId, 1, 'All day, really?');
    expect(edits.history(mediaId)).toEqual({ undo: 1, redo: 0 });
    expect(() => edits.split(mediaId, 1, 0)).toThrow(/split before words 2 to 3/);
    expect(() => edits.mergeWithNext(mediaId, 2)).toThrow(/last segment/);
    expect(() => edits.setSpeaker(mediaId, 0, { speaker: 7 })).toThrow(/no speaker 8/);
    expect(edits.history(mediaId)).toEqual({ undo: 1, redo: 0 });
    db.close();
  });
});

describe('search by who said it', () => {
  it('finds what a named speaker says, marking the name; default names never match', () => {
    const { db, store, edits, mediaId } = open(path.join(scratchDir('edits'), 'library.sqlite'));
    store.save(mediaId, null, transcript);
    expect(store.search('speaker')).toEqual([]);
    edits.renameSpeaker(mediaId, 1, 'Dr Ngozi Okafor');
    const hits = store.search('ngozi oka');
    expect(hits.map((hit) => [hit.segment, hit.speaker, hit.speakerMatch])).toEqual([[2, 'Dr Ngozi Okafor', true]]);
    expect(hits[0]!.parts).toEqual([{ text: 'All day long.', match: false }]);
    // Text hits say who speaks too, and come first.
    expect(store.search('day').map((hit) => [hit.segment, hit.speaker, hit.speakerMatch])).toEqual([
      [2, 'Dr Ngozi Okafor', false],
      [1, 'Speaker 1', false],
    ]);
    db.close();
  });

  it('limits a search to one person across recordings; with no words, lists all they said; lists the named people', () => {
    const { db, store, edits, mediaId } = open(path.join(scratchDir('edits'), 'library.sqlite'));
    store.save(mediaId, null, transcript);
    const other = new MediaStore(db).upsert({ path: '/recordings/follow-up.wav', contentHash: 'def', sizeBytes: 1 }).id;
    store.save(other, null, transcript);
    edits.renameSpeaker(mediaId, 1, 'Dr Ngozi Okafor');
    edits.renameSpeaker(other, 0, 'dr ngozi okafor');
    expect(store.speakerNames()).toEqual([{ name: 'Dr Ngozi Okafor', recordings: 2 }]);
    // "day" is said by both speakers in both recordings; limited to her, only her segments, names matched without case.
    expect(store.search('day').length).toBe(4);
    const hers = store.search('day', 50, 'DR NGOZI OKAFOR');
    expect(hers.map((hit) => [hit.mediaId, hit.segment, hit.speaker])).toEqual([
      [other, 1, 'dr ngozi okafor'],
      [mediaId, 2, 'Dr Ngozi Okafor'],
    ]);
    expect(store.search('', 50, 'Dr Ngozi Okafor').map((hit) => [hit.mediaId, hit.segment])).toEqual([
      [other, 1],
      [other, 0],
      [mediaId, 2],
    ]);
    expect(store.search('day', 50, 'Nobody')).toEqual([]);
    db.close();
  });
});
