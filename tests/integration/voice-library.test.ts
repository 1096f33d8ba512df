import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { scratchDir, sharedAudio } from '../helpers/media';

const clip = (name: string): string => path.join(sharedAudio, 'real-speakers/clips', `${name}.wav`);

let core: VerbatimCore | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function transcribe(file: string): Promise<number> {
  const [added] = await core!.addFiles([file], { diarization: 'builtin' });
  await waitForJobs(core!, (jobs) => allFinished(jobs) && jobs.some((job) => job.mediaId === added!.mediaId), 60_000);
  expect(core!.listJobs().find((job) => job.mediaId === added!.mediaId)).toMatchObject({ state: 'done' });
  return added!.mediaId;
}

const count = (sql: string): number => core!.db.get<{ n: number }>(sql)!.n;

/**
 * The voice library end to end, on real clips of the same people recorded on different occasions:
 * saved once, recognised (or suggested) in a later recording, never given to someone else; the
 * prints go with the voice and with the setting.
 */
describe('voice library', () => {
  it('a saved voice names (or suggests) the same person in a later recording, not another person; deleting it deletes its prints', { timeout: 120_000 }, async () => {
    core = openCore(scratchDir('voices'));
    const first = await transcribe(clip('leijun-sr-1'));
    expect(core.editing.get(first)!.speakers).toEqual([{ id: 0, name: 'Speaker 1' }]);
    // Saving needs a name first: a voice is saved under the name the user gives.
    expect(() => core!.speakerVoices.remember(first, 0)).toThrow(/Name Speaker 1 first/);
    core.editing.renameSpeaker(first, 0, 'Lei Jun');
    const saved = core.speakerVoices.remember(first, 0);
    expect(saved.voices).toEqual([{ speaker: 0, voiceId: expect.any(Number), name: 'Lei Jun', state: 'named', score: 1 }]);
    expect(core.voices.list()).toEqual([{ id: saved.voices[0]!.voiceId, name: 'Lei Jun', prints: 1, recordings: 1 }]);

    // Another session of the same man, in another room: suggested by the saved name (cosine 0.81), one click to confirm.
    const later = await transcribe(clip('leijun-test-sr-2'));
    expect(core.editing.get(later)!.voices).toEqual([expect.objectContaining({ speaker: 0, name: 'Lei Jun', state: 'suggested' })]);
    expect(core.editing.get(later)!.speakers[0]!.name).toBe('Speaker 1');
    const confirmed = core.speakerVoices.confirm(later, 0);
    expect(confirmed.speakers[0]!.name).toBe('Lei Jun');
    expect(confirmed.voices).toEqual([expect.objectContaining({ speaker: 0, name: 'Lei Jun', state: 'named' })]);
    // Confirming renames the speaker as an edit like any other: undo takes the name back, redo gives it again.
    expect(core.editing.undo(later).voices).toEqual([]);
    expect(core.editing.redo(later).speakers[0]!.name).toBe('Lei Jun');
    expect(core.voices.list()[0]).toMatchObject({ name: 'Lei Jun', prints: 2, recordings: 2 });
    // A session nearer the first: named at once (cosine 0.90).
    const third = await transcribe(clip('leijun-sr-2'));
    expect(core.editing.get(third)!.speakers[0]!.name).toBe('Lei Jun');
    expect(core.editing.get(third)!.voices).toEqual([expect.objectContaining({ name: 'Lei Jun', state: 'named' })]);

    // Someone else is not him.
    const other = await transcribe(clip('liudehua-sr-1'));
    expect(core.editing.get(other)!.voices).toEqual([]);
    expect(core.editing.get(other)!.speakers[0]!.name).toBe('Speaker 1');

    // Search by person finds him across both recordings.
    expect(new Set(core.searchTranscripts('', 50, 'lei jun').map((hit) => hit.mediaId))).toEqual(new Set([first, later, third]));

    const voiceId = core.voices.list()[0]!.id;
    core.voices.remove(voiceId);
    expect(core.voices.list()).toEqual([]);
    expect(count('SELECT COUNT(*) AS n FROM voice_prints')).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM speaker_voices')).toBe(0);
    // The transcripts keep the names the user gave.
    expect(core.editing.get(first)!.speakers[0]!.name).toBe('Lei Jun');

    // Turned off: no recording keeps a print, and new recordings are not matched.
    expect(count('SELECT COUNT(*) AS n FROM speaker_prints')).toBeGreaterThan(0);
    await core.updateSettings({ recogniseVoices: false });
    expect(count('SELECT COUNT(*) AS n FROM speaker_prints')).toBe(0);
    await transcribe(clip('fangjun-sr-2'));
    expect(count('SELECT COUNT(*) AS n FROM speaker_prints')).toBe(0);
  });

  it('rename, merge and refuse: a declined suggestion is not offered again', { timeout: 120_000 }, async () => {
    core = openCore(scratchDir('voices'));
    const a = await transcribe(clip('fangjun-sr-1'));
    core.editing.renameSpeaker(a, 0, 'Fangjun');
    const fangjun = core.speakerVoices.remember(a, 0).voices[0]!.voiceId;
    // Recognised at once; the user saves this one under another name all the same.
    const b = await transcribe(clip('fangjun-sr-2'));
    expect(core.editing.get(b)!.speakers[0]!.name).toBe('Fangjun');
    core.editing.renameSpeaker(b, 0, 'F. Kuang');
    const kuang = core.speakerVoices.remember(b, 0).voices[0]!.voiceId;
    expect(core.voices.list().map((voice) => voice.name)).toEqual(['F. Kuang', 'Fangjun']);
    expect(() => core!.voices.rename(kuang, 'fangjun')).toThrow(/already called/);
    expect(core.voices.rename(kuang, 'Fangjun Kuang')).toMatchObject({ name: 'Fangjun Kuang' });
    expect(core.voices.merge(kuang, fangjun)).toMatchObject({ id: fangjun, name: 'Fangjun', prints: 2 });
    expect(core.voices.list()).toHaveLength(1);

    // "Not them": a declined suggestion goes, and matching the recording again does not bring it back.
    const l = await transcribe(clip('leijun-sr-1'));
    core.editing.renameSpeaker(l, 0, 'Lei Jun');
    core.speakerVoices.remember(l, 0);
    const c = await transcribe(clip('leijun-test-sr-1'));
    expect(core.editing.get(c)!.voices).toEqual([expect.objectContaining({ name: 'Lei Jun', state: 'suggested' })]);
    expect(core.speakerVoices.reject(c, 0).voices).toEqual([]);
    core.voices.recognise(c);
    expect(core.editing.get(c)!.voices).toEqual([]);
    expect(() => core!.speakerVoices.reject(c, 0)).toThrow(/no suggested voice/);
  });
});
