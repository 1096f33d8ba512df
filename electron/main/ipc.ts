import { ipcMain, type BrowserWindow, type WebFrameMain } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcReply } from '../../contracts/api';
import type { JobView } from '../../contracts/domain';
import { overallProgress } from '../../core/queue/overall-progress';
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

  const active = new Map<number, JobView>();
  core.onApiEvent((event, payload) => {
    if (window.isDestroyed()) return;
    window.webContents.send(IPC_EVENT_CHANNEL, event, payload);
    if (event !== 'jobs.changed') return;
    for (const job of (payload as { jobs: JobView[] }).jobs) {
      if (job.state === 'running' || job.state === 'queued') active.set(job.id, job);
      else active.delete(job.id);
    }
    // The dock/taskbar shows the whole queue's progress; -1 removes the bar when nothing is left.
    window.setProgressBar(overallProgress(active.values()) ?? -1);
  });
}
