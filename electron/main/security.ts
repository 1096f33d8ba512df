import { app, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Our own page, and nothing else: the renderer's index.html loaded from disk. */
function isAppPage(url: string | undefined, rendererIndex: string): boolean {
  if (!url?.startsWith('file:')) return false;
  const same = (a: string, b: string) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
  return same(path.resolve(fileURLToPath(url.split('#')[0]!.split('?')[0]!)), path.resolve(rendererIndex));
}

/**
 * Locks every window down: no navigation away from the app, no new windows (links open in the
 * user's browser), no downloads but the app's own exports, and one permission — the microphone,
 * audio only, for the app's own page (the recorder); everything else is refused.
 */
export function hardenWebContents(rendererIndex: string): void {
  app.on('web-contents-created', (_, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((contents, permission, grant, details) => {
      const audioOnly = permission === 'media' && 'mediaTypes' in details && (details.mediaTypes ?? []).every((type) => type === 'audio');
      grant(audioOnly && isAppPage(details.requestingUrl ?? contents.getURL(), rendererIndex));
    });
    session.defaultSession.setPermissionCheckHandler((_, permission, requestingOrigin, details) => {
      if (permission !== 'media' || ('mediaType' in details && details.mediaType !== 'audio' && details.mediaType !== undefined)) return false;
      // file:// pages have an opaque origin; the frame's URL says whose page it is.
      return isAppPage(details.requestingUrl ?? requestingOrigin, rendererIndex);
    });
    // Exports are blobs the page itself made (Electron then asks where to save); nothing else downloads.
    session.defaultSession.on('will-download', (event, item) => {
      if (!item.getURL().startsWith('blob:')) event.preventDefault();
    });
  });
}
