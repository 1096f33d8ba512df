import { strToU8, zipSync } from 'fflate';
import type { ExportFormat } from '../../contracts/domain';
import type { NamedExport } from './formats';

/**
 * Several transcripts as one download: a ZIP of one file each, so exporting a selection of ten
 * asks where to save once instead of ten times.
 */
export function archiveSelection(files: readonly NamedExport[], format: ExportFormat): NamedExport {
  const entries = Object.fromEntries(uniqueNames(files).map((file) => [file.fileName, typeof file.content === 'string' ? strToU8(file.content) : file.content]));
  return {
    fileName: `Verbatim ${files.length} transcripts (${format.toUpperCase()}).zip`,
    mimeType: 'application/zip',
    content: zipSync(entries, { level: 6 }),
  };
}

/** "Interview.srt" twice in one selection becomes "Interview.srt" and "Interview (2).srt". */
function uniqueNames(files: readonly NamedExport[]): NamedExport[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const count = (seen.get(file.fileName) ?? 0) + 1;
    seen.set(file.fileName, count);
    return count === 1 ? file : { ...file, fileName: file.fileName.replace(/(\.[^.]+)$/, ` (${count})$1`) };
  });
}
