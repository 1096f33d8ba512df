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

export function uploadStore(context: GatewayContext): FileStore {
  return new FileStore({ directory: context.config.storageDir, configstore: new IoRedisKvStore(context.redis, `${REDIS_PREFIX}:tus:`) });
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
      if (request.method === 'POST') return;
      const upload = await store.getUpload(uploadId).catch(() => null);
      if (!upload || upload.metadata?.tenant !== tenantOf(request)) throw refuse(404, 'There is no such upload.');
    },
    onResponseError: (_request, error) => {
      if (!('status_code' in error) || error.status_code >= 500) context.log.error({ err: error }, 'upload request failed');
      return undefined;
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
