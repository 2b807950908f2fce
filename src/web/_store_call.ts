/**
 * Bounds a call to a store's server (Redis, PostgreSQL) in time, and turns
 * whatever the client throws into one typed error.
 *
 * @module
 */

import { InvalidArgumentError } from "./errors.ts";
import { TokenStoreUnavailableError } from "./errors_token_store.ts";

/** How long a store call may take by default, in milliseconds. */
export const DEFAULT_STORE_TIMEOUT = 5_000;

/** Throws unless `timeout` is a positive, finite number of milliseconds. */
export function checkStoreTimeout(timeout: number): number {
  if (typeof timeout !== "number" || !(timeout > 0) || !isFinite(timeout)) {
    throw new InvalidArgumentError(
      `timeout must be a positive number of milliseconds, got ${timeout}`,
    );
  }
  return timeout;
}

/**
 * Runs `call`, failing with {@linkcode TokenStoreUnavailableError} when it
 * throws or takes longer than `timeout` milliseconds. The timer is cleared
 * either way, so nothing is left running. Keep parsing out of `call`: every
 * error it throws becomes the typed one. The client's error becomes the
 * `cause` unless its text quotes one of `secrets` (some clients echo the
 * command, token included, in their messages).
 */
export async function boundedCall<T>(
  server: string,
  operation: string,
  timeout: number,
  call: () => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TokenStoreUnavailableError(
            server,
            operation,
            `${server} did not answer within ${timeout} ms`,
          ),
        ),
      timeout,
    );
  });
  try {
    return await Promise.race([call(), timedOut]);
  } catch (error) {
    if (error instanceof TokenStoreUnavailableError) throw error;
    const text = error instanceof Error
      ? `${error.message}\n${error.stack}`
      : String(error);
    const quotes = secrets.some((secret) => secret && text.includes(secret));
    throw new TokenStoreUnavailableError(
      server,
      operation,
      describe(error) +
        (quotes ? " (its message quotes the token: left out)" : ""),
      quotes ? undefined : { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** A short, secret-free account of a client's error: its class and code. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return "the client failed";
  const code = (error as { code?: unknown }).code;
  const kind = error.name && error.name !== "Error" ? error.name : "an error";
  return typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code)
    ? `the client threw ${kind} (${code})`
    : `the client threw ${kind}`;
}
