/** Extensions of files ffmpeg usually reads as audio or video: what a dropped or picked folder contributes. */
const VIDEO_EXTENSIONS: readonly string[] = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'wmv', 'mpg', 'mpeg', '3gp', 'ts', 'mts'];
export const MEDIA_EXTENSIONS: readonly string[] = ['wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg', 'oga', 'opus', 'wma', 'aif', 'aiff', 'amr', 'caf', ...VIDEO_EXTENSIONS];

function extension(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : null;
}

export function isMediaFileName(name: string): boolean {
  return MEDIA_EXTENSIONS.includes(extension(name) ?? '');
}

/** A video container: the player shows its picture. */
export function isVideoFileName(name: string): boolean {
  return VIDEO_EXTENSIONS.includes(extension(name) ?? '');
}
