import { app, session, shell } from 'electron';

/**
 * Locks every window down: no navigation away from the app, no new windows (links open in the
 * user's browser), no permissions the app does not need, no downloads but the app's own exports.
 */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_, __, grant) => grant(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    // Exports are blobs the page itself made (Electron then asks where to save); nothing else downloads.
    session.defaultSession.on('will-download', (event, item) => {
      if (!item.getURL().startsWith('blob:')) event.preventDefault();
    });
  });
}
