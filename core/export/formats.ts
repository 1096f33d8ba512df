import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { DEFAULT_EXPORT_OPTIONS, type ExportFormat, type ExportOptions, type Transcript } from '../../contracts/domain';
import { speakerBlocks, speakerNames } from './speaker-blocks';
import { buildCues, type Cue } from './subtitle-cues';

export interface ExportedFile {
  /** Text formats as UTF-8 text; DOCX as bytes. */
  content: string | Uint8Array;
  mimeType: string;
}

/** An exported file with the name it is offered under. */
export type NamedExport = ExportedFile & { fileName: string };

type Exporter = (transcript: Transcript, source: { fileName: string }, options: ExportOptions) => Promise<ExportedFile> | ExportedFile;
/** An exporter as called: the options default to the app's defaults. */
type Export = (transcript: Transcript, source: { fileName: string }, options?: ExportOptions) => Promise<ExportedFile> | ExportedFile;

const text = (content: string, mimeType: string): ExportedFile => ({ content, mimeType });

/** Every exporter: a transcript in, the file out. Speaker names are the user's, as renamed. */
const formats: Record<ExportFormat, Exporter> = {
  txt: (transcript) => {
    const blocks = speakerBlocks(transcript);
    const labelled = blocks.some((block) => block.speaker !== null);
    // Unlabelled: a line per segment. Labelled: a paragraph per turn, as a script reads.
    const body = blocks.map((block) => (block.speaker === null ? block.text : `${block.speaker}: ${block.text}`)).join(labelled ? '\n\n' : '\n');
    return text(body + (blocks.length ? '\n' : ''), 'text/plain');
  },
  md: (transcript, source, options) => {
    const lines = [`# ${source.fileName}`, ''];
    for (const block of speakerBlocks(transcript)) {
      const time = options.timestamps ? `*[${clock(block.start)}]*` : '';
      lines.push(block.speaker === null ? [time, block.text].filter(Boolean).join(' ') : `**${block.speaker}**${time ? ` ${time}` : ''}  \n${block.text}`, '');
    }
    return text(lines.join('\n'), 'text/markdown');
  },
  srt: (transcript, _source, options) => {
    const cues = labelChanges(buildCues(transcript.segments, options.lineChars), speakerNames(transcript));
    const body = cues.map((cue, index) => `${index + 1}\n${timestamp(cue.start, ',')} --> ${timestamp(cue.end, ',')}\n${cue.lines.join('\n')}\n`).join('\n');
    return text(body, 'application/x-subrip');
  },
  vtt: (transcript, _source, options) => {
    const nameOf = speakerNames(transcript);
    const cues = buildCues(transcript.segments, options.lineChars).map((cue) => {
      const name = nameOf(cue.speaker);
      // WebVTT's voice span: players can style or announce who speaks.
      const lines = name === null ? cue.lines : [`<v ${name.replace(/[<>&]/g, '')}>${cue.lines[0]}`, ...cue.lines.slice(1)];
      return `${timestamp(cue.start, '.')} --> ${timestamp(cue.end, '.')}\n${lines.join('\n')}\n`;
    });
    return text(['WEBVTT', '', ...cues].join('\n'), 'text/vtt');
  },
  json: (transcript, source) =>
    text(
      `${JSON.stringify(
        {
          file: source.fileName,
          language: transcript.language,
          task: transcript.task,
          engine: {
            model: transcript.engine.model,
            provider: transcript.engine.provider,
            fallbacks: transcript.engine.fallbacks,
            ranOn: transcript.engine.ranOn ?? 'local',
          },
          diarization: transcript.diarization,
          durationSec: transcript.durationSec,
          speakers: transcript.speakers,
          // Overlapping turns are kept: two people talking at once both appear here.
          speakerTurns: transcript.turns,
          segments: transcript.segments,
        },
        null,
        2,
      )}\n`,
      'application/json',
    ),
  docx: async (transcript, source, options) => {
    const paragraphs = [new Paragraph({ text: source.fileName, heading: HeadingLevel.HEADING_1 })];
    for (const block of speakerBlocks(transcript)) {
      const runs = options.timestamps ? [new TextRun({ text: `[${clock(block.start)}] `, color: '777777' })] : [];
      if (block.speaker !== null) runs.push(new TextRun({ text: block.speaker, bold: true }));
      // Under the speaker's name, on its own line.
      runs.push(new TextRun({ text: block.text, break: block.speaker === null ? 0 : 1 }));
      paragraphs.push(new Paragraph({ children: runs, alignment: AlignmentType.LEFT, spacing: { after: 200 } }));
    }
    const document = new Document({ creator: 'Verbatim', title: source.fileName, sections: [{ children: paragraphs }] });
    return { content: new Uint8Array(await Packer.toBuffer(document)), mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
  },
};

/**
 * Every format, with the user's export options: without speakers, the transcript is written as if
 * it had no labels (every format already knows that case).
 */
export const exporters = Object.fromEntries(
  Object.entries(formats).map(([format, write]) => [
    format,
    ((transcript, source, options = DEFAULT_EXPORT_OPTIONS) => write(options.speakers ? transcript : withoutSpeakers(transcript), source, options)) satisfies Export,
  ]),
) as Record<ExportFormat, Export>;

function withoutSpeakers(transcript: Transcript): Transcript {
  return {
    ...transcript,
    speakers: [],
    turns: [],
    segments: transcript.segments.map((segment) => ({ ...segment, speaker: null, words: segment.words.map((word) => ({ ...word, speaker: null })) })),
  };
}

/** SRT has no voice markup: a cue where the speaker changes starts with their name. */
function labelChanges(cues: Cue[], nameOf: (speaker: number | null) => string | null): Cue[] {
  let previous: number | null = null;
  return cues.map((cue) => {
    const name = nameOf(cue.speaker);
    const changed = name !== null && cue.speaker !== previous;
    previous = cue.speaker;
    return changed ? { ...cue, lines: [`${name}: ${cue.lines[0]}`, ...cue.lines.slice(1)] } : cue;
  });
}

/** HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (VTT). */
export function timestamp(sec: number, separator: ',' | '.'): string {
  return `${clock(sec)}${separator}${String(Math.max(0, Math.round(sec * 1000)) % 1000).padStart(3, '0')}`;
}

/** HH:MM:SS, for documents. */
function clock(sec: number): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`;
}
