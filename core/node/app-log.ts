// The app's log files: one JSON line per event (pino) in the library's logs folder, rolled over at 5 MB
// as logrotate does (verbatim.log, then verbatim.log.1 … .4; rotating-file-stream, which rolls between
// writes, so a line is never split across two files). What the core, the engine process (its output,
// forwarded) and the web host say all goes here.
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { createStream } from 'rotating-file-stream';

const ROLL_SIZE = '5M';
/** Rolled-over files kept beside the current one. */
const ROLLED_KEPT = 4;
/** Problems kept in memory for Copy diagnostics. */
const RECENT_PROBLEMS = 30;
/** Lines that say something went wrong: the log's "warn" level and what diagnostics lists. */
const PROBLEM = /\b(fail|failed|crash|crashed|error|killed|invalid|refused|timed out|gave up|missed)\b/i;

export interface AppLog {
  readonly dir: string;
  /** One line from any part of the app; `source` says which (core, worker, web-host). */
  write(message: string, source?: string): void;
  /** The latest problem lines, oldest first, with their times. */
  recentProblems(): string[];
  close(): Promise<void>;
}

export function openAppLog(dir: string): AppLog {
  mkdirSync(dir, { recursive: true });
  const stream = createStream('verbatim.log', { path: dir, size: ROLL_SIZE, rotate: ROLLED_KEPT });
  const logger = pino({ base: { pid: process.pid } }, stream);
  const problems: string[] = [];
  return {
    dir,
    write(message, source = 'core') {
      const problem = PROBLEM.test(message);
      logger[problem ? 'warn' : 'info']({ source }, message);
      if (!problem) return;
      problems.push(`${new Date().toISOString()} ${source}: ${message}`);
      if (problems.length > RECENT_PROBLEMS) problems.shift();
    },
    recentProblems: () => [...problems],
    close: () =>
      new Promise((resolve) => {
        stream.once('finish', () => resolve());
        stream.end();
      }),
  };
}
