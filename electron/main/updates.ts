// The packaged app's updater: electron-updater's autoUpdater for this platform, driven by the core's update
// policy. An unpackaged build (npm start) has no feed to read, and says so in Settings ▸ Updates.
import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { VerbatimCore } from '../../core/verbatim-core';
import { ProxiedHttpExecutor } from '../../core/updates/proxied-http-executor';
import { UpdateService } from '../../core/updates/update-service';

export function startUpdates(core: VerbatimCore, log: (line: string) => void): void {
  if (!app.isPackaged) return;
  // Set before the first check, when the feed's client is made with it: proxy and CAs as model downloads.
  (autoUpdater as unknown as { httpExecutor: ProxiedHttpExecutor }).httpExecutor = new ProxiedHttpExecutor();
  const updates = new UpdateService({
    updater: autoUpdater,
    currentVersion: app.getVersion(),
    settings: () => {
      const { checkForUpdates, updateChannel } = core.getSettings();
      return { enabled: checkForUpdates, channel: updateChannel };
    },
    activity: () => core.updates.activity(),
    log,
  });
  core.updates.attach(updates);
  updates.start();
}
