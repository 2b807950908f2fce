/**
 * The options every Twitch helper takes as its last argument: where Twitch
 * is, which `fetch`, cancellation and a timeout.
 *
 * @module
 */

/**
 * Options every helper takes as its last argument.
 *
 * @example Give up on a slow Twitch, or when the user cancels
 * ```ts ignore
 * import { TimeoutError, validateToken } from "@x/twitch-auth";
 *
 * const cancel = new AbortController(); // cancel.abort() from a Stop button
 * try {
 *   const result = await validateToken("the-access-token", {
 *     timeout: 5_000,
 *     signal: cancel.signal,
 *   });
 *   console.log("status" in result ? "invalid" : result.login);
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log("Twitch is slow: try again");
 *   else throw error;
 * }
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
