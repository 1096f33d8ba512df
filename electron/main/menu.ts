import { Menu, clipboard, dialog, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { VerbatimCore } from '../../core/verbatim-core';

export function installMenu(core: VerbatimCore, window: BrowserWindow): void {
  const addFiles = async (): Promise<void> => {
    const picked = await dialog.showOpenDialog(window, {
      title: 'Add files',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Audio and video', extensions: ['wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg', 'opus', 'wma', 'mp4', 'mov', 'mkv', 'webm', 'avi'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    if (!picked.canceled && picked.filePaths.length > 0) await core.addFiles(picked.filePaths);
  };
  const addFolder = async (): Promise<void> => {
    const picked = await dialog.showOpenDialog(window, { title: 'Add a folder', properties: ['openDirectory', 'multiSelections'] });
    if (!picked.canceled && picked.filePaths.length > 0) await core.addFiles(picked.filePaths);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: () => void addFiles() },
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => void addFolder() },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Open Logs Folder', click: () => void core.diagnostics(false).then(({ logsDir }) => shell.openPath(logsDir)) },
        // Without file names: what goes into a bug report is the user's to add.
        { label: 'Copy Diagnostics', click: () => void core.diagnostics(false).then(({ text }) => clipboard.writeText(text)) },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
