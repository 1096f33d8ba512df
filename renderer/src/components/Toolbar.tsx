import { useState } from 'react';
import { AddFilesButton } from './AddFilesButton';
import { SearchBox } from './SearchBox';
import { SettingsDialog } from './SettingsDialog';

export function Toolbar() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <header className="toolbar">
      <h1 className="brand">Verbatim</h1>
      <SearchBox />
      <div className="toolbar-actions">
        <AddFilesButton />
        <button type="button" className="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </div>
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </header>
  );
}
