import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { rangeResponse, type AudioResponse } from './byte-ranges';

/**
 * Formats Chromium (and so Electron) plays in an <audio> element, by extension. Others (WMA, AIFF, AMR,
 * AVI…) are never offered: the player goes straight to the decoded copy instead of failing first.
 */
const PLAYABLE: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  webm: 'audio/webm',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  // QuickTime is MP4's parent format: Chromium reads .mov (H.264/AAC) when it is told it is MP4.
  mov: 'video/mp4',
  mkv: 'video/x-matroska',
};

/**
 * The user's own file as it is, with HTTP ranges: full quality, and seeking reads only what it needs.
 * null when the file is gone (moved, deleted) or not a format a player reads.
 */
export async function originalFile(file: string, rangeHeader: string | undefined): Promise<AudioResponse | null> {
  const mimeType = PLAYABLE[path.extname(file).slice(1).toLowerCase()];
  if (!mimeType) return null;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  return rangeResponse(info.size, mimeType, rangeHeader, (start, end) => createReadStream(file, { start, end }));
}
