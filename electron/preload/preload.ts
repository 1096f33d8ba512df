// Runs sandboxed, before the page, with contextIsolation: the page gets exactly one object,
// `window.verbatim`, and no other way into Electron or Node.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { IpcReply, VerbatimApi } from '../../contracts/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../contracts/ipc-channels';

const api: VerbatimApi = {
  async invoke(method, params) {
    const reply = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, params)) as IpcReply;
    if (reply.ok) return reply.result as never;
    throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  },
  on(event, listener) {
    const forward = (_: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
  nativePaths: true,
  audioUrl(mediaId, source) {
    return `verbatim-media://${source === 'original' ? 'original' : 'audio'}/${mediaId}`;
  },
  async pathsForFiles(files) {
    return files.map((file) => webUtils.getPathForFile(file)).filter((path) => path !== '');
  },
};

contextBridge.exposeInMainWorld('verbatim', api);
