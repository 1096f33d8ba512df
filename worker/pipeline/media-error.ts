import path from 'node:path';

/** A problem reading the user's file (or storing its audio), described for the user. */
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
      | 'truncated'
      | 'longer-than-stated'
      | 'disk-full',
    message: string,
    /** What ffmpeg or the file system said, for the log: never shown to the user, who gets the sentence above. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

/** ffmpeg or ffprobe itself could not run: the installation's fault, not the file's. */
export class ToolError extends Error {
  readonly code = 'tool-unavailable';
  constructor(tool: string, reason: string) {
    super(
      `Verbatim could not run ${path.basename(tool)} (${reason}); reinstall Verbatim or set VERBATIM_FFMPEG_PATH and VERBATIM_FFPROBE_PATH.`,
    );
    this.name = 'ToolError';
  }
}

/** Turns what the file system and ffmpeg said into one sentence a person can act on. */
export function explainMediaFailure(file: string, cause: unknown, stage: 'probe' | 'decode'): MediaError | ToolError {
  if (cause instanceof MediaError || cause instanceof ToolError) return cause;
  const name = path.basename(file);
  const errno = cause as NodeJS.ErrnoException | undefined;
  if (errno?.syscall?.startsWith('spawn')) return new ToolError(errno.path ?? 'ffmpeg', errno.code ?? 'failed to start');
  const code = errno?.code;
  if (code === 'ENOENT') return new MediaError('not-found', `“${name}” could not be found; it may have been moved or deleted.`);
  if (code === 'EACCES' || code === 'EPERM')
    return new MediaError('no-permission', `Verbatim is not allowed to read “${name}”; check the file's permissions.`);
  if (code === 'EISDIR') return new MediaError('not-a-file', `“${name}” is a folder with no audio or video files in it.`);
  if (code === 'ENOSPC')
    return new MediaError('disk-full', `There is not enough free disk space to decode “${name}”; free some space and retry.`);
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/moov atom not found|end of file|truncat|partial file/i.test(text))
    return new MediaError('damaged', `“${name}” is damaged or incomplete; Verbatim could not read its audio.`, text);
  // What ffprobe cannot make sense of is not media; what it accepted but ffmpeg then choked on is damaged.
  if (stage === 'probe')
    return new MediaError('unrecognised', `“${name}” is not an audio or video format Verbatim can read.`, text);
  return new MediaError('damaged', `“${name}” could not be decoded; the file may be damaged.`, text);
}
