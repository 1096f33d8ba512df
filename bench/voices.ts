// Voice library benchmark: `npm run bench:voices`. How often a saved voice is recognised in another
// recording of the same person, on real clips of three people recorded on different occasions
// (../shared/audio/real-speakers/clips), through the real pipeline: speech detection, the built-in
// speaker tier, its voice prints (worker/engine/diarize/voice-prints.ts) and the matcher
// (core/voices/voice-matching.ts).
// Protocol: the library holds each person once (one clip each); each other clip of theirs is a new
// recording, and each read-speech utterance (two readers never saved) is a stranger. Every clip takes
// its turn as a saved one. Counted: the right name given at once, suggested, a wrong name given, a
// wrong suggestion, and nothing.
// The neural tier's prints need real weights, which cannot be downloaded here: not measured.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { SpeakerPrint } from '../contracts/voices';
import { matchVoices, type PrintOf } from '../core/voices/voice-matching';
import { PcmFile } from '../worker/engine/audio/pcm-file';
import { diarizeBuiltin } from '../worker/engine/diarize/builtin-diarizer';
import { DIARIZATION_REGION_OPTIONS } from '../worker/engine/diarize/diarize';
import { cepstralPrints } from '../worker/engine/diarize/voice-prints';
import { speechProbabilities, VAD_FRAME_SEC } from '../worker/engine/vad/silero-vad';
import { speechRegions } from '../worker/engine/vad/speech-regions';
import { resolveTools } from '../worker/pipeline/ffmpeg-tools';

const root = path.resolve(import.meta.dirname, '..');
const audio = path.resolve(root, '../shared/audio');
const work = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-voices-'));
const ffmpeg = resolveTools({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
const vad = await ort.InferenceSession.create(path.join(root, 'resources/vad/silero_vad_v6.onnx'), { intraOpNumThreads: 1 });

/** The print of a recording's main speaker (the one with the most speech), as a job would keep it. */
async function printOf(file: string): Promise<SpeakerPrint | null> {
  const pcmPath = path.join(work, `${path.basename(file)}.f32`);
  execFileSync(ffmpeg, ['-v', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-y', pcmPath]);
  const pcm = new PcmFile(pcmPath);
  try {
    const regions = speechRegions(await speechProbabilities(vad, pcm, () => undefined, new AbortController().signal), VAD_FRAME_SEC, pcm.durationSec, DIARIZATION_REGION_OPTIONS);
    const turns = diarizeBuiltin(pcm, regions, { exact: null, min: null, max: null });
    const talk = new Map<number, number>();
    for (const turn of turns) talk.set(turn.speaker, (talk.get(turn.speaker) ?? 0) + turn.end - turn.start);
    const main = [...talk].sort((a, b) => b[1] - a[1])[0]?.[0];
    return cepstralPrints(pcm, turns).find((print) => print.speaker === main) ?? null;
  } finally {
    pcm.close();
  }
}

const clipsDir = path.join(audio, 'real-speakers/clips');
const people = new Map<string, Array<{ file: string; print: SpeakerPrint }>>();
for (const name of readdirSync(clipsDir).sort()) {
  const print = await printOf(path.join(clipsDir, name));
  if (!print) continue;
  const person = name.slice(0, name.indexOf('-'));
  people.set(person, [...(people.get(person) ?? []), { file: name, print }]);
}
const readDir = path.join(audio, 'read-speech/wav');
const strangers: SpeakerPrint[] = [];
for (const name of readdirSync(readDir).sort()) {
  const print = await printOf(path.join(readDir, name));
  if (print) strangers.push(print);
}

const asPrint = (owner: number, print: SpeakerPrint): PrintOf<number> => ({ owner, kind: print.kind, vector: Float32Array.from(print.vector) });
const names = [...people.keys()];
const strangerTally = { named: 0, suggested: 0, nothing: 0, trials: 0 };
const tally = { rightNamed: 0, rightSuggested: 0, wrongNamed: 0, wrongSuggested: 0, missed: 0, trials: 0 };
for (const [person, clips] of people) {
  for (const saved of clips) {
    // The library: this clip for this person, each other person's first clip for them.
    const library = names.map((other, id) => asPrint(id, other === person ? saved.print : people.get(other)![0]!.print));
    const enrolled = new Set(names.map((other) => (other === person ? saved.file : people.get(other)![0]!.file)));
    for (const clip of clips) {
      if (enrolled.has(clip.file)) continue;
      const [match] = matchVoices([asPrint(0, clip.print)], library);
      tally.trials++;
      if (!match) tally.missed++;
      else if (names[match.voiceId] === person) tally[match.state === 'named' ? 'rightNamed' : 'rightSuggested']++;
      else tally[match.state === 'named' ? 'wrongNamed' : 'wrongSuggested']++;
    }
    for (const stranger of strangers) countStranger(stranger, library);
  }
  // The same people's recordings (same languages, same kinds of rooms) against a library without them.
  const others = names.map((other, id) => (other === person ? null : asPrint(id, people.get(other)![0]!.print))).filter((print) => print !== null);
  for (const clip of clips) countStranger(clip.print, others);
}

function countStranger(print: SpeakerPrint, library: Array<PrintOf<number>>): void {
  const [match] = matchVoices([asPrint(0, print)], library);
  strangerTally.trials++;
  strangerTally[match ? match.state : 'nothing']++;
}
const share = (count: number, of: number): string => `${count}/${of} (${((100 * count) / Math.max(of, 1)).toFixed(0)} %)`;
console.log(`\nVoice library benchmark — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(
  `${[...people].map(([person, clips]) => `${person} ${clips.length} clips`).join(', ')}; strangers: ${strangers.length} read-speech utterances against each library, and each person's clips against a library of the other two. Built-in tier prints.\n`,
);
console.log('| saved person, another recording of them | count |\n|---|---|');
console.log(`| right name given at once | ${share(tally.rightNamed, tally.trials)} |`);
console.log(`| right name suggested | ${share(tally.rightSuggested, tally.trials)} |`);
console.log(`| wrong name given | ${share(tally.wrongNamed, tally.trials)} |`);
console.log(`| wrong name suggested | ${share(tally.wrongSuggested, tally.trials)} |`);
console.log(`| nothing | ${share(tally.missed, tally.trials)} |`);
console.log('\n| someone never saved | count |\n|---|---|');
console.log(`| a name given | ${share(strangerTally.named, strangerTally.trials)} |`);
console.log(`| a name suggested | ${share(strangerTally.suggested, strangerTally.trials)} |`);
console.log(`| nothing | ${share(strangerTally.nothing, strangerTally.trials)} |`);
rmSync(work, { recursive: true, force: true });
