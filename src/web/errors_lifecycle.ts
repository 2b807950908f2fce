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
