import { protocol } from 'electron';
import { Readable } from 'node:stream';
import type { VerbatimCore } from '../../core/verbatim-core';

/** verbatim-media://original/<mediaId> and verbatim-media://audio/<mediaId> (the decoded copy): the player's sources; the page never sees a file path. */
export const MEDIA_SCHEME = 'verbatim-media';

/** Must run before the app is ready: lets <audio> stream and seek (Range requests) on the scheme. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }]);
}

export function serveMedia(core: VerbatimCore): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const source = ({ original: 'original', audio: 'decoded' } as const)[url.hostname];
    const mediaId = Number(url.pathname.slice(1));
    const answer = source && Number.isInteger(mediaId) && mediaId > 0 ? await core.playback(mediaId, source, request.headers.get('range') ?? undefined) : null;
    if (!answer) return new Response('This recording has no audio to play from there.', { status: 404 });
    return new Response(answer.body ? (Readable.toWeb(answer.body) as ReadableStream) : null, { status: answer.status, headers: answer.headers });
  });
}
