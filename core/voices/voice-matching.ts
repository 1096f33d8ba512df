// Which saved voice each speaker of a new transcript is: plain functions over prints.
import type { VoicePrintKind } from '../../contracts/voices';

export interface PrintOf<Owner> {
  owner: Owner;
  kind: VoicePrintKind;
  vector: Float32Array;
}

/**
 * Cosine similarity at which a match names the speaker at once, at which it is only suggested, and
 * how far ahead of the next voice a named match must be. Built-in: measured on real clips of the same
 * people from different sessions (npm run bench:voices); neural: from WeSpeaker's published score
 * distributions (same speaker around 0.7, others under 0.3), not measured here (no real weights).
 */
export const MATCH_THRESHOLDS: Record<VoicePrintKind, { named: number; suggested: number; margin: number }> = {
  'neural:wespeaker-campplus': { named: 0.6, suggested: 0.45, margin: 0.1 },
  'builtin:cepstra-v1': { named: 0.85, suggested: 0.7, margin: 0.05 },
};

/** The neural tier's prints are surer: where both sides have one, they decide. */
const KIND_PREFERENCE: readonly VoicePrintKind[] = ['neural:wespeaker-campplus', 'builtin:cepstra-v1'];

export interface VoiceMatch {
  speaker: number;
  voiceId: number;
  score: number;
  state: 'named' | 'suggested';
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Each speaker's best voice, at most one speaker per voice and one voice per speaker, best pairs
 * first. A pair is scored on the most trusted kind both have (its best print of that kind: a voice
 * saved from several recordings matches any of them); `refused` pairs ("speaker:voice") are never
 * offered again.
 */
export function matchVoices(speakers: ReadonlyArray<PrintOf<number>>, voices: ReadonlyArray<PrintOf<number>>, refused: ReadonlySet<string> = new Set()): VoiceMatch[] {
  const pairs: Array<{ speaker: number; voiceId: number; score: number; kind: VoicePrintKind }> = [];
  const speakerIds = [...new Set(speakers.map((print) => print.owner))];
  const voiceIds = [...new Set(voices.map((print) => print.owner))];
  for (const speaker of speakerIds) {
    for (const voiceId of voiceIds) {
      if (refused.has(`${speaker}:${voiceId}`)) continue;
      for (const kind of KIND_PREFERENCE) {
        const mine = speakers.find((print) => print.owner === speaker && print.kind === kind);
        const theirs = voices.filter((print) => print.owner === voiceId && print.kind === kind);
        if (!mine || theirs.length === 0) continue;
        pairs.push({ speaker, voiceId, kind, score: Math.max(...theirs.map((print) => cosine(mine.vector, print.vector))) });
        break;
      }
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  const matches: VoiceMatch[] = [];
  const taken = { speakers: new Set<number>(), voices: new Set<number>() };
  for (const pair of pairs) {
    if (taken.speakers.has(pair.speaker) || taken.voices.has(pair.voiceId)) continue;
    const limits = MATCH_THRESHOLDS[pair.kind];
    if (pair.score < limits.suggested) continue;
    const runnerUp = Math.max(-1, ...pairs.filter((other) => other.speaker === pair.speaker && other.voiceId !== pair.voiceId).map((other) => other.score));
    const state = pair.score >= limits.named && pair.score - runnerUp >= limits.margin ? 'named' : 'suggested';
    matches.push({ speaker: pair.speaker, voiceId: pair.voiceId, score: pair.score, state });
    taken.speakers.add(pair.speaker);
    taken.voices.add(pair.voiceId);
  }
  return matches;
}
