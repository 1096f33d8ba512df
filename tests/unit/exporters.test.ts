import { describe, expect, it } from 'vitest';
import { zipEntry } from '../helpers/zip';
import type { ExportFormat, Segment, Transcript } from '../../contracts/domain';
import { exporters, timestamp } from '../../core/export/formats';
import { buildCues, CUE_LIMITS, layoutLines } from '../../core/export/subtitle-cues';

const segment = (start: number, end: number, text: string, speaker: number | null = null): Segment => {
  const texts = text.split(' ');
  const step = (end - start) / texts.length;
  return {
    start, end, text, avgLogprob: -0.2, noSpeechProb: 0.01, temperature: 0, speaker,
    words: texts.map((word, i) => ({ text: word, start: +(start + i * step).toFixed(3), end: +(start + (i + 1) * step).toFixed(3), probability: 0.9, speaker })),
  };
};

/** A text export's contents. */
async function exported(format: ExportFormat, of: Transcript): Promise<string> {
  const file = await exporters[format](of, { fileName: 'a.wav' });
  if (typeof file.content !== 'string') throw new Error(`${format} is not text`);
  return file.content;
}

const transcript: Transcript = {
  language: 'en',
  task: 'transcribe',
  engine: { model: 'whisper-base', provider: 'cpu', fallbacks: [{ provider: 'cuda', reason: 'no NVIDIA driver' }] },
  durationSec: 12,
  segments: [segment(0.5, 2.5, 'Good morning everyone.'), segment(3, 3.4, 'Thanks.'), segment(4, 11.5, 'Before we start, can we review the budget for the new recording studio this quarter?')],
  speakers: [],
  turns: [],
  diarization: null,
};

/** The same conversation with speakers: Ana greets, Ben thanks, Ana goes on; Ben's thanks overlaps Ana. */
const labelled: Transcript = {
  ...transcript,
  segments: [segment(0.5, 2.5, 'Good morning everyone.', 0), segment(3, 3.4, 'Thanks.', 1), segment(4, 11.5, 'Before we start, can we review the budget for the new recording studio this quarter?', 0)],
  speakers: [{ id: 0, name: 'Ana' }, { id: 1, name: 'Speaker 2' }],
  turns: [{ start: 0.5, end: 3.2, speaker: 0 }, { start: 3, end: 3.4, speaker: 1 }, { start: 4, end: 11.5, speaker: 0 }],
  diarization: { tier: 'builtin', provider: 'cpu', fallbacks: [{ provider: 'neural', reason: 'not installed' }], error: null },
};

describe('exporters', () => {
  it('TXT: a line per segment', async () => {
    expect(await exported('txt', transcript)).toBe(
      'Good morning everyone.\nThanks.\nBefore we start, can we review the budget for the new recording studio this quarter?\n',
    );
  });

  it('SRT: numbered cues, comma milliseconds, short cues stretched to a second, long ones split', async () => {
    expect(await exported('srt', transcript)).toBe(
      [
        '1\n00:00:00,500 --> 00:00:02,500\nGood morning everyone.\n',
        '2\n00:00:03,000 --> 00:00:04,000\nThanks.\n',
        // Split evenly, not greedily: a greedy fill would leave "quarter?" alone on screen.
        '3\n00:00:04,000 --> 00:00:08,500\nBefore we start, can we\nreview the budget for\n',
        '4\n00:00:08,500 --> 00:00:11,500\nthe new recording studio this quarter?\n',
      ].join('\n'),
    );
  });

  it('VTT: header, dot milliseconds, the same cues', async () => {
    const vtt = await exported('vtt', transcript);
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.500 --> 00:00:02.500\nGood morning everyone.\n')).toBe(true);
    expect(vtt.match(/-->/g)).toHaveLength(4);
  });

  it('JSON: segments with words and probabilities, model and provider', async () => {
    const json = JSON.parse(await exported('json', transcript));
    expect(json).toMatchObject({ file: 'a.wav', language: 'en', engine: { model: 'whisper-base', provider: 'cpu', fallbacks: [{ provider: 'cuda' }], ranOn: 'local' } });
    expect(json.segments[0].words[0]).toEqual({ text: 'Good', start: 0.5, end: 1.167, probability: 0.9, speaker: null });
  });

  it('TXT with speakers: a paragraph per turn, under the names the user gave', async () => {
    expect(await exported('txt', labelled)).toBe(
      'Ana: Good morning everyone.\n\nSpeaker 2: Thanks.\n\nAna: Before we start, can we review the budget for the new recording studio this quarter?\n',
    );
  });

  it('SRT names the speaker where the speaker changes; VTT marks every cue with a voice span', async () => {
    const srt = await exported('srt', labelled);
    expect(srt).toContain('00:00:00,500 --> 00:00:02,500\nAna: Good morning everyone.\n');
    expect(srt).toContain('00:00:03,000 --> 00:00:04,000\nSpeaker 2: Thanks.\n');
    // The second cue of Ana's long turn continues it: no repeated name.
    expect(srt).toContain('00:00:08,500 --> 00:00:11,500\nthe new recording studio this quarter?\n');
    const vtt = await exported('vtt', labelled);
    expect(vtt.match(/<v Ana>/g)).toHaveLength(3);
    expect(vtt).toContain('<v Speaker 2>Thanks.');
  });

  it('JSON keeps overlapping turns, the speakers and which tier ran', async () => {
    const json = JSON.parse(await exported('json', labelled));
    expect(json.speakers).toEqual([{ id: 0, name: 'Ana' }, { id: 1, name: 'Speaker 2' }]);
    const during = json.speakerTurns.filter((turn: { start: number; end: number }) => turn.start <= 3.1 && turn.end >= 3.1);
    expect(during.map((turn: { speaker: number }) => turn.speaker).sort()).toEqual([0, 1]);
    expect(json.diarization).toMatchObject({ tier: 'builtin', fallbacks: [{ provider: 'neural', reason: 'not installed' }] });
    expect(json.segments.map((s: Segment) => s.speaker)).toEqual([0, 1, 0]);
  });

  it('Markdown: a heading, then each turn with its speaker in bold and its time', async () => {
    expect(await exported('md', labelled)).toBe(
      '# a.wav\n\n**Ana** *[00:00:00]*  \nGood morning everyone.\n\n**Speaker 2** *[00:00:03]*  \nThanks.\n\n' +
        '**Ana** *[00:00:04]*  \nBefore we start, can we review the budget for the new recording studio this quarter?\n',
    );
  });

  it('DOCX: a Word document whose body holds each speaker and what they said', async () => {
    const file = await exporters.docx(labelled, { fileName: 'a.wav' });
    expect(file.content).toBeInstanceOf(Uint8Array);
    const body = zipEntry(Buffer.from(file.content as Uint8Array), 'word/document.xml');
    const texts = [...body.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((match) => match[1]);
    expect(texts).toEqual(['a.wav', '[00:00:00] ', 'Ana', 'Good morning everyone.', '[00:00:03] ', 'Speaker 2', 'Thanks.', '[00:00:04] ', 'Ana', expect.stringMatching(/^Before we start/)]);
  });

  it('every cue keeps to two lines of 42 characters and 7 seconds', () => {
    const long = segment(0, 60, Array.from({ length: 120 }, (_, i) => `word${i}`).join(' '));
    for (const cue of buildCues([long])) {
      expect(cue.lines.length).toBeLessThanOrEqual(CUE_LIMITS.maxLines);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(CUE_LIMITS.maxLineChars);
      expect(cue.end - cue.start).toBeLessThanOrEqual(CUE_LIMITS.maxSec + 1e-9);
    }
  });

  it('lines are balanced, and timestamps are zero-padded', () => {
    expect(layoutLines('one two three four five six seven eight nine ten eleven')).toEqual(['one two three four five six', 'seven eight nine ten eleven']);
    expect(layoutLines('A short line.')).toEqual(['A short line.']);
    expect(timestamp(3723.4567, ',')).toBe('01:02:03,457');
  });

  it('export options: no speaker names, no times in documents, shorter subtitle lines', async () => {
    const options = { speakers: false, timestamps: false, lineChars: 24 };
    const txt = await exporters.txt(labelled, { fileName: 'a.wav' }, options);
    expect(txt.content).toBe('Good morning everyone.\nThanks.\nBefore we start, can we review the budget for the new recording studio this quarter?\n');
    const md = await exporters.md(labelled, { fileName: 'a.wav' }, options);
    expect(md.content).toBe('# a.wav\n\nGood morning everyone.\n\nThanks.\n\nBefore we start, can we review the budget for the new recording studio this quarter?\n');
    const srt = (await exporters.srt(labelled, { fileName: 'a.wav' }, options)).content as string;
    const lines = srt.split('\n').filter((line) => line && !/^\d+$/.test(line) && !line.includes('-->'));
    expect(lines.join(' ')).toBe('Good morning everyone. Thanks. Before we start, can we review the budget for the new recording studio this quarter?');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(24);
    expect(lines.some((line) => line.length > 20)).toBe(true);
    const json = JSON.parse((await exporters.json(labelled, { fileName: 'a.wav' }, options)).content as string);
    expect([json.speakers, json.speakerTurns, json.segments.map((each: Segment) => each.speaker)]).toEqual([[], [], [null, null, null]]);
    // Times kept, names dropped: DOCX paragraphs are [time] text.
    const docx = await exporters.docx(labelled, { fileName: 'a.wav' }, { ...options, timestamps: true });
    const texts = [...zipEntry(Buffer.from(docx.content as Uint8Array), 'word/document.xml').matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((match) => match[1]);
    expect(texts.slice(0, 3)).toEqual(['a.wav', '[00:00:00] ', 'Good morning everyone.']);
  });
});
