import { describe, expect, it } from 'vitest';
import type { Segment, Transcript } from '../../contracts/domain';
import { exporters, timestamp } from '../../core/export/formats';
import { buildCues, CUE_LIMITS, layoutLines } from '../../core/export/subtitle-cues';

const segment = (start: number, end: number, text: string): Segment => {
  const texts = text.split(' ');
  const step = (end - start) / texts.length;
  return {
    start, end, text, avgLogprob: -0.2, noSpeechProb: 0.01, temperature: 0,
    words: texts.map((word, i) => ({ text: word, start: +(start + i * step).toFixed(3), end: +(start + (i + 1) * step).toFixed(3), probability: 0.9 })),
  };
};

const transcript: Transcript = {
  language: 'en',
  task: 'transcribe',
  engine: { model: 'whisper-base', provider: 'cpu', fallbacks: [{ provider: 'cuda', reason: 'no NVIDIA driver' }] },
  durationSec: 12,
  segments: [segment(0.5, 2.5, 'Good morning everyone.'), segment(3, 3.4, 'Thanks.'), segment(4, 11.5, 'Before we start, can we review the budget for the new recording studio this quarter?')],
};

describe('exporters', () => {
  it('TXT: a line per segment', () => {
    expect(exporters.txt(transcript, { fileName: 'a.wav' })).toBe(
      'Good morning everyone.\nThanks.\nBefore we start, can we review the budget for the new recording studio this quarter?\n',
    );
  });

  it('SRT: numbered cues, comma milliseconds, short cues stretched to a second, long ones split', () => {
    expect(exporters.srt(transcript, { fileName: 'a.wav' })).toBe(
      [
        '1\n00:00:00,500 --> 00:00:02,500\nGood morning everyone.\n',
        '2\n00:00:03,000 --> 00:00:04,000\nThanks.\n',
        // Split evenly, not greedily: a greedy fill would leave "quarter?" alone on screen.
        '3\n00:00:04,000 --> 00:00:08,500\nBefore we start, can we\nreview the budget for\n',
        '4\n00:00:08,500 --> 00:00:11,500\nthe new recording studio this quarter?\n',
      ].join('\n'),
    );
  });

  it('VTT: header, dot milliseconds, the same cues', () => {
    const vtt = exporters.vtt(transcript, { fileName: 'a.wav' });
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.500 --> 00:00:02.500\nGood morning everyone.\n')).toBe(true);
    expect(vtt.match(/-->/g)).toHaveLength(4);
  });

  it('JSON: segments with words and probabilities, model and provider', () => {
    const json = JSON.parse(exporters.json(transcript, { fileName: 'a.wav' }));
    expect(json).toMatchObject({ file: 'a.wav', language: 'en', model: 'whisper-base', provider: 'cpu', providerFallbacks: [{ provider: 'cuda' }] });
    expect(json.segments[0].words[0]).toEqual({ text: 'Good', start: 0.5, end: 1.167, probability: 0.9 });
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
});
