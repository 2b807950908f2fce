/**
 * The errors of {@linkcode createTwitchLoginHandler}'s callback.
 *
 * @module
 */

import { TwitchAuthError } from "./errors.ts";

/**
 * Why a callback could not be tied to a login this browser started:
 * - `"missing-cookie"`: the login cookie is absent (never set, already used
 *   by an earlier callback, another browser, or cookies blocked);
 * - `"tampered"`: the cookie is not one this app signed;
 * - `"expired"`: the login was started too long ago;
 * - `"mismatch"`: the `state` in the URL is not the cookie's (a forged or
 *   foreign callback).
 *
 * @example Answer each refused login in its own words
 * ```ts
 * import { LoginStateError, type LoginStateFailure } from "@x/twitch-auth/web";
 *
 * const advice: Record<LoginStateFailure, string> = {
 *   "missing-cookie": "Your login timed out or cookies are blocked: start again.",
 *   mismatch: "This link belongs to another login: start again.",
 *   tampered: "The login cookie was changed: start again.",
 *   expired: "The login took too long: start again.",
 * };
 * const onError = (error: Error): Response =>
 *   new Response(
 *     error instanceof LoginStateError ? advice[error.reason] : "Login failed",
 *     { status: 403 },
 *   );
 * ```
 */
export type LoginStateFailure =
  | "missing-cookie"
  | "tampered"
  | "expired"
  | "mismatch";

const HINTS: Record<LoginStateFailure, string> = {
  "missing-cookie":
    "this browser holds no login in progress (already finished, started elsewhere, or cookies are blocked)",
  tampered: "the login cookie was altered or signed with another secret",
  expired: "the login was started too long ago",
  mismatch: "the state in the link does not match this browser's login",
};

/**
 * The callback's `state` could not be matched to a login this browser
 * started: a forged, replayed, foreign or stale callback. `reason` says
 * which. The user should start the login again.
 *
 * @example Tell it apart in `onError`
 * ```ts
 * import { LoginStateError } from "@x/twitch-auth/web";
 *
 * const error = new LoginStateError("expired");
 * console.log(error.reason, error.message);
 * ```
 */
export class LoginStateError extends TwitchAuthError {
  /** Which check failed. */
  readonly reason: LoginStateFailure;

  /**
   * Creates the error.
   *
   * @param reason Which check failed.
   */
  constructor(reason: LoginStateFailure) {
    super(`The login could not be verified: ${HINTS[reason]}; log in again`);
    this.reason = reason;
  }
}

/**
 * A request to the callback path lacks the `code` or `state` that Twitch
 * puts there: it did not come from Twitch's consent page.
 *
 * @example Tell it apart in `onError`
 * ```ts
 * import { InvalidCallbackError } from "@x/twitch-auth/web";
 *
 * const error = new InvalidCallbackError("code");
 * console.log(error.message);
 * ```
 */
export class InvalidCallbackError extends TwitchAuthError {
  /**
   * Creates the error.
   *
   * @param missing The name of the missing query parameter.
   */
  constructor(missing: string) {
    super(
      `The callback URL has no ${missing}: it did not come from Twitch's consent page; start at the login link`,
    );
  }
}
