// Resumable uploads (the tus protocol) into the storage every gateway and worker shares. An upload
// is the tenant's own, is checked against the SHA-256 its client stated, and must be audio.
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import { IoRedisKvStore } from '@tus/utils';
import { UPLOADS_PATH, UploadMetadata } from '../../contracts/cloud-api';
import { fileSha256 } from '../../core/content-hash';
import { findUpload, recordUpload, type UploadRecord } from '../db/jobs';
import { ProbeResult, REDIS_PREFIX } from '../queues';
import type { Redis } from 'ioredis';
import type { PoolConfig } from '../config';
import type { GatewayContext } from './context';
import type { RedisLocker } from './redis-locker';

/** Set by the gateway on the raw request after authentication (any value a client sent is dropped first). */
export const TENANT_HEADER = 'x-verbatim-tenant';
const PROBE_TIMEOUT_MS = 60_000;

interface TusRefusal {
  status_code: number;
  body: string;
}

const refuse = (status_code: number, body: string): TusRefusal => ({ status_code, body: `${body}\n` });

export function uploadPath(storageDir: string, uploadId: string): string {
  return path.join(storageDir, path.basename(uploadId));
}

const TUS_KEYS = `${REDIS_PREFIX}:tus:`;

/**
 * The uploads' files and their tus records. With an expiration period, tus tells clients by when an upload must
 * be finished (Upload-Expires); the light worker's sweep deletes what was not (sweepUnfinishedUploads).
 */
export function uploadStore(config: PoolConfig, redis: Redis): FileStore {
  return new FileStore({
    directory: config.storageDir,
    configstore: new IoRedisKvStore(redis, TUS_KEYS),
    expirationPeriodInMilliseconds: config.uploadExpirySec * 1000,
  });
}

/**
 * Deletes uploads older than the expiry that never became usable: unfinished, or finished but never accepted
 * (its finish failed, or its answer was lost and no job asked for it). Accepted ones are the uploads table's.
 */
export async function sweepUnfinishedUploads(config: PoolConfig, store: FileStore, isAccepted: (uploadId: string) => Promise<boolean>): Promise<number> {
  const cutoff = Date.now() - config.uploadExpirySec * 1000;
  let removed = 0;
  // The key-value store lists its keys as Redis holds them, prefix and all.
  for (const key of await store.configstore.list!()) {
    const id = key.startsWith(TUS_KEYS) ? key.slice(TUS_KEYS.length) : key;
    const upload = await store.configstore.get(id).catch(() => undefined);
    const created = upload?.creation_date ? Date.parse(upload.creation_date) : NaN;
    if (!upload || !(created < cutoff)) continue;
    if (upload.size === upload.offset && (await isAccepted(id))) continue;
    await store.remove(id).catch(() => undefined);
    removed += 1;
  }
  return removed;
}

export function uploadServer(context: GatewayContext, store: FileStore, locker: RedisLocker): Server {
  const tenantOf = (request: { headers: Headers }) => request.headers.get(TENANT_HEADER) ?? '';
  return new Server({
    path: UPLOADS_PATH,
    datastore: store,
    locker,
    maxSize: context.config.maxUploadBytes,
    relativeLocation: true,
    onUploadCreate: async (request, upload) => {
      const metadata = UploadMetadata.safeParse(upload.metadata ?? {});
      if (!metadata.success) throw refuse(400, 'Upload-Metadata must carry sha256: the hex SHA-256 of the whole file (and may carry filename).');
      if (upload.sizeIsDeferred) throw refuse(400, 'State the file size (Upload-Length) when the upload starts.');
      return { metadata: { ...upload.metadata, tenant: tenantOf(request) } };
    },
    onIncomingRequest: async (request, uploadId) => {
      // The gateway authenticated the request before tus saw it (POST included): nothing is made or read for no one.
      if (!tenantOf(request)) throw refuse(401, 'Send your pool token as "Authorization: Bearer vbt_…".');
      if (request.method === 'POST') return;
      const upload = await store.getUpload(uploadId).catch(() => null);
      if (!upload || upload.metadata?.tenant !== tenantOf(request)) throw refuse(404, 'There is no such upload.');
    },
    // tus would put an unexpected error's own message in the body: it is logged, and the client gets a sentence.
    onResponseError: (_request, error) => {
      if ('status_code' in error && error.status_code < 500) return undefined;
      context.log.error({ err: error }, 'upload request failed');
      return { status_code: 500, body: 'The pool could not take this upload; try again.\n' };
    },
    onUploadFinish: async (_request, upload) => {
      const finished = await finishUpload(context, store, upload);
      return { headers: { 'Verbatim-Duration-Sec': String(finished.durationSec) } };
    },
  });
}

/**
 * What makes a complete upload usable: its bytes hash to what the client said, and a probe on the
 * light queue finds audio in it. Safe to call again (a finish whose answer was lost).
 */
export async function finishUpload(context: GatewayContext, store: FileStore, upload: Upload): Promise<UploadRecord> {
  const tenantId = upload.metadata?.tenant ?? '';
  if (!tenantId) throw refuse(404, 'There is no such upload.');
  const known = await findUpload(context.db, tenantId, upload.id);
  if (known) return known;
  const metadata = UploadMetadata.parse(upload.metadata);
  const file = uploadPath(context.config.storageDir, upload.id);
  const actual = await fileSha256(file);
  if (actual !== metadata.sha256) {
    await store.remove(upload.id).catch(() => undefined);
    throw refuse(460, `The file that arrived does not match the SHA-256 the client stated (${metadata.sha256.slice(0, 12)}… expected, ${actual.slice(0, 12)}… arrived); upload it again.`);
  }
  // Kept a while after it ends: removed at once, it can vanish before waitUntilFinished looks ("Missing key").
  const job = await context.light.add('probe', { kind: 'probe', uploadId: upload.id }, { removeOnComplete: { age: 600 }, removeOnFail: { age: 600 } });
  const probed = ProbeResult.parse(await job.waitUntilFinished(context.lightEvents, PROBE_TIMEOUT_MS));
  if ('error' in probed) {
    await store.remove(upload.id).catch(() => undefined);
    throw refuse(422, probed.error.message);
  }
  const record: UploadRecord = {
    id: upload.id,
    tenantId,
    filename: metadata.filename ?? null,
    sizeBytes: upload.size ?? upload.offset,
    sha256: actual,
    durationSec: probed.durationSec,
  };
  await recordUpload(context.db, record);
  context.log.info({ uploadId: upload.id, tenant: tenantId, bytes: record.sizeBytes, durationSec: record.durationSec }, 'upload finished');
  return record;
}
