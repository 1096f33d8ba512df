import {
  ApiError,
  apiEvents,
  type ApiEvent,
  type ApiEventPayload,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
  encodeBinaryRequest,
  type VerbatimApi,
  type WsServerMessage,
} from '../../../contracts/api';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** The API over the web host's WebSocket: the browser stand-in for Electron's preload bridge. */
export function createWebSocketApi(url = `ws://${location.host}/api/ws`): VerbatimApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  let nextId = 1;
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('Could not reach the Verbatim host.')), { once: true });
  });

  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as WsServerMessage;
    if ('event' in message) {
      const payload = apiEvents[message.event].parse(message.payload);
      listeners.get(message.event)?.forEach((listener) => listener(payload as never));
      return;
    }
    const request = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) request?.resolve(message.result);
    else request?.reject(Object.assign(new Error(ApiError.parse(message.error).message), { code: message.error.code }));
  });
  socket.addEventListener('close', () => {
    for (const request of pending.values()) request.reject(new Error('The connection to Verbatim closed.'));
    pending.clear();
  });

  return {
    async invoke<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      await opened;
      const id = nextId++;
      return new Promise<ApiResult<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        // Audio goes as bytes in a binary frame, not as a JSON array of numbers.
        const { pcm, ...rest } = params as { pcm?: unknown };
        if (pcm instanceof Uint8Array) socket.send(encodeBinaryRequest(id, method, rest, pcm));
        else socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    nativePaths: false,
    audioUrl(mediaId, source) {
      return `/api/media/${mediaId}/${source === 'original' ? 'original' : 'audio.wav'}`;
    },
    async pathsForFiles(files) {
      // A browser cannot see paths, so the host keeps a copy in the library's imports folder.
      return Promise.all(
        files.map(async (file) => {
          const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
          // The host says why in one sentence (too large, the disk full…).
          if (!response.ok) throw new Error((await response.text()) || `Could not import ${file.name}.`);
          return ((await response.json()) as { path: string }).path;
        }),
      );
    },
  };
}
