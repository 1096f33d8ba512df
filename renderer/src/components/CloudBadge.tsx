/** Marks work that left this machine: on every job and transcript that runs or ran on the pool. */
export function CloudBadge({ queued = false }: { queued?: boolean }) {
  return (
    <span className="badge cloud" data-testid="cloud-badge" title={queued ? 'Will be sent to the cloud pool' : 'Transcribed on the cloud pool: this file left the computer'}>
      ☁ Cloud
    </span>
  );
}
