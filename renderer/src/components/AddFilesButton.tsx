import { FilePlus, FolderPlus } from 'lucide-react';
import { useRef } from 'react';
import { isMediaFileName } from '../../../contracts/media-types';
import { useJobsStore } from '../stores/jobs-store';

/**
 * Add files… and Add folder…: the pickers behind the drop target, for keyboard users and the
 * undecided. `filesOnly`: the one clear action of an empty view.
 */
export function AddFilesButton({ filesOnly = false }: { filesOnly?: boolean }) {
  const addFiles = useJobsStore((state) => state.addFiles);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const take = (input: HTMLInputElement): void => {
    // A picked folder arrives as every file in it (documents, thumbnails…): only its media are added.
    const picked = [...(input.files ?? [])].filter((file) => input !== folder.current || isMediaFileName(file.name));
    input.value = '';
    void addFiles(picked);
  };
  return (
    <>
      <button type="button" className="button primary" onClick={() => files.current?.click()}>
        <FilePlus size={15} aria-hidden /> Add files…
      </button>
      {!filesOnly && (
        <button type="button" className="button" onClick={() => folder.current?.click()}>
          <FolderPlus size={15} aria-hidden /> Add folder…
        </button>
      )}
      <input ref={files} type="file" multiple hidden accept="audio/*,video/*" data-testid={filesOnly ? undefined : 'file-input'} aria-label="Add files" onChange={(event) => take(event.currentTarget)} />
      {!filesOnly && (
        <input
          ref={folder}
          type="file"
          hidden
          data-testid="folder-input"
          aria-label="Add folder"
          {...{ webkitdirectory: '' }}
          onChange={(event) => take(event.currentTarget)}
        />
      )}
    </>
  );
}

