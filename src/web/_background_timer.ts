// Internal: timers for background work (the hourly validation) that never
// keep a process alive. Node and Bun hand back a handle with `unref()`; Deno
// hands back a number and needs `Deno.unrefTimer`, which src/web may not
// name: the Deno entry (mod.ts, through src/deno/background_timers.ts)
// registers it here with `useTimerUnref`. Elsewhere (workers, browsers)
// there is no process to keep alive.

let unrefTimerId: ((id: number) => void) | undefined;

/** Registers how this runtime unrefs a timer given by its numeric id. */
export function useTimerUnref(unref: (id: number) => void): void {
  unrefTimerId = unref;
}

/**
 * Calls `callback` after `ms` milliseconds without keeping the process
 * alive for it; returns a function that cancels the timer.
 */
export function startBackgroundTimer(
  callback: () => void,
  ms: number,
): () => void {
  const handle = setTimeout(callback, ms);
  if (typeof handle === "number") unrefTimerId?.(handle);
  else (handle as { unref?(): void }).unref?.();
  return () => clearTimeout(handle);
}
