// When the app looks for, takes and installs an update: plain decisions over plain data, so the
// Electron shell only wires them to electron-updater and the tests need neither.
import semver from 'semver';
import type { UpdateChannel } from '../../contracts/updates';

/** Looked for at start and then this often while the app runs. */
export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/** What the app is doing that an installation (which quits it) would cut short. */
export interface Activity {
  recording: boolean;
  /** Jobs transcribing here now. */
  runningJobs: number;
  /** Files being sent to the cloud pool now. */
  uploads: number;
}

/** Why an update may not be installed now, in words for the notice; empty when it may. */
export function installBlockers(activity: Activity): string[] {
  const reasons: string[] = [];
  if (activity.recording) reasons.push('a recording is in progress');
  if (activity.runningJobs > 0) reasons.push(activity.runningJobs === 1 ? 'a file is being transcribed' : `${activity.runningJobs} files are being transcribed`);
  if (activity.uploads > 0) reasons.push(activity.uploads === 1 ? 'a file is being sent to the cloud pool' : `${activity.uploads} files are being sent to the cloud pool`);
  return reasons;
}

/**
 * Whether `offered` may replace `current`: only a newer version, never an older or the same one, and
 * on the stable channel never a pre-release (a beta user gets both; leaving beta keeps the beta until a
 * stable release passes it, rather than going back).
 */
export function acceptable(current: string, offered: string, channel: UpdateChannel): { ok: true } | { ok: false; reason: string } {
  const from = semver.parse(current);
  const to = semver.parse(offered);
  if (!from || !to) return { ok: false, reason: `the version “${offered}” cannot be read` };
  if (!semver.gt(to, from)) return { ok: false, reason: `${offered} is not newer than ${current}` };
  if (channel === 'stable' && to.prerelease.length > 0) return { ok: false, reason: `${offered} is a pre-release, and this app follows stable releases` };
  return { ok: true };
}

/** The feed file a channel reads (electron-updater's names: latest.yml, beta.yml, with -mac/-linux per platform). */
export function feedChannel(channel: UpdateChannel): 'latest' | 'beta' {
  return channel === 'stable' ? 'latest' : 'beta';
}

/** Whether it is time to look again; never while the user has turned updates off. */
export function dueForCheck(now: number, lastCheckedAt: number | null, enabled: boolean): boolean {
  return enabled && (lastCheckedAt === null || now - lastCheckedAt >= CHECK_EVERY_MS);
}

/** One plain sentence for what electron-updater reports as an error. */
export function describeUpdateError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (/sha512 checksum mismatch/i.test(message)) return 'The downloaded update did not match its published checksum, so it was discarded and nothing was installed.';
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') return 'The update feed has no release information for this channel.';
  if (/\b404\b/.test(message) || code === 'HTTP_ERROR_404') return 'The update feed names a file it does not have; nothing was installed.';
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EAI_AGAIN/.test(message)) return 'The update server could not be reached; Verbatim will look again later.';
  if (/certificate|self[- ]signed|UNABLE_TO_VERIFY/i.test(message)) return 'The update server’s certificate is not trusted (behind a proxy that inspects TLS, set NODE_EXTRA_CA_CERTS to its CA).';
  return `The update could not be fetched: ${message.split('\n')[0]!.slice(0, 200)}`;
}
