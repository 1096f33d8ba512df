import path from 'node:path';

/** A problem with the user's file, described for the user. */
export class MediaError extends Error {
  constructor(
    readonly code:
      | 'not-found'
      | 'not-a-file'
      | 'no-permission'
      | 'empty'
      | 'unrecognised'
      | 'no-audio'
      | 'damaged'
      | 'truncated',
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

/** Turns what the file system and ffmpeg said into one sentence a person can act on. */
export function explainMediaFailure(file: string, cause: unknown): MediaError {
  if (cause instanceof MediaError) return cause;
  const name = path.basename(file);
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new MediaError('not-found', `“${name}” could not be found; it may have been moved or deleted.`);
  if (code === 'EACCES' || code === 'EPERM')
    return new MediaError('no-permission', `Verbatim is not allowed to read “${name}”; check the file's permissions.`);
  if (code === 'EISDIR') return new MediaError('not-a-file', `“${name}” is a folder, not a media file.`);
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/moov atom not found|end of file|truncat|partial file/i.test(text))
    return new MediaError('damaged', `“${name}” is damaged or incomplete; Verbatim could not read its audio.`);
  if (/invalid data found|could not find codec|unknown format|not supported/i.test(text))
    return new MediaError('unrecognised', `“${name}” is not an audio or video format Verbatim can read.`);
  return new MediaError('damaged', `“${name}” could not be decoded; the file may be damaged.`);
}
