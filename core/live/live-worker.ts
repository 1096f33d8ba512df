import { EventEmitter } from 'node:events';
import { FromLiveWorker, type ToLiveWorker } from '../../contracts/live-protocol';
import { watchSilence } from '../supervisor/silence-watch';
import { describeExit, type WorkerHandle, type WorkerSpawner } from '../supervisor/worker-handle';

type Events = {
  message: [message: Exclude<FromLiveWorker, { type: 'ready' | 'heartbeat' }>];
  /** The process ended without being asked to: a crash, or killed for going silent. */
  gone: [reason: string];
};

/**
 * The live-captions process: started on first use, messages held until it is ready, watched by a
 * heartbeat. Restarting after a crash is the recorder's call: it knows whether a recording still needs it.
 */
export class LiveWorkerProcess extends EventEmitter<Events> {
  private handle: WorkerHandle<ToLiveWorker> | undefined;
  private ready = false;
  private held: ToLiveWorker[] = [];
  private lastHeartbeat = 0;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly spawn: WorkerSpawner<ToLiveWorker>,
    private readonly heartbeatTimeoutMs = 10_000,
  ) {
    super();
  }

  get pid(): number | undefined {
    return this.handle?.pid;
  }

  send(message: ToLiveWorker): void {
    const handle = this.handle ?? this.launch();
    if (this.ready) handle.send(message);
    else this.held.push(message);
  }

  /** Ends the process (it holds a model's memory) once no recording needs it. */
  stop(): void {
    const handle = this.handle;
    if (!handle) return;
    this.forget();
    handle.send({ type: 'shutdown' });
    setTimeout(() => handle.kill(), 2_000).unref();
  }

  private launch(): WorkerHandle<ToLiveWorker> {
    const handle = this.spawn();
    this.handle = handle;
    this.ready = false;
    this.lastHeartbeat = Date.now();
    handle.onMessage((raw) => {
      if (this.handle !== handle) return;
      const parsed = FromLiveWorker.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      this.lastHeartbeat = Date.now();
      if (message.type === 'ready') {
        this.ready = true;
        for (const held of this.held.splice(0)) handle.send(held);
      } else if (message.type !== 'heartbeat') this.emit('message', message);
    });
    handle.onExit((exit) => {
      if (this.handle !== handle) return;
      this.forget();
      this.emit('gone', `The live-captions process ${describeExit(exit)}.`);
    });
    this.watchdog = watchSilence(() => this.lastHeartbeat, this.heartbeatTimeoutMs, () => {
      this.forget();
      handle.kill();
      this.emit('gone', `The live-captions process stopped answering for ${Math.round(this.heartbeatTimeoutMs / 1000)} s and was ended.`);
    });
    return handle;
  }

  private forget(): void {
    clearInterval(this.watchdog);
    this.handle = undefined;
    this.ready = false;
    this.held = [];
  }
}
