import { RefreshCw } from 'lucide-react';
import { useState } from 'react';
import type { JobOptions } from '../../../contracts/domain';
import { useJobsStore } from '../stores/jobs-store';
import { useSettingsStore } from '../stores/settings-store';
import { resolveOptions, TranscribeOptionsDialog } from './TranscribeOptionsDialog';

interface TranscribeAgainButtonProps {
  mediaIds: readonly number[];
  /** What the recordings are called, under the dialog's title. */
  subject: string;
  /** How they were made last time (one transcript's language, model and speakers), else Settings. */
  current?: JobOptions;
  /** Whether any of them has edits a new transcript would replace. */
  edited: boolean;
  className?: string;
}

/** Transcribe again…: the same recordings, new language, speakers, model or task. */
export function TranscribeAgainButton({ mediaIds, subject, current = {}, edited, className = 'button ghost small' }: TranscribeAgainButtonProps) {
  const [open, setOpen] = useState(false);
  const settings = useSettingsStore((state) => state.settings);
  return (
    <>
      <button type="button" className={className} disabled={!settings} onClick={() => setOpen(true)}>
        <RefreshCw size={13} aria-hidden /> Transcribe again…
      </button>
      {open && settings && (
        <TranscribeOptionsDialog
          title="Transcribe again"
          subject={subject}
          submitLabel="Transcribe again"
          initial={resolveOptions(settings, current)}
          warning={edited ? 'The new transcript replaces the current one, your edits and speaker names included (Undo cannot bring them back).' : null}
          onSubmit={(options) => {
            setOpen(false);
            void useJobsStore.getState().retranscribe(mediaIds, options);
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </>
  );
}
