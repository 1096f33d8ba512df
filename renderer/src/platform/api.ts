import type { VerbatimApi } from '../../../contracts/api';
import { createWebSocketApi } from './websocket-api';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in a plain browser. */
    verbatim?: VerbatimApi;
  }
}

/** The one API object the UI uses, whichever host it runs in. */
export const api: VerbatimApi = window.verbatim ?? createWebSocketApi();
