import { Settings } from 'lucide-react';
import { useState } from 'react';
import { formatClock } from '../format';
import { useLiveStore } from '../live/live-store';
import { AddFilesButton } from './AddFilesButton';
import { SearchBox } from './SearchBox';
import { SettingsDialog } from './SettingsDialog';

export function Toolbar() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const phase = useLiveStore((state) => state.phase);
  const capturedSec = useLiveStore((state) => state.capturedSec);
  const recording = phase === 'recording' || phase === 'paused';
  return (
    <header className="toolbar">
      <h1 className="brand">Verbatim</h1>
      <SearchBox />
      <div className="toolbar-actions">
        {recording ? (
          // Seen from every view: a recording is running, and one click goes back to it.
          <button type="button" className="button recording-indicator" onClick={() => useLiveStore.getState().show(true)} data-testid="recording-indicator" aria-label={`${phase === 'paused' ? 'Paused' : 'Recording'} ${formatClock(capturedSec)}: show the recorder`}>
            <span className={`rec-dot${phase === 'paused' ? ' paused' : ''}`} aria-hidden="true" /> {phase === 'paused' ? 'Paused' : 'Recording'} {formatClock(capturedSec)}
          </button>
        ) : (
          <button type="button" className="button" onClick={() => void useLiveStore.getState().start()} title="Record from the microphone (Ctrl/Cmd+Shift+R)" disabled={phase !== 'idle'}>
            <span className="rec-dot idle" aria-hidden="true" /> Record
          </button>
        )}
        <AddFilesButton />
        <button type="button" className="button" onClick={() => setSettingsOpen(true)}>
          <Settings size={15} aria-hidden /> Settings
        </button>
      </div>
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </header>
  );
}
