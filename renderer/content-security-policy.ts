/**
 * The app window's Content Security Policy: only the app's own files, no inline script, no remote
 * anything. Served as a header by the web host and by Electron, and as a meta tag in index.html.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: verbatim-media:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
