import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { isMediaFileName } from '../../../contracts/media-types';
import { api } from '../platform/api';
import { useJobsStore } from '../stores/jobs-store';

/** The whole window accepts dropped files and folders; an overlay says so while something is dragged over it. */
export function DropZone({ children }: { children: ReactNode }) {
  const addFiles = useJobsStore((state) => state.addFiles);
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child element crossed; count them to know when we really left.
  const depth = useRef(0);

  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

  return (
    <div
      className="drop-zone"
      data-testid="drop-zone"
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth.current = 0;
        setDragging(false);
        // Both must be read now: the drop's data is gone once this handler returns.
        const files = [...event.dataTransfer.files];
        const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry?.() ?? null);
        void droppedFiles(files, entries).then(addFiles);
      }}
    >
      {children}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop audio or video files to add them</p>
        </div>
      )}
    </div>
  );
}

/**
 * Where the host sees real paths, a dropped folder goes as it is and the core walks it. A browser
 * cannot read a folder as a file, so its media files are gathered here from the drop's entries.
 */
async function droppedFiles(files: File[], entries: Array<FileSystemEntry | null>): Promise<File[]> {
  if (api.nativePaths || entries.every((entry) => !entry?.isDirectory)) return files;
  const gathered: File[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry?.isDirectory) gathered.push(...(await filesIn(entry as FileSystemDirectoryEntry)));
    else if (files[index]) gathered.push(files[index]);
  }
  return gathered;
}

async function filesIn(folder: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = folder.createReader();
  const found: File[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers with none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const entry of batch.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory) found.push(...(await filesIn(entry as FileSystemDirectoryEntry)));
      else if (isMediaFileName(entry.name)) found.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
    }
  }
  return found;
}
