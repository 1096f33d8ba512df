import { useToastStore } from '../stores/toast-store';

/** Problems that belong to no job, as readable sentences; what was being done is under "Details". */
export function Toasts() {
  const toasts = useToastStore((state) => state.toasts);
  const dismiss = useToastStore((state) => state.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" role="alert" data-testid="toast">
          <p className="toast-message">{toast.message}</p>
          {toast.details && (
            <details>
              <summary>Details</summary>
              <p>{toast.details}</p>
            </details>
          )}
          <button type="button" className="button ghost" onClick={() => dismiss(toast.id)} aria-label={`Dismiss: ${toast.message}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
