import { useJobsStore } from '../stores/jobs-store';

export function Notice() {
  const notice = useJobsStore((state) => state.notice);
  const dismiss = useJobsStore((state) => state.dismissNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      <span>{notice}</span>
      <button type="button" className="button ghost" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
