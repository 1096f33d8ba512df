/** 0:34, 12:05, 1:02:03; with `precise`, hundredths too (0:34.40). */
export function formatClock(totalSec: number, precise = false): string {
  const hundredths = Math.round(totalSec * 100);
  const whole = Math.floor(hundredths / 100);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  const fraction = precise ? `.${String(hundredths % 100).padStart(2, '0')}` : '';
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}${fraction}` : `${m}:${s}${fraction}`;
}

/** "less than a minute", "about 3 min", "about 1 h 20 min". */
export function formatEta(sec: number): string {
  if (sec < 60) return 'less than a minute';
  const minutes = Math.round(sec / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatChannels(channels: number): string {
  if (channels === 1) return 'mono';
  if (channels === 2) return 'stereo';
  return `${channels} channels`;
}

/**
 * ffprobe names a container by its whole family ("mov,mp4,m4a,3gp,3g2,mj2"); the member matching the
 * file's extension is the one a person knows it by.
 */
export function formatContainer(container: string, fileName: string): string {
  const names = container.split(',');
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return names.includes(extension) ? extension : names[0]!;
}

/** "12 Mar 2026, 14:05" in the user's locale. */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
