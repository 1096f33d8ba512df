// The packaged app's updater: electron-updater's autoUpdater for this platform, driven by the core's update
// policy. A build with no feed to read (npm start, or packaged without VERBATIM_UPDATE_URL) says so in Settings ▸ Updates.
import { app } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { autoUpdater } from 'electron-updater';
import type { VerbatimCore } from '../../core/verbatim-core';
import { ProxiedHttpExecutor } from '../../core/updates/proxied-http-executor';
import { UpdateService } from '../../core/updates/update-service';

export function startUpdates(core: VerbatimCore, log: (line: string) => void): void {
  if (!app.isPackaged) return core.updates.unavailable('A build run from the source (npm start) does not update itself.');
  // electron-builder writes the feed's address here only when the build was given one (VERBATIM_UPDATE_URL).
  if (!existsSync(path.join(process.resourcesPath, 'app-update.yml'))) return core.updates.unavailable('This copy of Verbatim was built without an update feed.');
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
