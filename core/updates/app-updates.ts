import { EventEmitter } from 'node:events';
import type { RunsOn, Stage } from '../../contracts/domain';
import type { UpdateStatus } from '../../contracts/updates';
import { JobError } from '../errors';
import type { Activity } from './update-policy';
import type { UpdateService } from './update-service';

/**
 * The app's updates as the API sees them: the host's UpdateService where it has one (the packaged Electron
 * app), else "off" and why; and what the app is doing, which decides when an update may install.
 */
export class AppUpdates extends EventEmitter<{ changed: [status: UpdateStatus] }> {
  private service: UpdateService | null = null;

  /** Why there is no updater, until one is attached. */
  private none = 'This window updates with the app that serves it; the installed desktop app updates itself.';

  constructor(private readonly sources: { running(): Array<{ runsOn: RunsOn | null; stage: Stage | null }>; recording(): boolean }) {
    super();
  }

  /** The host has no updater to attach, and says why (an unpackaged build, one built without a feed). */
  unavailable(reason: string): void {
    this.none = reason;
  }

  /** The packaged app hands over its updater once the core is open. */
  attach(service: UpdateService): void {
    this.service = service;
    service.on('changed', (status) => this.emit('changed', status));
  }

  activity(): Activity {
    const running = this.sources.running();
    return {
      recording: this.sources.recording(),
      // Work on the pool carries on through a restart; only what runs or is being sent from here would be cut short.
      runningJobs: running.filter((job) => job.runsOn !== 'pool').length,
      uploads: running.filter((job) => job.runsOn === 'pool' && job.stage === 'upload').length,
    };
  }

  /** A job or a recording started or ended. */
  activityChanged(): void {
    this.service?.activityChanged();
  }

  status(): UpdateStatus {
    return this.service?.status ?? { state: 'off', reason: this.none };
  }

  check(): Promise<UpdateStatus> {
    return this.service ? this.service.check() : Promise.resolve(this.status());
  }

  restart(): null {
    if (!this.service) throw new JobError(this.none, 'no-updater');
    this.service.restartToInstall();
    return null;
  }
}
