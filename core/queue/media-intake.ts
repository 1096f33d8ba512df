import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { AddOutcome, JobOptions } from '../../contracts/domain';
import { identifyFile } from '../content-hash';
import { JobError } from '../errors';
import type { JobStore } from '../library/job-store';
import type { MediaStore } from '../library/media-store';
import { expandFolders } from '../media-files';
import type { JobQueue } from './job-queue';

interface IntakeDeps {
  media: MediaStore;
  jobs: JobStore;
  queue: JobQueue;
  /** A job to show as changed in the queue. */
  mark(jobId: number): void;
  /** Recordings added or queued again: lists are stale. */
  changed(mediaIds: number[]): void;
}

/** How recordings come into the queue: added (once per content) or transcribed again with new options. */
export class MediaIntake {
  constructor(private readonly d: IntakeDeps) {}

  /**
   * Adds files (folders: their media files) and queues each. A file already in the library keeps
   * its media and job and is reported as a duplicate; one whose job failed or was canceled is tried
   * again, with `options` when given.
   */
  async add(paths: readonly string[], options?: JobOptions): Promise<AddOutcome[]> {
    const { d } = this;
    const outcomes: AddOutcome[] = [];
    for (const file of await expandFolders(paths.map((given) => path.resolve(given)))) {
      const identity = await identifyFile(file);
      const { id: mediaId, created } = d.media.upsert({ path: file, contentHash: identity.ok ? identity.sha256 : null, sizeBytes: identity.ok ? identity.sizeBytes : null });
      const latest = created ? undefined : d.jobs.latestFor(mediaId, 'process-media');
      let jobId: number;
      if (!latest) {
        jobId = d.jobs.create(mediaId, 'process-media', options);
      } else {
        jobId = latest.id;
        if (latest.state === 'failed' || latest.state === 'canceled') {
          if (options) d.jobs.setOptions(jobId, options);
          d.queue.retry(jobId);
        }
      }
      d.mark(jobId);
      outcomes.push({ path: file, mediaId, jobId, duplicate: !created });
    }
    d.queue.wake();
    if (outcomes.length) d.changed(outcomes.map((outcome) => outcome.mediaId));
    return outcomes;
  }

  /**
   * Retry runs the file as it is now: fixed, re-exported or replaced since it was added, the recording
   * becomes its new content. A file that cannot be read now is left as it was; its run says why.
   */
  async retry(job: { id: number; mediaId: number; contentHash: string | null }): Promise<void> {
    const { d } = this;
    const detail = d.media.get(job.mediaId);
    const identity = detail && (await identifyFile(detail.path));
    if (identity?.ok && identity.sha256 !== job.contentHash) {
      const { pcmPath } = d.media.replaceContent(job.mediaId, { contentHash: identity.sha256, sizeBytes: identity.sizeBytes });
      if (pcmPath) await rm(pcmPath, { force: true });
      d.changed([job.mediaId]);
    }
    d.queue.retry(job.id);
  }

  /**
   * Queues recordings again with `options`. A recording still waiting takes them; one being
   * transcribed right now refuses (its result would race the new one), before anything changes.
   */
  retranscribe(mediaIds: readonly number[], options: JobOptions): AddOutcome[] {
    const { d } = this;
    const media = mediaIds.map((mediaId) => {
      const detail = d.media.get(mediaId);
      if (!detail) throw new JobError(`There is no media ${mediaId}.`, 'not-found');
      const latest = d.jobs.latestFor(mediaId, 'process-media');
      if (latest?.state === 'running') throw new JobError(`“${detail.fileName}” is being transcribed right now: wait for it, or cancel it first.`, 'busy');
      return { mediaId, path: detail.path, latest };
    });
    const outcomes = media.map(({ mediaId, path: file, latest }) => {
      let jobId: number;
      if (latest?.state === 'queued') {
        jobId = latest.id;
        d.jobs.setOptions(jobId, options);
      } else jobId = d.jobs.create(mediaId, 'process-media', options);
      d.mark(jobId);
      return { path: file, mediaId, jobId, duplicate: true };
    });
    d.queue.wake();
    d.changed(outcomes.map((outcome) => outcome.mediaId));
    return outcomes;
  }
}
