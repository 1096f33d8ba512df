import type { Speaker } from '../../contracts/domain';
import { isDefaultSpeakerName, VOICE_PRINT_KINDS, type SpeakerPrint, type SpeakerVoice, type Voice, type VoicePrintKind } from '../../contracts/voices';
import { JobError } from '../errors';
import type { Database } from '../library/database';
import { matchVoices, type PrintOf } from './voice-matching';

interface PrintRow {
  owner: number;
  kind: string;
  vector: Buffer;
}

/** A voice with how many prints it has and how many recordings it names a speaker in. */
const VOICE_ROWS = `SELECT v.id, v.name,
         (SELECT COUNT(*) FROM voice_prints p WHERE p.voice_id = v.id) AS prints,
         (SELECT COUNT(DISTINCT sv.media_id) FROM speaker_voices sv WHERE sv.voice_id = v.id AND sv.state = 'named') AS recordings
  FROM voices v`;

const toBlob = (vector: readonly number[] | Float32Array): Buffer => Buffer.from(Float32Array.from(vector).buffer);

function toPrint(row: PrintRow): PrintOf<number> | null {
  if (!(VOICE_PRINT_KINDS as readonly string[]).includes(row.kind)) return null;
  const vector = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
  return { owner: row.owner, kind: row.kind as VoicePrintKind, vector };
}

/**
 * The voices a user chose to remember, and the link between them and each recording's speakers.
 * Prints are personal data: they live in this library only, and deleting a voice deletes its prints.
 */
export class VoiceLibrary {
  constructor(private readonly db: Database) {}

  /** A recording's speaker prints from its latest run, replacing the last run's (and its links, whose speakers were another run's). */
  keepPrints(mediaId: number, prints: readonly SpeakerPrint[]): void {
    this.db.transaction(() => {
      this.db.run('DELETE FROM speaker_prints WHERE media_id = ?', [mediaId]);
      this.db.run('DELETE FROM speaker_voices WHERE media_id = ?', [mediaId]);
      for (const print of prints) {
        this.db.run('INSERT OR REPLACE INTO speaker_prints (media_id, speaker, kind, vector) VALUES (?, ?, ?, ?)', [mediaId, print.speaker, print.kind, toBlob(print.vector)]);
      }
    });
  }

  /** The library turned off: no recording's prints are kept, and nothing is suggested. Saved voices stay. */
  forgetRecordingPrints(): void {
    this.db.transaction(() => {
      this.db.run('DELETE FROM speaker_prints');
      this.db.run("DELETE FROM speaker_voices WHERE state = 'suggested'");
    });
  }

  /** Matches a recording's speakers against the saved voices, records the links, and returns the names to give at once. */
  recognise(mediaId: number): Array<{ speaker: number; name: string }> {
    return this.db.transaction(() => {
      const speakers = this.speakerPrints(mediaId);
      const voices = this.db.all<PrintRow>('SELECT voice_id AS owner, kind, vector FROM voice_prints').flatMap((row) => toPrint(row) ?? []);
      const refused = new Set(
        this.db.all<{ speaker: number; voice_id: number }>("SELECT speaker, voice_id FROM speaker_voices WHERE media_id = ? AND state = 'rejected'", [mediaId]).map((row) => `${row.speaker}:${row.voice_id}`),
      );
      this.db.run("DELETE FROM speaker_voices WHERE media_id = ? AND state <> 'rejected'", [mediaId]);
      const named: Array<{ speaker: number; name: string }> = [];
      for (const match of matchVoices(speakers, voices, refused)) {
        this.link(mediaId, match.speaker, match.voiceId, match.state, match.score);
        if (match.state === 'named') named.push({ speaker: match.speaker, name: this.voice(match.voiceId).name });
      }
      return named;
    });
  }

  /**
   * The links the transcript shows: a named link while the speaker still bears the voice's name, a
   * suggestion while the speaker has no name of the user's.
   */
  linksFor(mediaId: number, speakers: readonly Speaker[]): SpeakerVoice[] {
    const rows = this.db.all<{ speaker: number; voiceId: number; name: string; state: 'named' | 'suggested'; score: number }>(
      `SELECT sv.speaker, sv.voice_id AS voiceId, v.name, sv.state, sv.score FROM speaker_voices sv JOIN voices v ON v.id = sv.voice_id
       WHERE sv.media_id = ? AND sv.state IN ('named', 'suggested') ORDER BY sv.speaker`,
      [mediaId],
    );
    return rows.filter((row) => {
      const speaker = speakers.find((each) => each.id === row.speaker);
      if (!speaker) return false;
      return row.state === 'named' ? speaker.name.toLocaleLowerCase() === row.name.toLocaleLowerCase() : isDefaultSpeakerName(speaker.name);
    });
  }

  /** Saves a speaker's voice under `name` (a new voice, or another print for the voice of that name). */
  remember(mediaId: number, speaker: number, name: string): Voice {
    return this.db.transaction(() => {
      const prints = this.speakerPrints(mediaId).filter((print) => print.owner === speaker);
      if (prints.length === 0) {
        throw new JobError('This recording keeps no voice print for that speaker: transcribe it again with speaker labels on, then save the voice.', 'no-voice-print');
      }
      const existing = this.db.get<{ id: number }>('SELECT id FROM voices WHERE name = ? COLLATE NOCASE', [name]);
      const voiceId = existing?.id ?? Number(this.db.run('INSERT INTO voices (name, created_at) VALUES (?, ?)', [name, Date.now()]).lastInsertRowid);
      this.addPrints(voiceId, mediaId, prints);
      this.db.run('DELETE FROM speaker_voices WHERE media_id = ? AND speaker = ?', [mediaId, speaker]);
      this.link(mediaId, speaker, voiceId, 'named', 1);
      return this.voice(voiceId);
    });
  }

  /** Accepts a suggestion: the speaker is that voice, and their print joins it. Returns the name to give the speaker. */
  confirm(mediaId: number, speaker: number): string {
    return this.db.transaction(() => {
      const suggestion = this.db.get<{ voice_id: number; score: number }>("SELECT voice_id, score FROM speaker_voices WHERE media_id = ? AND speaker = ? AND state = 'suggested'", [mediaId, speaker]);
      if (!suggestion) throw new JobError('There is no suggested voice for that speaker.', 'not-found');
      this.addPrints(suggestion.voice_id, mediaId, this.speakerPrints(mediaId).filter((print) => print.owner === speaker));
      this.link(mediaId, speaker, suggestion.voice_id, 'named', suggestion.score);
      return this.voice(suggestion.voice_id).name;
    });
  }

  /** "Not them": the suggestion goes, and this voice is never suggested for this speaker again. */
  reject(mediaId: number, speaker: number): void {
    const changed = this.db.run("UPDATE speaker_voices SET state = 'rejected' WHERE media_id = ? AND speaker = ? AND state = 'suggested'", [mediaId, speaker]).changes;
    if (changed === 0) throw new JobError('There is no suggested voice for that speaker.', 'not-found');
  }

  list(): Voice[] {
    return this.db.all<Voice>(`${VOICE_ROWS} ORDER BY v.name COLLATE NOCASE`);
  }

  rename(voiceId: number, name: string): Voice {
    this.voice(voiceId);
    const clash = this.db.get<{ id: number }>('SELECT id FROM voices WHERE name = ? COLLATE NOCASE AND id <> ?', [name, voiceId]);
    if (clash) throw new JobError(`A saved voice is already called “${name}”: merge the two instead.`, 'name-taken');
    this.db.run('UPDATE voices SET name = ? WHERE id = ?', [name, voiceId]);
    return this.voice(voiceId);
  }

  /** Two saved voices that are one person: `from`'s prints and links become `into`'s, and `from` goes. */
  merge(from: number, into: number): Voice {
    if (from === into) throw new JobError('A voice cannot be merged into itself.', 'invalid');
    return this.db.transaction(() => {
      this.voice(from);
      this.voice(into);
      this.db.run('UPDATE voice_prints SET voice_id = ? WHERE voice_id = ?', [into, from]);
      this.db.run('UPDATE OR IGNORE speaker_voices SET voice_id = ? WHERE voice_id = ?', [into, from]);
      this.db.run('DELETE FROM voices WHERE id = ?', [from]);
      return this.voice(into);
    });
  }

  /** Deletes a voice and, with it, every print of it; transcripts keep the names they were given. */
  remove(voiceId: number): void {
    if (this.db.run('DELETE FROM voices WHERE id = ?', [voiceId]).changes === 0) throw new JobError('There is no such saved voice.', 'not-found');
  }

  private voice(voiceId: number): Voice {
    const voice = this.db.get<Voice>(`${VOICE_ROWS} WHERE v.id = ?`, [voiceId]);
    if (!voice) throw new JobError('There is no such saved voice.', 'not-found');
    return voice;
  }

  private speakerPrints(mediaId: number): Array<PrintOf<number>> {
    return this.db.all<PrintRow>('SELECT speaker AS owner, kind, vector FROM speaker_prints WHERE media_id = ?', [mediaId]).flatMap((row) => toPrint(row) ?? []);
  }

  /** One print per kind per recording: saving the same speaker again replaces, never piles up. */
  private addPrints(voiceId: number, mediaId: number, prints: ReadonlyArray<PrintOf<number>>): void {
    for (const print of prints) {
      this.db.run('DELETE FROM voice_prints WHERE voice_id = ? AND media_id = ? AND kind = ?', [voiceId, mediaId, print.kind]);
      this.db.run('INSERT INTO voice_prints (voice_id, kind, vector, media_id) VALUES (?, ?, ?, ?)', [voiceId, print.kind, toBlob(print.vector), mediaId]);
    }
  }

  private link(mediaId: number, speaker: number, voiceId: number, state: 'named' | 'suggested', score: number): void {
    this.db.run('INSERT OR REPLACE INTO speaker_voices (media_id, speaker, voice_id, state, score) VALUES (?, ?, ?, ?, ?)', [mediaId, speaker, voiceId, state, score]);
  }
}
