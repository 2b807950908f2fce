/**
 * The options every Twitch helper takes as its last argument: where Twitch
 * is, which `fetch`, cancellation and a timeout.
 *
 * @module
 */

/**
 * Options every helper takes as its last argument.
 *
 * @example Use it
 * ```ts ignore
 * import { validateToken } from "@x/twitch-auth";
 *
 * const result = await validateToken("the-access-token", {
 *   authBaseUrl: "http://127.0.0.1:8080/oauth2", // a mock, say
 *   timeout: 5_000,
 *   signal: AbortSignal.timeout(10_000),
 * });
 * ```
 */
export interface RequestOptions {
  /** Twitch's OAuth base URL, with or without a trailing slash. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /** The `fetch` to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Cancels the call; it then rejects with a {@linkcode CancelledError}. */
  signal?: AbortSignal;
  /**
   * Milliseconds before the call gives up with a {@linkcode TimeoutError}:
   * from 1 to 2 147 483 647 (about 24.8 days, the longest timer runtimes
   * keep), or `Infinity` for none. Default 30 000.
   */
  timeout?: number;
}
