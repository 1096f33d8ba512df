import { ipcMain, type BrowserWindow, type WebFrameMain } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcReply } from '../../contracts/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../contracts/ipc-channels';
import { createApiDispatcher, toApiError } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';

/**
 * Connects the renderer to the core. Only our own page may call; every message is validated by
 * the dispatcher against the contract before the core sees it.
 */
export function registerIpc(core: VerbatimCore, window: BrowserWindow, rendererIndex: string): void {
  const dispatch = createApiDispatcher(core);
  // Compare file paths, not URL strings: encodings of spaces, accents and drive letters vary.
  const isTrusted = (frame: WebFrameMain | null): boolean => {
    if (!frame?.url.startsWith('file:')) return false;
    const same = (a: string, b: string) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
    return same(path.resolve(fileURLToPath(frame.url)), path.resolve(rendererIndex));
  };

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, params: unknown): Promise<IpcReply> => {
    if (!isTrusted(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: 'Not allowed.' } };
    try {
      return { ok: true, result: await dispatch(method, params) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  });

  const runningProgress = new Map<number, number>();
  core.on('jobs.changed', (jobs) => {
    if (window.isDestroyed()) return;
    window.webContents.send(IPC_EVENT_CHANNEL, 'jobs.changed', { jobs });
    // The dock/taskbar shows how far the running job is; -1 removes the bar when nothing runs.
    // A running job changes with every progress step, and a finishing one is in its last event.
    for (const job of jobs) {
      if (job.state === 'running') runningProgress.set(job.id, job.progress);
      else runningProgress.delete(job.id);
    }
    window.setProgressBar(runningProgress.size > 0 ? Math.min(...runningProgress.values()) : -1);
  });
}
