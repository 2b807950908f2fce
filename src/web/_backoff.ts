// Internal: how long to wait after failures in a row before trying again:
// about 1 s after the first, doubling, at most about 60 s, with jitter so
// that many processes failing together do not all try again together.

/** The wait after the first failure, at most, in milliseconds. */
export const BACKOFF_FIRST = 1_000;
/** The longest wait, in milliseconds. */
export const BACKOFF_MAX = 60_000;

/**
 * The wait after `failures` failures in a row (1 for the first): a random
 * time between half and all of `min(BACKOFF_MAX, BACKOFF_FIRST * 2^(failures - 1))`.
 */
export function backoffDelay(
  failures: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    BACKOFF_MAX,
    BACKOFF_FIRST * 2 ** Math.max(0, Math.min(failures - 1, 16)),
  );
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}
