// Copy diagnostics: what a bug report needs about this machine and this app, as plain text, without the
// user's words or files — no transcript text at all, and file names and paths only when the user says so.
import os from 'node:os';
import type { EngineRun } from '../contracts/domain';

export interface DiagnosticsFacts {
  appVersion: string;
  /** "Node 20.20.2", or "Electron 39.1.0 (Node 22…)". */
  runtime: string;
  devices: { order: string[]; lastRun: EngineRun | null };
  modelsInstalled: string[];
  logsDir: string;
  /** The latest problems the log recorded, oldest first. */
  problems: string[];
}

/** File names (“…”) and absolute paths replaced: what happened stays readable, what it happened to does not. */
export function withoutNames(line: string): string {
  return line
    .replace(/“[^”]*”/g, '“(a file)”')
    .replace(/(?:[A-Za-z]:\\|\/)(?:[^\s"'“”:]+[\\/])*[^\s"'“”:,)]*/g, '(a path)');
}

export function diagnosticsText(facts: DiagnosticsFacts, { includeNames }: { includeNames: boolean }): string {
  const named = (text: string): string => (includeNames ? text : withoutNames(text));
  const lastRun = facts.devices.lastRun;
  const cpus = os.cpus();
  const lines = [
    `Verbatim ${facts.appVersion} on ${facts.runtime}`,
    `OS: ${os.type()} ${os.release()} (${process.platform} ${os.arch()})`,
    `CPU: ${cpus[0]?.model?.trim() ?? 'unknown'} × ${cpus.length}; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`,
    `Providers tried, in order: ${facts.devices.order.join(', ')}`,
    lastRun
      ? `Last transcription: ${lastRun.model} on ${lastRun.provider}${lastRun.fallbacks.length ? `; not used: ${lastRun.fallbacks.map((each) => `${each.provider} (${each.reason})`).join('; ')}` : ''}`
      : 'Last transcription: none yet',
    `Models installed: ${facts.modelsInstalled.join(', ') || 'none'}`,
    `Logs: ${named(facts.logsDir)}`,
    facts.problems.length ? 'Latest problems:' : 'Latest problems: none',
    ...facts.problems.map((problem) => `  ${named(problem)}`),
  ];
  return `${lines.join('\n')}\n`;
}
