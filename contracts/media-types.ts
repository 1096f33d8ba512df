/** Extensions of files ffmpeg usually reads as audio or video: what a dropped or picked folder contributes. */
export const MEDIA_EXTENSIONS: readonly string[] = [
  'wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg', 'oga', 'opus', 'wma', 'aif', 'aiff', 'amr', 'caf',
  'mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'wmv', 'mpg', 'mpeg', '3gp', 'ts', 'mts',
];

export function isMediaFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && MEDIA_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase());
}
