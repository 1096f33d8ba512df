import { ApiMethodName, apiRequests, type ApiError, type ApiMethod, type ApiParams, type ApiResult } from '../contracts/api';
import { JobError, oneLine } from './errors';
import type { VerbatimCore } from './verbatim-core';

type Handlers = { [M in ApiMethod]: (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>> };

function handlersFor(core: VerbatimCore): Handlers {
  return {
    'jobs.list': () => core.listJobs(),
    'jobs.cancel': ({ jobId }) => (core.cancel(jobId), null),
    'jobs.retry': async ({ jobId }) => (await core.retry(jobId), null),
    'jobs.clearFinished': () => core.clearFinished(),
    'jobs.setPriority': ({ jobId, priority }) => (core.setPriority(jobId, priority), null),
    'jobs.reorder': ({ jobIds }) => (core.reorder(jobIds), null),
    'queue.state': () => core.queueState(),
    'jobs.setPlacement': ({ jobId, placement }) => (core.setPlacement(jobId, placement), null),
    'media.add': ({ paths, options }) => core.addFiles(paths, options),
    'media.retranscribe': ({ mediaIds, options }) => core.intake.retranscribe(mediaIds, options),
    'media.get': ({ mediaId }) => core.getMedia(mediaId),
    'media.remove': async ({ mediaId }) => (await core.removeMedia(mediaId), null),
    'library.list': ({ sort, descending }) => core.library(sort, descending),
    'transcripts.get': ({ mediaId }) => core.editing.get(mediaId),
    'transcripts.partial': ({ mediaId }) => core.partialTranscript(mediaId),
    'transcripts.export': async ({ mediaIds, format }) => {
      const file = await core.exports.exportTranscripts(mediaIds, format);
      const binary = typeof file.content !== 'string';
      const content = binary ? Buffer.from(file.content).toString('base64') : (file.content as string);
      return { fileName: file.fileName, mimeType: file.mimeType, encoding: binary ? 'base64' : 'utf8', content };
    },
    'transcripts.editSegment': ({ mediaId, segment, text }) => core.editing.editText(mediaId, segment, text),
    'transcripts.setSpeaker': ({ mediaId, segment, speaker, name }) => core.editing.setSpeaker(mediaId, segment, speaker === undefined ? { name: name! } : { speaker }),
    'transcripts.splitSegment': ({ mediaId, segment, word }) => core.editing.split(mediaId, segment, word),
    'transcripts.mergeWithNext': ({ mediaId, segment }) => core.editing.mergeWithNext(mediaId, segment),
    'transcripts.undo': ({ mediaId }) => core.editing.undo(mediaId),
    'transcripts.redo': ({ mediaId }) => core.editing.redo(mediaId),
    'speakers.rename': ({ mediaId, speaker, name }) => core.editing.renameSpeaker(mediaId, speaker, name),
    'speakers.merge': ({ mediaId, from, into }) => core.editing.mergeSpeakers(mediaId, from, into),
    'transcripts.search': ({ query, limit, speaker }) => core.searchTranscripts(query, limit, speaker),
    'speakers.names': () => core.speakerNames(),
    'voices.list': () => core.voices.list(),
    'voices.remember': ({ mediaId, speaker }) => core.speakerVoices.remember(mediaId, speaker),
    'voices.confirm': ({ mediaId, speaker }) => core.speakerVoices.confirm(mediaId, speaker),
    'voices.reject': ({ mediaId, speaker }) => core.speakerVoices.reject(mediaId, speaker),
    'voices.rename': ({ voiceId, name }) => core.voices.rename(voiceId, name),
    'voices.merge': ({ from, into }) => core.voices.merge(from, into),
    'voices.delete': ({ voiceId }) => (core.voices.remove(voiceId), null),
    'models.list': () => core.downloads.list(),
    'models.remove': async ({ id }) => (await core.downloads.remove(id), null),
    'models.download': ({ id }) => (core.downloads.start(id), null),
    'models.cancelDownload': ({ id }) => (core.downloads.cancel(id), null),
    'models.chooseFolder': ({ reset }) => core.chooseStorageFolder(reset),
    'system.devices': () => core.devices(),
    'system.diagnostics': ({ includeNames }) => core.diagnostics(includeNames),
    'live.start': ({ inputLabel }) => core.live.start(inputLabel),
    'live.audio': ({ sessionId, seq, pcm }) => (core.live.audio(sessionId, seq, pcm), null),
    'live.pause': ({ sessionId }) => core.live.pause(sessionId),
    'live.resume': ({ sessionId }) => core.live.resume(sessionId),
    'live.stop': ({ sessionId }) => core.live.stop(sessionId),
    'live.current': () => core.live.current(),
    'live.unfinished': () => core.live.unfinished(),
    'live.finish': ({ sessionId }) => core.live.finish(sessionId),
    'live.discard': ({ sessionId }) => (core.live.discard(sessionId), null),
    'offload.status': () => core.offloadStatus(),
    'updates.status': () => core.updates.status(),
    'updates.check': () => core.updates.check(),
    'updates.restart': () => core.updates.restart(),
    'offload.test': (draft) => core.testPool(draft),
    'offload.connect': (connection) => core.connectPool(connection),
    'settings.get': () => core.getSettings(),
    'settings.update': (patch) => core.updateSettings(patch),
  };
}

export type ApiDispatcher = (method: unknown, params: unknown) => Promise<unknown>;

/**
 * The one entry for requests from any renderer, over any transport: validates the method and its
 * parameters against the contract before anything in the core sees them.
 */
export function createApiDispatcher(core: VerbatimCore): ApiDispatcher {
  const handlers = handlersFor(core);
  return async (method, params) => {
    const name = ApiMethodName.safeParse(method);
    if (!name.success) throw new JobError(`Unknown request ${JSON.stringify(method)}.`, 'invalid-request');
    const parsed = apiRequests[name.data].params.safeParse(params);
    if (!parsed.success) {
      throw new JobError(`Invalid ${name.data} request: ${parsed.error.issues[0]?.message ?? 'bad parameters'}.`, 'invalid-request');
    }
    const handler = handlers[name.data] as (params: unknown) => unknown;
    return handler(parsed.data);
  };
}

export function toApiError(error: unknown): ApiError {
  return { message: oneLine(error), code: error instanceof JobError ? error.code : 'internal' };
}
