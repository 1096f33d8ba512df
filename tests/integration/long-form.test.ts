import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pausedRealSpeech } from '../../bench/lib/read-speech';
import { utteranceRecall, wordErrors } from '../../bench/lib/word-error-rate';
import { transcribe } from '../../worker/engine/transcribe';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';
import { projectRoot, scratchDir, sharedAudio, sharedModels } from '../helpers/media';

const stage = () => ({ signal: new AbortController().signal, progress: () => undefined });

describe('a long recording of real speech with pauses', () => {
  it.each(['whisper-tiny', 'whisper-base'])('%s keeps every utterance, a sentence said twice in a row included, each word inside the recording', async (modelId) => {
    const work = scratchDir('long-form');
    // Twice through the read-speech set (6.5 minutes), every fourth utterance said twice in a row.
    const { file, spoken, durationSec } = pausedRealSpeech(sharedAudio, work, 2);
    const pcmPath = path.join(work, 'long.f32');
    execFileSync(resolveTools({ ffmpegPath: null, ffprobePath: null }).ffmpeg, ['-loglevel', 'error', '-y', '-i', file, '-f', 'f32le', '-ar', '16000', '-ac', '1', pcmPath]);
    const { transcript } = await transcribe(
      {
        pcmPath,
        model: { id: modelId, dir: path.join(sharedModels, 'Xenova', modelId), dtypeSuffix: '_quantized' },
        vadModelPath: path.join(projectRoot, 'resources/vad/silero_vad_v6.onnx'),
        language: 'en',
        task: 'transcribe',
        initialPrompt: null,
        device: 'cpu',
      },
      { detectSpeech: stage(), transcribe: stage() },
    );
    const text = transcript.segments.map((segment) => segment.text).join(' ');
    const recall = utteranceRecall(spoken, text);
    const missing = spoken.filter((_, index) => recall[index]! < 0.5);
    expect(spoken.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    const { errors, referenceWords } = wordErrors(spoken.join(' '), text);
    expect(errors / referenceWords).toBeLessThan(0.12);
    const words = transcript.segments.flatMap((segment) => segment.words);
    expect(words[0]!.start).toBeGreaterThanOrEqual(0);
    expect(words[words.length - 1]!.end).toBeLessThanOrEqual(durationSec + 0.05);
  });
});
