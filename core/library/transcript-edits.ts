import type { EditHistory, Segment, Speaker, SpeakerTurn, Transcript } from '../../contracts/domain';
import { reviseSegment, type SegmentText } from '../editing/revise-segment';
import { mergeSegments, splitSegment, withSpeaker } from '../editing/segment-edits';
import { JobError } from '../errors';
import type { Database } from './database';
import type { TranscriptStore } from './transcript-store';

/** One side of a patch: a run of segments, and the speaker list and turns when the edit changed them. */
interface PatchSide {
  segments: Segment[];
  speakers: Speaker[] | null;
  turns: SpeakerTurn[] | null;
}

interface EditRow {
  id: number;
  kind: 'text' | 'patch';
  segment_seq: number;
  before: string;
  after: string;
}

/** Who a segment is given to: someone in the transcript, or a new speaker by name. */
export type SpeakerChoice = { speaker: number } | { name: string };

/**
 * Every change a person makes to a transcript, each one undoable and redoable across restarts:
 * text, a segment's speaker, splitting and merging segments, renaming and merging speakers. Each
 * edit is kept as what it replaced and what it became, in SQLite, so undo is replaying the other side.
 */
export class TranscriptEdits {
  constructor(
    private readonly db: Database,
    private readonly transcripts: TranscriptStore,
  ) {}

  history(mediaId: number): EditHistory {
    const row = this.db.get<{ undo: number | null; redo: number | null }>(
      'SELECT SUM(undone = 0) AS undo, SUM(undone = 1) AS redo FROM transcript_edits WHERE transcript_id = ?',
      [this.transcriptOf(mediaId)],
    );
    return { undo: row?.undo ?? 0, redo: row?.redo ?? 0 };
  }

  /** Rewrites a segment's text, realigning its words; clearing the text removes the segment. */
  editText(mediaId: number, seq: number, text: string, now = Date.now()): void {
    this.db.transaction(() => {
      const { transcriptId, segment } = this.load(mediaId, seq);
      const after = reviseSegment(segment, text);
      if (after.text === segment.text.split(/\s+/).filter(Boolean).join(' ')) return;
      if (after.text === '') return this.patch(transcriptId, seq, { segments: [segment] }, { segments: [] }, now);
      const before: SegmentText = { text: segment.text, words: segment.words };
      this.writeSegmentText(transcriptId, seq, after);
      this.record(transcriptId, 'text', seq, before, after, now);
    });
  }

  /** Gives a segment to another speaker, or to a new one the user named. */
  setSpeaker(mediaId: number, seq: number, choice: SpeakerChoice, now = Date.now()): void {
    this.db.transaction(() => {
      const { transcriptId, transcript, segment } = this.load(mediaId, seq);
      let speaker: number;
      let speakers: { before?: Speaker[]; after?: Speaker[] } = {};
      if ('speaker' in choice) {
        if (!transcript.speakers.some((each) => each.id === choice.speaker)) throw new JobError(`The transcript has no speaker ${choice.speaker + 1}.`, 'not-found');
        speaker = choice.speaker;
      } else {
        const name = choice.name.trim();
        const existing = transcript.speakers.find((each) => each.name.toLocaleLowerCase() === name.toLocaleLowerCase());
        speaker = existing?.id ?? Math.max(-1, ...transcript.speakers.map((each) => each.id)) + 1;
        if (!existing) speakers = { before: transcript.speakers, after: [...transcript.speakers, { id: speaker, name }] };
      }
      if (segment.speaker === speaker && segment.words.every((word) => word.speaker === speaker)) return;
      this.patch(transcriptId, seq, { segments: [segment], speakers: speakers.before }, { segments: [withSpeaker(segment, speaker)], speakers: speakers.after }, now);
    });
  }

  /** Cuts a segment before its word `word` (counted from 0). */
  split(mediaId: number, seq: number, word: number, now = Date.now()): void {
    this.db.transaction(() => {
      const { transcriptId, segment } = this.load(mediaId, seq);
      this.patch(transcriptId, seq, { segments: [segment] }, { segments: splitSegment(segment, word) }, now);
    });
  }

  /** Joins a segment with the one after it. */
  mergeWithNext(mediaId: number, seq: number, now = Date.now()): void {
    this.db.transaction(() => {
      const { transcriptId, transcript, segment } = this.load(mediaId, seq);
      const next = transcript.segments[seq + 1];
      if (!next) throw new JobError('The last segment has no next one to merge with.', 'invalid-request');
      this.patch(transcriptId, seq, { segments: [segment, next] }, { segments: [mergeSegments(segment, next)] }, now);
    });
  }

  renameSpeaker(mediaId: number, speaker: number, name: string, now = Date.now()): void {
    this.db.transaction(() => {
      const { transcriptId, transcript } = this.load(mediaId);
      const { speakers } = transcript;
      const current = speakers.find((each) => each.id === speaker);
      if (!current) throw new JobError(`The transcript has no speaker ${speaker + 1}.`, 'not-found');
      if (current.name === name) return;
      const renamed = speakers.map((each) => (each.id === speaker ? { ...each, name } : each));
      this.patch(transcriptId, 0, { segments: [], speakers }, { segments: [], speakers: renamed }, now);
    });
  }

  /** Everything `from` said becomes `into`'s; `from` leaves the list. Its turns follow, so undo brings both back. */
  mergeSpeakers(mediaId: number, from: number, into: number, now = Date.now()): void {
    if (from === into) throw new JobError('A speaker cannot be merged into itself.', 'invalid-request');
    this.db.transaction(() => {
      const { transcriptId, transcript } = this.load(mediaId);
      for (const speaker of [from, into]) {
        if (!transcript.speakers.some((each) => each.id === speaker)) throw new JobError(`The transcript has no speaker ${speaker + 1}.`, 'not-found');
      }
      const relabel = (speaker: number | null): number | null => (speaker === from ? into : speaker);
      const segments = transcript.segments.map((segment) => ({ ...segment, speaker: relabel(segment.speaker), words: segment.words.map((word) => ({ ...word, speaker: relabel(word.speaker) })) }));
      this.patch(
        transcriptId,
        0,
        { segments: transcript.segments, speakers: transcript.speakers, turns: transcript.turns },
        { segments, speakers: transcript.speakers.filter((each) => each.id !== from), turns: transcript.turns.map((turn) => (turn.speaker === from ? { ...turn, speaker: into } : turn)) },
        now,
      );
    });
  }

  /** Takes back the newest edit not yet undone; false when there is none. */
  undo(mediaId: number): boolean {
    return this.step(mediaId, 'undo');
  }

  /** Applies again the oldest undone edit; false when there is none. */
  redo(mediaId: number): boolean {
    return this.step(mediaId, 'redo');
  }

  private step(mediaId: number, direction: 'undo' | 'redo'): boolean {
    return this.db.transaction(() => {
      const transcriptId = this.transcriptOf(mediaId);
      const edit = this.db.get<EditRow>(
        direction === 'undo'
          ? 'SELECT * FROM transcript_edits WHERE transcript_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1'
          : 'SELECT * FROM transcript_edits WHERE transcript_id = ? AND undone = 1 ORDER BY id LIMIT 1',
        [transcriptId],
      );
      if (!edit) return false;
      const [current, wanted] = direction === 'undo' ? [edit.after, edit.before] : [edit.before, edit.after];
      if (edit.kind === 'text') this.writeSegmentText(transcriptId, edit.segment_seq, JSON.parse(wanted) as SegmentText);
      else this.replace(transcriptId, edit.segment_seq, (JSON.parse(current) as PatchSide).segments.length, JSON.parse(wanted) as PatchSide);
      this.db.run('UPDATE transcript_edits SET undone = ? WHERE id = ?', [direction === 'undo' ? 1 : 0, edit.id]);
      return true;
    });
  }

  /** Replaces the run `before` at `seq` with `after`, and records it. */
  private patch(transcriptId: number, seq: number, before: Partial<PatchSide>, after: Partial<PatchSide>, now: number): void {
    const side = (part: Partial<PatchSide>): PatchSide => ({ segments: part.segments ?? [], speakers: part.speakers ?? null, turns: part.turns ?? null });
    this.replace(transcriptId, seq, before.segments?.length ?? 0, side(after));
    this.record(transcriptId, 'patch', seq, side(before), side(after), now);
  }

  private record(transcriptId: number, kind: EditRow['kind'], seq: number, before: unknown, after: unknown, now: number): void {
    // A new edit ends the redo branch.
    this.db.run('DELETE FROM transcript_edits WHERE transcript_id = ? AND undone = 1', [transcriptId]);
    this.db.run('INSERT INTO transcript_edits (transcript_id, kind, segment_seq, before, after, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      transcriptId,
      kind,
      seq,
      JSON.stringify(before),
      JSON.stringify(after),
      now,
    ]);
  }

  /** The `count` segments from `seq` on become `side`'s; those after move up or down to make room. */
  private replace(transcriptId: number, seq: number, count: number, side: PatchSide): void {
    this.db.run('DELETE FROM segments WHERE transcript_id = ? AND seq >= ? AND seq < ?', [transcriptId, seq, seq + count]);
    const shift = side.segments.length - count;
    if (shift !== 0) {
      // Through negative numbers: (transcript_id, seq) is unique at every row of the UPDATE.
      this.db.run('UPDATE segments SET seq = -seq - 1 WHERE transcript_id = ? AND seq >= ?', [transcriptId, seq + count]);
      this.db.run('UPDATE segments SET seq = -seq - 1 + ? WHERE transcript_id = ? AND seq < 0', [shift, transcriptId]);
    }
    side.segments.forEach((segment, index) => this.transcripts.insertSegment(transcriptId, seq + index, segment));
    if (side.speakers) {
      this.db.run('DELETE FROM speakers WHERE transcript_id = ?', [transcriptId]);
      for (const speaker of side.speakers) this.db.run('INSERT INTO speakers (transcript_id, speaker, name) VALUES (?, ?, ?)', [transcriptId, speaker.id, speaker.name]);
    }
    if (side.turns) {
      this.db.run('DELETE FROM speaker_turns WHERE transcript_id = ?', [transcriptId]);
      for (const turn of side.turns) this.transcripts.insertTurn(transcriptId, turn);
    }
  }

  private writeSegmentText(transcriptId: number, seq: number, { text, words }: SegmentText): void {
    const id = this.db.get<{ id: number }>('SELECT id FROM segments WHERE transcript_id = ? AND seq = ?', [transcriptId, seq])!.id;
    this.db.run('UPDATE segments SET text = ? WHERE id = ?', [text, id]);
    this.db.run('DELETE FROM words WHERE segment_id = ?', [id]);
    this.transcripts.insertWords(id, words);
  }

  /** The transcript, and its segment `seq` when asked for one. */
  private load(mediaId: number): { transcriptId: number; transcript: Transcript };
  private load(mediaId: number, seq: number): { transcriptId: number; transcript: Transcript; segment: Segment };
  private load(mediaId: number, seq?: number): { transcriptId: number; transcript: Transcript; segment?: Segment } {
    const transcriptId = this.transcriptOf(mediaId);
    const transcript = this.transcripts.get(mediaId)!;
    if (seq === undefined) return { transcriptId, transcript };
    const segment = transcript.segments[seq];
    if (!segment) throw new JobError(`The transcript has no segment ${seq + 1}.`, 'not-found');
    return { transcriptId, transcript, segment };
  }

  private transcriptOf(mediaId: number): number {
    const row = this.db.get<{ id: number }>('SELECT id FROM transcripts WHERE media_id = ?', [mediaId]);
    if (!row) throw new JobError(`Media ${mediaId} has no transcript.`, 'not-found');
    return row.id;
  }
}
