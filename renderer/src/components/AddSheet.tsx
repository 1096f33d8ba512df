import { useJobsStore } from '../stores/jobs-store';
import { useSettingsStore } from '../stores/settings-store';
import { resolveOptions, TranscribeOptionsDialog } from './TranscribeOptionsDialog';

/** The sheet between a drop (or Add files…) and the queue: these files' language, speakers and model. */
export function AddSheet() {
  const paths = useJobsStore((state) => state.pendingAdd);
  const settings = useSettingsStore((state) => state.settings);
  if (!paths || !settings) return null;
  const { add, cancelAdd } = useJobsStore.getState();
  const names = paths.map((file) => file.split(/[\\/]/).pop() ?? file);
  return (
    <TranscribeOptionsDialog
      key={paths.join('\n')}
      title={paths.length === 1 ? 'Transcribe this file' : `Transcribe ${paths.length} files`}
      subject={names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`}
      submitLabel="Transcribe"
      initial={resolveOptions(settings, settings.addOptions)}
      askAgain={settings.askWhenAdding}
      onSubmit={(options, askAgain) => {
        void useSettingsStore.getState().update({ addOptions: options, askWhenAdding: askAgain });
        void add(paths, options);
      }}
      skipLabel="Use Settings"
      onSkip={() => void add(paths)}
      onCancel={cancelAdd}
    />
  );
}
