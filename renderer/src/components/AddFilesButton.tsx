import { useRef } from 'react';
import { useJobsStore } from '../stores/jobs-store';

export function AddFilesButton() {
  const addFiles = useJobsStore((state) => state.addFiles);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button primary" onClick={() => input.current?.click()}>
        Add files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept="audio/*,video/*"
        data-testid="file-input"
        aria-label="Add files"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          void addFiles(files);
        }}
      />
    </>
  );
}
