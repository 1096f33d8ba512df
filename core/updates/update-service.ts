import { EventEmitter } from 'node:events';
import type { AppUpdater, UpdateInfo } from 'electron-updater';
import type { UpdateChannel, UpdateStatus } from '../../contracts/updates';
import { JobError } from '../errors';
import { acceptable, dueForCheck, describeUpdateError, feedChannel, installBlockers, type Activity } from './update-policy';

/** How often it asks whether a check is due, and whether what blocked an installation has ended. */
const TICK_MS = 5 * 60 * 1000;

export interface UpdateServiceOptions {
  /** electron-updater's updater for this platform (autoUpdater in the app; a DebUpdater over a test feed in tests). */
  updater: AppUpdater;
  currentVersion: string;
  settings(): { enabled: boolean; channel: UpdateChannel };
  activity(): Activity;
  log(message: string): void;
  now?: () => number;
}

/**
 * The update policy applied to electron-updater: look at start and every few hours, download in the
 * background only a version the policy accepts (newer, and no pre-release on stable; electron-updater
 * checks its sha512), install when the app quits — never while that would cut short a recording, a job
 * or an upload — or at once when the user presses Restart, if nothing is under way.
 */
export class UpdateService extends EventEmitter<{ changed: [status: UpdateStatus] }> {
  private current: UpdateStatus = { state: 'idle', checkedAt: null, note: null };
  private lastCheckedAt: number | null = null;
  private ready: UpdateInfo | null = null;
  private checking: Promise<UpdateStatus> | null = null;

  constructor(private readonly o: UpdateServiceOptions) {
    super();
    const { updater } = o;
    // The policy decides what is downloaded and when it is installed.
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    const log = (message: unknown): void => o.log(`[updates] ${String(message)}`);
    updater.logger = { info: log, warn: log, error: log, debug: () => undefined };
    updater.on('download-progress', (progress) => {
      if (this.current.state === 'downloading') this.set({ ...this.current, percent: Math.min(100, progress.percent) });
    });
  }

  get status(): UpdateStatus {
    return this.current;
  }

  start(): void {
    void this.checkIfDue();
    setInterval(() => void this.checkIfDue(), TICK_MS).unref();
  }

  /** Looks for an update now (Settings ▸ Check now, and the timer), downloading one the policy accepts. */
  check(): Promise<UpdateStatus> {
    this.checking ??= this.run().finally(() => (this.checking = null));
    return this.checking;
  }

  /**
   * A recording, job or upload started or ended: whether quitting may install the update changes with it.
   * Called on every change to the queue, so it says something only when that answer does.
   */
  activityChanged(): void {
    if (!this.ready || !this.o.settings().enabled) return;
    const blockedBy = installBlockers(this.o.activity());
    this.o.updater.autoInstallOnAppQuit = blockedBy.length === 0;
    if (this.current.state === 'ready' && this.current.blockedBy.join('\n') === blockedBy.join('\n')) return;
    this.set({ state: 'ready', version: this.ready.version, notes: releaseNotes(this.ready), blockedBy });
  }

  /** Restart now and install; refused, saying why, while that would cut work short. */
  restartToInstall(): void {
    if (!this.ready) throw new JobError('No update is ready to install.', 'no-update');
    const blockedBy = installBlockers(this.o.activity());
    if (blockedBy.length) throw new JobError(`The update installs once nothing is under way: ${blockedBy.join(', ')}.`, 'busy');
    this.o.updater.quitAndInstall(false, true);
  }

  private async checkIfDue(): Promise<void> {
    const { enabled } = this.o.settings();
    if (!enabled || (!this.ready && dueForCheck(this.now(), this.lastCheckedAt, enabled))) await this.check();
  }

  private async run(): Promise<UpdateStatus> {
    const { enabled, channel } = this.o.settings();
    if (!enabled) {
      // Turned off after a download: that update does not install at quit either.
      this.o.updater.autoInstallOnAppQuit = false;
      return this.set({ state: 'off', reason: 'Updates are turned off in Settings.' });
    }
    if (this.ready) {
      this.activityChanged();
      return this.current;
    }
    const { updater, currentVersion, log } = this.o;
    // Setting the channel lets electron-updater go back a version; this app never does.
    updater.channel = feedChannel(channel);
    updater.allowPrerelease = channel === 'beta';
    updater.allowDowngrade = false;
    this.lastCheckedAt = this.now();
    this.set({ state: 'checking' });
    try {
      const result = await updater.checkForUpdates();
      if (!result?.isUpdateAvailable) return this.set({ state: 'idle', checkedAt: this.lastCheckedAt, note: result ? null : 'Updates are looked for in the installed app only.' });
      const offered = result.updateInfo;
      const verdict = acceptable(currentVersion, offered.version, channel);
      if (!verdict.ok) {
        log(`[updates] not taking ${offered.version}: ${verdict.reason}`);
        return this.set({ state: 'idle', checkedAt: this.lastCheckedAt, note: `Not taken: ${verdict.reason}.` });
      }
      this.set({ state: 'downloading', version: offered.version, percent: 0 });
      await updater.downloadUpdate();
      log(`[updates] ${offered.version} downloaded and verified; it installs when Verbatim quits`);
      this.ready = offered;
      this.activityChanged();
      return this.current;
    } catch (error) {
      log(`[updates] ${error instanceof Error ? error.message : String(error)}`);
      return this.set({ state: 'error', message: describeUpdateError(error), checkedAt: this.lastCheckedAt });
    }
  }

  private set(status: UpdateStatus): UpdateStatus {
    this.current = status;
    this.emit('changed', status);
    return status;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

function releaseNotes(info: UpdateInfo): string | null {
  const notes = info.releaseNotes;
  if (!notes) return null;
  const text = typeof notes === 'string' ? notes : notes.map((note) => note.note ?? '').join('\n\n');
  // Feeds carry HTML; the notice shows text.
  return text.replace(/<[^>]*>/g, '').trim() || null;
}
