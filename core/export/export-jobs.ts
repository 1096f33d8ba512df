import type { ExportFormat, ExportOptions } from '../../contracts/domain';
import { JobError } from '../errors';
import type { JobRecord, JobStore } from '../library/job-store';
import type { MediaStore } from '../library/media-store';
import type { TranscriptStore } from '../library/transcript-store';
import type { JobRunner } from '../queue/job-queue';
import { exporters, type NamedExport } from './formats';
import { archiveSelection } from './selection-archive';

interface ExportRequest {
  format: ExportFormat;
  file?: NamedExport;
  settle(outcome: { file: NamedExport } | { error: string }): void;
}

/**
 * Exports as jobs in the light lane, so they never wait behind a transcription. An export lives
 * only as long as the request waiting for it: its job row goes when it settles.
 */
export class ExportJobs {
  private readonly requests = new Map<number, ExportRequest>();

  constructor(private readonly o: { jobs: JobStore; media: MediaStore; transcripts: TranscriptStore; wakeQueue(): void; options(): ExportOptions }) {}

  /** The file for one transcript, or a ZIP of one file each for several. */
  async exportTranscripts(mediaIds: readonly number[], format: ExportFormat): Promise<NamedExport> {
    for (const mediaId of mediaIds) this.exportable(mediaId);
    const files = mediaIds.map(
      (mediaId) =>
        new Promise<NamedExport>((resolve, reject) => {
          const jobId = this.o.jobs.create(mediaId, 'export');
          this.requests.set(jobId, {
            format,
            settle: (outcome) => ('file' in outcome ? resolve(outcome.file) : reject(new JobError(outcome.error, 'export-failed'))),
          });
        }),
    );
    this.o.wakeQueue();
    const done = await Promise.all(files);
    return done.length === 1 ? done[0]! : archiveSelection(done, format);
  }

  readonly runner: JobRunner = async (job) => {
    const request = this.requests.get(job.id);
    if (!request) throw new JobError('Nobody is waiting for this export any more.', 'orphaned');
    request.file = await this.exportTranscript(job.mediaId, request.format);
  };

  /** A transcript as a file's contents, with the file name it would be saved under; `options` default to Settings'. */
  async exportTranscript(mediaId: number, format: ExportFormat, options = this.o.options()): Promise<NamedExport> {
    const media = this.exportable(mediaId);
    const base = media.fileName.replace(/\.[^.]+$/, '') || media.fileName;
    return { fileName: `${base}.${format}`, ...(await exporters[format](this.o.transcripts.get(mediaId)!, media, options)) };
  }

  /** Settles an export whose job ended; false when the job was not an export. */
  finished(job: JobRecord): boolean {
    const request = this.requests.get(job.id);
    if (!request) return false;
    this.requests.delete(job.id);
    this.o.jobs.delete(job.id);
    request.settle(request.file && job.state === 'done' ? { file: request.file } : { error: job.error ?? 'The export was canceled.' });
    return true;
  }

  private exportable(mediaId: number) {
    const media = this.o.media.get(mediaId);
    if (!media) throw new JobError(`There is no media ${mediaId}.`, 'not-found');
    if (!this.o.transcripts.has(mediaId)) throw new JobError(`${media.fileName} has no transcript yet.`, 'not-found');
    return media;
  }
}
