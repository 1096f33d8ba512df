import { EventEmitter } from 'node:events';
import type { ModelDownload } from '../../contracts/domain';
import type { ModelStatus } from '../../contracts/models';
import type { ModelManager } from './model-manager';

/** Progress is sent at most this often; a state change is sent at once. */
const DOWNLOAD_EVENT_MS = 100;

/** Model downloads the user starts from Settings, in the background, with their progress as events. */
export class ModelDownloads extends EventEmitter<{ 'models.changed': [downloads: ModelDownload[]] }> {
  private readonly downloads = new Map<string, { view: ModelDownload; controller: AbortController }>();
  private lastEvent = 0;

  constructor(private readonly models: ModelManager) {
    super();
  }

  list(): Promise<ModelStatus[]> {
    return this.models.list();
  }

  start(id: string): void {
    const { sizeBytes } = this.models.entry(id);
    if (this.downloads.get(id)?.view.state === 'downloading') return;
    const controller = new AbortController();
    const download = { view: { id, receivedBytes: 0, totalBytes: sizeBytes, state: 'downloading', error: null } as ModelDownload, controller };
    this.downloads.set(id, download);
    const update = (change: Partial<ModelDownload>, force = true): void => {
      download.view = { ...download.view, ...change };
      if (!force && Date.now() - this.lastEvent < DOWNLOAD_EVENT_MS) return;
      this.lastEvent = Date.now();
      this.emit('models.changed', [...this.downloads.values()].map((entry) => entry.view));
    };
    update({});
    this.models.ensure(id, (progress) => update(progress, false), controller.signal).then(
      () => update({ state: 'done', receivedBytes: download.view.totalBytes }),
      (error: unknown) => update(controller.signal.aborted ? { state: 'canceled' } : { state: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
  }

  cancel(id: string): void {
    this.downloads.get(id)?.controller.abort();
  }

  async remove(id: string): Promise<void> {
    await this.models.remove(id);
    this.downloads.delete(id);
  }

  abortAll(): void {
    for (const { controller } of this.downloads.values()) controller.abort();
  }
}
