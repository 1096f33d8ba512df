import { protocol } from 'electron';
import { Readable } from 'node:stream';
import { pcmAsWav } from '../../core/audio/pcm-wav';
import type { VerbatimCore } from '../../core/verbatim-core';

/** verbatim-media://audio/<mediaId>: the player's source; the page never sees a file path. */
export const MEDIA_SCHEME = 'verbatim-media';

/** Must run before the app is ready: lets <audio> stream and seek (Range requests) on the scheme. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }]);
}

export function serveMedia(core: VerbatimCore): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const mediaId = url.hostname === 'audio' ? Number(url.pathname.slice(1)) : NaN;
    const pcm = Number.isInteger(mediaId) && mediaId > 0 ? core.audioFile(mediaId) : null;
    if (!pcm) return new Response('This recording has no decoded audio.', { status: 404 });
    try {
      const { status, headers, body } = await pcmAsWav(pcm, request.headers.get('range') ?? undefined);
      return new Response(body ? (Readable.toWeb(body) as ReadableStream) : null, { status, headers });
    } catch {
      return new Response('This recording has no decoded audio.', { status: 404 });
    }
  });
}
