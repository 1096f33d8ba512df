import { useCallback, useRef, useState } from 'react';
import { useDismissOutside } from './use-dismiss';
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from '../../../contracts/domain';
import { useSettingsStore } from '../stores/settings-store';

/** Options…: how every export is written (kept in Settings, so the next export uses them too). */
export function ExportOptionsButton() {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const options = useSettingsStore((state) => state.settings?.exportOptions ?? DEFAULT_EXPORT_OPTIONS);
  const save = (patch: Partial<ExportOptions>): void => void useSettingsStore.getState().update({ exportOptions: { ...options, ...patch } });
  const close = useCallback(() => setOpen(false), []);
  useDismissOutside(open, [box], close);
  return (
    <div
      className="export-options"
      ref={box}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button type="button" className="button ghost small" aria-expanded={open} aria-controls="export-options" onClick={() => setOpen(!open)}>
        Options…
      </button>
      {open && (
        <div className="popover export-popover" id="export-options" role="group" aria-label="Export options">
          <label className="menu-check">
            <input type="checkbox" checked={options.speakers} onChange={(event) => save({ speakers: event.target.checked })} /> Speaker names
          </label>
          <label className="menu-check">
            <input type="checkbox" checked={options.timestamps} onChange={(event) => save({ timestamps: event.target.checked })} /> Times in documents (Markdown, DOCX)
          </label>
          <label className="menu-check">
            Subtitle line length{' '}
            <input
              type="number"
              className="count"
              min={20}
              max={80}
              value={options.lineChars}
              onChange={(event) => {
                const chars = Math.round(Number(event.target.value));
                if (chars >= 20 && chars <= 80) save({ lineChars: chars });
              }}
            />{' '}
            characters
          </label>
        </div>
      )}
    </div>
  );
}
