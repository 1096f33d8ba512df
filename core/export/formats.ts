import type { ExportFormat, Transcript } from '../../contracts/domain';
import { buildCues } from './subtitle-cues';

/** Every exporter: a transcript in, the file's text out. */
export const exporters: Record<ExportFormat, (transcript: Transcript, source: { fileName: string }) => string> = {
  txt: (transcript) => transcript.segments.map((segment) => segment.text).join('\n') + (transcript.segments.length ? '\n' : ''),
  srt: (transcript) =>
    buildCues(transcript.segments)
      .map((cue, index) => `${index + 1}\n${timestamp(cue.start, ',')} --> ${timestamp(cue.end, ',')}\n${cue.lines.join('\n')}\n`)
      .join('\n'),
  vtt: (transcript) =>
    ['WEBVTT', '', ...buildCues(transcript.segments).map((cue) => `${timestamp(cue.start, '.')} --> ${timestamp(cue.end, '.')}\n${cue.lines.join('\n')}\n`)].join(
      '\n',
    ),
  json: (transcript, source) =>
    `${JSON.stringify(
      {
        file: source.fileName,
        language: transcript.language,
        task: transcript.task,
        model: transcript.engine.model,
        provider: transcript.engine.provider,
        providerFallbacks: transcript.engine.fallbacks,
        durationSec: transcript.durationSec,
        segments: transcript.segments,
      },
      null,
      2,
    )}\n`,
};

/** HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (VTT). */
export function timestamp(sec: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}
