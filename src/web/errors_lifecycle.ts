/**
 * The errors of token keeping (`TokenProvider`, `Twitch`).
 *
 * @module
 */

import { TwitchAuthError } from "./errors.ts";

/**
 * A `TokenProvider` was asked for a user whose token is not in its store:
 * never added, or removed. Add the user's token with `addUser` first.
 *
 * @example Tell an unknown user apart
 * ```ts
 * import { UnknownUserError } from "@x/twitch-auth";
 *
 * const error = new UnknownUserError("141981764");
 * console.log(error.userId, error.message);
 * ```
 */
export class UnknownUserError extends TwitchAuthError {
  /** The Twitch user id that has no token stored. */
  readonly userId: string;

  /**
   * Creates the error.
   *
   * @param userId The Twitch user id that has no token stored.
   */
  constructor(userId: string) {
    super(
      `No token is stored for user ${userId}: add it with provider.addUser(token) (or sign the user in again)`,
    );
    this.userId = userId;
  }
}

/**
 * A refresh of this token failed for a reason that may pass (Twitch down,
 * the network, a timeout), and the next try waits until `retryAt` (epoch
 * milliseconds): until then, callers for that token get this error at once,
 * without a request to Twitch. `cause` is the failure of the last try. The
 * wait starts around 1 s and doubles, up to about 60 s; a success, or a new
 * token for the user, ends it.
 *
 * @example Wait before asking again
 * ```ts
 * import { RefreshBackoffError } from "@x/twitch-auth";
 *
 * const error = new RefreshBackoffError("141981764", Date.now() + 2_000);
 * console.log(`try again after ${new Date(error.retryAt).toISOString()}`);
 * ```
 */
export class RefreshBackoffError extends TwitchAuthError {
  /** The Twitch user id whose token could not be refreshed. */
  readonly userId: string;
  /** When the next refresh may be tried, in epoch milliseconds. */
  readonly retryAt: number;

  /**
   * Creates the error.
   *
   * @param userId The Twitch user id.
   * @param retryAt When the next refresh may be tried, in epoch milliseconds.
   * @param options The standard error options: `cause`, the last failure.
   */
  constructor(userId: string, retryAt: number, options?: ErrorOptions) {
    super(
      `Refreshing the token of user ${userId} failed${
        causeNote(options)
      }; the next try is not before ${new Date(retryAt).toISOString()} (in ${
        Math.max(0, Math.ceil((retryAt - Date.now()) / 1000))
      } s): try again then`,
      options,
    );
    this.userId = userId;
    this.retryAt = retryAt;
  }
}

/**
 * Twitch gave a user a new token but the token store could not write it.
 * The token is kept in this process's memory and served, and the write is
 * tried again (after about 1 s, doubling up to about 60 s) until it succeeds
 * or another token is written for the user. Failure listeners hear this
 * error once per failed write; `cause` is the store's error.
 *
 * @example Notice a store that cannot write
 * ```ts
 * import { TokenNotSavedError } from "@x/twitch-auth";
 *
 * const error = new TokenNotSavedError("141981764", Date.now() + 1_000);
 * console.log(error.userId, error.retryAt);
 * ```
 */
export class TokenNotSavedError extends TwitchAuthError {
  /** The Twitch user id whose new token is not stored yet. */
  readonly userId: string;
  /** When the write is tried again, in epoch milliseconds. */
  readonly retryAt: number;

  /**
   * Creates the error.
   *
   * @param userId The Twitch user id.
   * @param retryAt When the write is tried again, in epoch milliseconds.
   * @param options The standard error options: `cause`, the store's error.
   */
  constructor(userId: string, retryAt: number, options?: ErrorOptions) {
    super(
      `The token store could not write the new token of user ${userId}${
        causeNote(options)
      }: it is kept in memory and used, and the write is tried again at ${
        new Date(retryAt).toISOString()
      }. Until then another process sharing the store does not have it; fix the store (disk space, permissions, the database)`,
      options,
    );
    this.userId = userId;
    this.retryAt = retryAt;
  }
}

/** `" (the cause's message)"`, or `""` when the cause is not an error. */
function causeNote(options?: ErrorOptions): string {
  return options?.cause instanceof Error ? ` (${options.cause.message})` : "";
}
