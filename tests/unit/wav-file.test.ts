import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBinaryRequest, encodeBinaryRequest } from '../../contracts/api';
import { repairWav, WavRecording, wavHeader } from '../../core/live/wav-file';
import { probeDuration, scratchDir } from '../helpers/media';

const second = (value: number) => Buffer.alloc(32_000, value);

describe('the recording file', () => {
  it('is a valid WAV after every sync, holding what was appended', async () => {
    const file = path.join(scratchDir('wav'), 'take.wav');
    const wav = new WavRecording(file, 16_000);
    wav.append(second(1));
    wav.append(second(2));
    expect(await wav.sync()).toBe(2);
    // Synced but not closed, as a crash would leave it: readable, and 2 s long.
    expect(probeDuration(file)).toBeCloseTo(2, 2);
    wav.append(second(3).subarray(0, 16_000));
    expect(await wav.close()).toBe(2.5);
    expect(probeDuration(file)).toBeCloseTo(2.5, 2);
    expect(readFileSync(file).subarray(44 + 64_000, 44 + 64_002)).toEqual(Buffer.from([3, 3]));
    expect(() => new WavRecording(file, 16_000)).toThrow(/EEXIST/);
  });

  it('is repaired from its length after a crash: header sizes rewritten, a half sample dropped', () => {
    const file = path.join(scratchDir('wav'), 'cut.wav');
    // The header a crash left (sizes 0, as when recording began), then 3 s and one stray byte.
    writeFileSync(file, Buffer.concat([wavHeader(0, 16_000), second(7), second(7), second(7), Buffer.from([9])]));
    expect(repairWav(file, 16_000)).toBe(3);
    expect(probeDuration(file)).toBeCloseTo(3, 2);
    expect(readFileSync(file).length).toBe(44 + 96_000);
    truncateSync(file, 20);
    expect(repairWav(file, 16_000)).toBe(0);
  });
});

describe('audio over the WebSocket', () => {
  it('travels as one binary frame: JSON header, then the bytes, which come back as params.pcm', () => {
    const pcm = Uint8Array.from([1, 2, 3, 4, 250, 251]);
    const frame = encodeBinaryRequest(7, 'live.audio', { sessionId: 3, seq: 12 }, pcm);
    expect(frame.byteLength).toBeLessThan(80);
    const decoded = decodeBinaryRequest(frame) as { id: number; method: string; params: { sessionId: number; seq: number; pcm: Uint8Array } };
    expect(decoded).toMatchObject({ id: 7, method: 'live.audio', params: { sessionId: 3, seq: 12 } });
    expect([...decoded.params.pcm]).toEqual([...pcm]);
    expect(decodeBinaryRequest(Uint8Array.from([200, 0, 0, 0, 1]))).toBeNull();
    expect(decodeBinaryRequest(new Uint8Array([2, 0, 0, 0, 0x7b, 0x7d]))).toBeNull();
  });
});
