// How a user's file is handed to ffmpeg and ffprobe: as one local file, read by one of a closed list of
// containers, so that nothing the file says can make them open anything else. Playlists (HLS, DASH),
// concat lists, image sequences, SDP, lavfi and the like are never chosen, whatever the file's bytes or
// name claim: a file that looks like one fails its job instead of reading what it points at.
import path from 'node:path';

/**
 * ffmpeg's demuxers for the audio and video containers people record in. None of them follows a
 * reference to another file or URL (the mov demuxer's data references are off by default and stay so).
 */
export const ALLOWED_DEMUXERS: readonly string[] = [
  'wav', 'w64', 'aiff', 'caf', 'au', 'mp3', 'aac', 'ac3', 'eac3', 'flac', 'ogg', 'amr', 'wv',
  'mov', 'matroska', 'asf', 'avi', 'mpeg', 'mpegts', 'flv',
];

/** The name ffprobe gives a format ("mov,mp4,m4a,3gp,3g2,mj2") → the allowed demuxer it is, or null. */
export function allowedDemuxer(formatName: string): string | null {
  const names = formatName.split(',').map((name) => name.trim());
  return names.find((name) => ALLOWED_DEMUXERS.includes(name)) ?? null;
}

/**
 * The options before `-i` (ffmpeg) or before the input (ffprobe), and the input itself: only the
 * `file` protocol (so `concat:`, `subfile,`, `http:`… in a name or inside a container go nowhere),
 * only the allowed demuxers, the one the probe found when known, and the path as a `file:` URL so
 * that no part of the name is read as a protocol or option.
 */
export function mediaInput(file: string, demuxer: string | null): { options: string[]; url: string } {
  return {
    options: ['-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_DEMUXERS.join(','), ...(demuxer ? ['-f', demuxer] : [])],
    url: `file:${path.resolve(file)}`,
  };
}

/** Sample rates and channel counts a real recording can have; beyond them a header is damaged or crafted. */
export const MAX_SAMPLE_RATE = 384_000;
export const MAX_CHANNELS = 64;
