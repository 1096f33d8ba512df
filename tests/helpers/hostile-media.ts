// Hostile and malformed media: files that try to make ffmpeg read something else (playlists of every kind,
// concat lists, polyglots, SDP, protocols in names), headers that lie (absurd rates and channel counts, a length
// far shorter than the audio), and plain garbage. Each must fail its own job with a sentence; none may bring in
// a word of the canary, a real recording kept outside the folder the files are in.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpeg, probeDuration, sharedAudio } from './media';

/** The canary: real speech whose words must never appear in any transcript made from the hostile files. */
export const CANARY_SOURCE = path.join(sharedAudio, 'read-speech/wav/LJ001-0003.wav');
export const CANARY_WORDS = ['chinese', 'woodcutters', 'netherlands', 'engraved', 'centuries'];

export interface Canary {
  dir: string;
  wav: string;
  mp3: string;
  ts: string;
}

/** The canary as WAV, MP3 and MPEG-TS (what an HLS segment may be), in a folder of its own. */
export function makeCanary(dir: string): Canary {
  mkdirSync(dir, { recursive: true });
  const wav = path.join(dir, 'canary.wav');
  copyFileSync(CANARY_SOURCE, wav);
  const mp3 = path.join(dir, 'canary.mp3');
  ffmpeg('-i', wav, '-c:a', 'libmp3lame', '-b:a', '64k', mp3);
  const ts = path.join(dir, 'canary.ts');
  ffmpeg('-i', wav, '-c:a', 'aac', '-f', 'mpegts', ts);
  return { dir, wav, mp3, ts };
}

/** How the files name the one they point at: its absolute path, and its path relative to where they will be read. */
export interface Targets {
  absolute(kind: 'wav' | 'mp3' | 'ts'): string;
  relative(kind: 'wav' | 'mp3' | 'ts'): string;
}

/** On the desktop: the canary, by its path and by a path from the corpus folder. */
export function canaryTargets(canary: Canary, dir: string): Targets {
  return { absolute: (kind) => canary[kind], relative: (kind) => path.relative(dir, canary[kind]) };
}

/** The corpus in `dir`: each file's name is what it arrives as. */
export function makeHostileCorpus(dir: string, targets: Targets): string[] {
  const target = targets.absolute;
  mkdirSync(dir, { recursive: true });
  const files: Array<[string, string | Buffer]> = [];
  // Text files end with their own name: the library matches files by content, and each must be a job of its own.
  const add = (name: string, bytes: string | Buffer) =>
    files.push([name, typeof bytes === 'string' ? `${bytes}${bytes.startsWith('<?xml') ? `<!-- ${name} -->` : `# ${name}`}\n` : bytes]);
  // The canary's own length, so that a player that followed the playlist would read all of it without complaint.
  const seconds = probeDuration(CANARY_SOURCE).toFixed(3);
  const hls = (segment: string) => `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:15\n#EXTINF:${seconds},\n${segment}\n#EXT-X-ENDLIST\n`;
  const tone = toneMp3(dir);

  // Playlists: HLS by absolute path, relative path, file: URL, as a master playlist, with a key, under audio names.
  add('hls-absolute.m3u8', hls(target('ts')));
  add('hls-relative.m3u8', hls(targets.relative('mp3')));
  add('hls-file-url.m3u8', hls(`file://${target('ts')}`));
  add('hls-master.m3u8', `#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=64000\nhls-absolute.m3u8\n`);
  add('hls-key.m3u8', `#EXTM3U\n#EXT-X-TARGETDURATION:15\n#EXT-X-KEY:METHOD=AES-128,URI="file://${target('wav')}"\n#EXTINF:${seconds},\n${target('ts')}\n#EXT-X-ENDLIST\n`);
  add('interview.wav', hls(target('ts')));
  add('voice-memo.m4a', hls(targets.relative('ts')));
  // The polyglot the attack used: a playlist first, real MP3 frames after it.
  add('polyglot-hls.mp3', Buffer.concat([Buffer.from(hls(target('ts'))), tone]));
  // Concat lists: absolute, relative, through the subfile and concat protocols, and as a polyglot.
  add('concat-absolute.wav', `ffconcat version 1.0\nfile ${target('wav')}\n`);
  add('concat-relative.mp3', `ffconcat version 1.0\nfile '${targets.relative('wav')}'\n`);
  add('concat-subfile.ogg', `ffconcat version 1.0\nfile 'subfile,,start,0,end,0,,:${target('wav')}'\n`);
  add('concat-protocol.flac', `ffconcat version 1.0\nfile 'concat:${target('mp3')}|${target('mp3')}'\n`);
  add('polyglot-concat.mp3', Buffer.concat([Buffer.from(`ffconcat version 1.0\nfile ${target('mp3')}\n`), tone]));
  // DASH manifests pointing at the canary, and SDP (which opens network sockets).
  add('manifest.mp4', dash(`file://${path.dirname(target('mp3'))}/`, path.basename(target('mp3'))));
  add('meeting.webm', dash('', targets.relative('mp3')));
  add('call.wav', 'v=0\no=- 0 0 IN IP4 127.0.0.1\ns=call\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 5004 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n');
  // Protocols and options in a file's own name: read as a file, never as what the name says.
  add(`concat:${targets.relative('wav').replaceAll('/', '_')}|x.wav`, 'not audio\n');
  add('subfile,,start,0,end,0,,:canary.wav', 'not audio\n');
  // Lying headers: absurd rates and channel counts, and a short stated length over a long stream (a decompression bomb).
  add('rate-4ghz.wav', wavHeader({ sampleRate: 0xfffffff0, channels: 1 }));
  add('rate-zero.wav', wavHeader({ sampleRate: 0, channels: 1 }));
  add('channels-65535.wav', wavHeader({ sampleRate: 16_000, channels: 65_535 }));
  add('bomb.mka', matroskaStating(dir, 2, 90));
  // Damaged and fuzzed: cut headers, zeroed magic, random bytes, pictures and text under audio names.
  add('header-only.wav', wavHeader({ sampleRate: 16_000, channels: 1 }).subarray(0, 20));
  add('cut-index.m4a', cutIndex(dir));
  add('fuzzed-chunk.wav', fuzzedChunk());
  add('random.opus', pseudoRandom(64 * 1024, 26));
  add('picture.mp3', png());
  add('subtitles.m4a', '1\n00:00:01,000 --> 00:00:04,000\nChinese woodcutters of the Netherlands\n');
  add('ansi-art.aac', `\u001b[31m${'█'.repeat(2000)}\u001b[0m\n`);

  for (const [name, bytes] of files) writeFileSync(path.join(dir, name), bytes);
  return files.map(([name]) => path.join(dir, name));
}

function dash(baseUrl: string, media: string): string {
  return `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT9S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
  ${baseUrl ? `<BaseURL>${baseUrl}</BaseURL>` : ''}
  <Period><AdaptationSet mimeType="audio/mpeg"><Representation id="a" bandwidth="64000"><BaseURL>${media}</BaseURL></Representation></AdaptationSet></Period>
</MPD>
`;
}

/** A 44-byte PCM WAV header with the given rate and channel count, and a second of zeros after it. */
function wavHeader({ sampleRate, channels }: { sampleRate: number; channels: number }): Buffer {
  const data = 32_000;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE((sampleRate * channels * 2) >>> 0, 28);
  header.writeUInt16LE((channels * 2) & 0xffff, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

function toneMp3(dir: string): Buffer {
  const file = path.join(dir, '.tone.mp3');
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=300:duration=3', '-c:a', 'libmp3lame', '-b:a', '64k', '-write_xing', '0', '-id3v2_version', '0', file);
  return readFileSync(file);
}

/** `actualSec` of noise as Opus in Matroska whose Segment Duration says `statedSec` (a header written to look small). */
export function matroskaStating(dir: string, statedSec: number, actualSec: number): Buffer {
  const file = path.join(dir, `.noise-${actualSec}.mka`);
  ffmpeg('-f', 'lavfi', '-i', `anoisesrc=duration=${actualSec}:amplitude=0.1`, '-c:a', 'libopus', '-b:a', '24k', file);
  const bytes = readFileSync(file);
  // EBML element Duration (0x4489), 8-byte float, in the segment's timescale (milliseconds).
  const at = bytes.indexOf(Buffer.from([0x44, 0x89, 0x88]));
  if (at < 0) throw new Error('no Duration element in the Matroska file');
  bytes.writeDoubleBE(statedSec * 1000, at + 3);
  return bytes;
}

/** An M4A whose index (written last) is cut off. */
function cutIndex(dir: string): Buffer {
  const file = path.join(dir, '.tone.m4a');
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=300:duration=5', '-c:a', 'aac', file);
  const bytes = readFileSync(file);
  return bytes.subarray(0, Math.floor(bytes.length * 0.6));
}

/** A WAV whose format chunk claims to be 4 GB long. */
function fuzzedChunk(): Buffer {
  const bytes = wavHeader({ sampleRate: 16_000, channels: 1 });
  bytes.writeUInt32LE(0xfffffff0, 16);
  return bytes;
}

/** Deterministic noise (a linear congruential generator): the same bytes on every run. */
function pseudoRandom(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** A 1×1 PNG. */
function png(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
}
