import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useJobsStore } from '../stores/jobs-store';

/** The whole window accepts dropped files; an overlay says so while something is dragged over it. */
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
        void addFiles([...event.dataTransfer.files]);
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
