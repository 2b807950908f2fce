// Internal: timers for background work (the hourly validation) that never
// keep a process alive. Deno (2.9 checked), Node and Bun hand back a timer
// object with `unref()`; workers and browsers hand back a number and have
// no process to keep alive.

/**
 * Calls `callback` after `ms` milliseconds without keeping the process
 * alive for it; returns a function that cancels the timer.
 */
export function startBackgroundTimer(
  callback: () => void,
  ms: number,
): () => void {
  const handle = setTimeout(callback, ms);
  (handle as { unref?(): void }).unref?.();
  return () => clearTimeout(handle);
}
