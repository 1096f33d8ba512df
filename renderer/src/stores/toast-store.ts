import { create } from 'zustand';

export interface Toast {
  id: number;
  /** One readable sentence. */
  message: string;
  /** What was being done and the error's code: behind a "Details" disclosure. */
  details: string | null;
}

interface ToastState {
  toasts: Toast[];
  push(message: string, details?: string | null): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToastStore = create<ToastState>((set) => ({
  toasts: [],
  push(message, details = null) {
    // The same problem twice in a row (a retried action) shows once.
    set((state) => (state.toasts.at(-1)?.message === message ? state : { toasts: [...state.toasts.slice(-4), { id: nextId++, message, details }] }));
  },
  dismiss(id) {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },
}));

/** Runs an action the user asked for; a failure becomes a toast saying what could not be done. */
export async function attempt<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    useToastStore.getState().push(message, `While ${what}${typeof code === 'string' ? ` (error code: ${code})` : ''}.`);
    return undefined;
  }
}
