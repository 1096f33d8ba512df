/**
 * Calls `onSilent` once `lastHeard()` is more than `timeoutMs` ago, checking about every second.
 * A check that comes late means this process was busy (a long synchronous call): what the other
 * process sent meanwhile is still unread, so nothing is judged until the next, timely check.
 */
export function watchSilence(lastHeard: () => number | undefined, timeoutMs: number, onSilent: () => void): NodeJS.Timeout {
  const everyMs = Math.min(1_000, timeoutMs / 2);
  let lastCheck = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const late = now - lastCheck > 2 * everyMs;
    lastCheck = now;
    const heard = lastHeard();
    if (late || heard === undefined || now - heard <= timeoutMs) return;
    onSilent();
  }, everyMs);
  timer.unref();
  return timer;
}
