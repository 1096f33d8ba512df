import { describe, expect, it } from 'vitest';
import { diarizationErrorRate, formatRttm, maximumAssignment, parseRttm, parseUem, type Turn } from '../../bench/lib/diarization-error-rate';

const turn = (speaker: string, start: number, end: number): Turn => ({ file: 'f', speaker, start, end });

describe('diarization error rate', () => {
  it('is zero for a perfect answer under other names', () => {
    const reference = [turn('alice', 0, 10), turn('bob', 10, 20)];
    const result = diarizationErrorRate(reference, [turn('S1', 0, 10), turn('S2', 10, 20)], { collar: 0 });
    expect(result).toMatchObject({ total: 20, missed: 0, falseAlarm: 0, confusion: 0, der: 0 });
    expect(result.mapping).toEqual(new Map([['S1', 'alice'], ['S2', 'bob']]));
  });

  it('counts missed speech, false alarms and confusion (hand-computed)', () => {
    // Reference: A 0-10, B 10-20. Hypothesis: X 0-8 (2 s of A missed), X 12-15 (B called X: 3 s
    // confusion), Y 15-20 (B), Y 20-22 (2 s false alarm, inside the scored region 0-25).
    const reference = [turn('A', 0, 10), turn('B', 10, 20)];
    const hypothesis = [turn('X', 0, 8), turn('X', 12, 15), turn('Y', 15, 22)];
    const result = diarizationErrorRate(reference, hypothesis, { collar: 0, uem: [{ start: 0, end: 25 }] });
    expect(result).toMatchObject({ total: 20, missed: 4, falseAlarm: 2, confusion: 3 });
    // B 10-12 is missed too: 2 + 2 = 4 s.
    expect(result.der).toBeCloseTo((4 + 2 + 3) / 20, 6);
  });

  it('overlapped speech counts once per speaker', () => {
    const reference = [turn('A', 0, 10), turn('B', 5, 10)];
    const result = diarizationErrorRate(reference, [turn('X', 0, 10)], { collar: 0 });
    expect(result).toMatchObject({ total: 15, missed: 5, falseAlarm: 0, confusion: 0 });
  });

  it('a collar leaves time around every reference boundary unscored', () => {
    const reference = [turn('A', 0, 10), turn('B', 10, 20)];
    // The hypothesis switches speaker 0.2 s late: an error without a collar, none with 0.25 s.
    const hypothesis = [turn('X', 0, 10.2), turn('Y', 10.2, 20)];
    expect(diarizationErrorRate(reference, hypothesis, { collar: 0 }).confusion).toBeCloseTo(0.2, 6);
    const collared = diarizationErrorRate(reference, hypothesis, { collar: 0.25 });
    expect(collared.confusion).toBe(0);
    expect(collared.total).toBeCloseTo(20 - 0.25 * 3 - 0.25, 6);
  });

  it('the optimal mapping, not the greedy one', () => {
    // Greedy would give row 0 its best column (0: 10) and leave row 1 with 1; optimal is 9 + 9.
    expect(maximumAssignment([[10, 9], [9, 1]])).toEqual([1, 0]);
    expect(maximumAssignment([[0, 0, 5]])).toEqual([2]);
    expect(maximumAssignment([[3], [7]])).toEqual([-1, 0]);
  });

  it('reads and writes RTTM and UEM', () => {
    const rttm = 'SPEAKER trn00 1 3.168 0.800 <NA> <NA> MÉO069 <NA> <NA>\nSPEAKER trn00 1 5.463 0.640 <NA> <NA> MEE068 <NA> <NA>\n';
    const turns = parseRttm(rttm);
    expect(turns[0]).toEqual({ file: 'trn00', start: 3.168, end: 3.968, speaker: 'MÉO069' });
    expect(formatRttm(turns)).toBe(rttm);
    expect(parseUem('trn00 NA 0.000 30.000\ntrn01 NA 1 2\n').get('trn01')).toEqual([{ start: 1, end: 2 }]);
  });
});
