import { createInterface } from 'node:readline';

/** Hands each line a child process prints to `onLine`: its output goes to the app's log, not lost. */
export function forwardLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => line.trim() && onLine(line));
}
