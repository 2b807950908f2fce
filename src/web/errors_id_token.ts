/**
 * The error {@linkcode verifyIdToken} throws for an ID token it refuses.
 *
 * @module
 */

import { TwitchAuthError } from "./errors.ts";

/**
 * Why an ID token was refused:
 * - `"malformed"`: not a JWT, or a claim has the wrong type;
 * - `"signature"`: not signed with RS256 by a key in Twitch's key set;
 * - `"issuer"`: `iss` is not Twitch's;
 * - `"audience"`: `aud` (or `azp`, when present) is not the app's client id
 *   (issued to another app);
 * - `"expired"`: `exp` has passed;
 * - `"issued-at"`: `iat` is missing or in the future;
 * - `"nonce"`: `nonce` is not the one this sign-in sent (a replayed or
 *   injected token).
 *
 * @example Tell a replayed ID token from an expired one
 * ```ts
 * import { InvalidIdTokenError, verifyIdToken } from "@x/twitch-auth/web";
 *
 * try {
 *   await verifyIdToken("an-id-token", { clientId: "my_app_id", nonce: "n" });
 * } catch (error) {
 *   if (!(error instanceof InvalidIdTokenError)) throw error;
 *   // error.reason is an IdTokenFailure: a closed list to switch on.
 *   if (error.reason === "nonce") console.log("from another login: refuse it");
 *   else if (error.reason === "expired") console.log("too old: log in again");
 * }
 * ```
 */
export type IdTokenFailure =
  | "malformed"
  | "signature"
  | "issuer"
  | "audience"
  | "expired"
  | "issued-at"
  | "nonce";

const HINTS: Record<IdTokenFailure, string> = {
  malformed: "it is not a well-formed JWT with Twitch's claims",
  signature: "its signature does not match a key in Twitch's key set",
  issuer: "it was not issued by Twitch",
  audience: "it was issued to another app (aud is not your client id)",
  expired: "it has expired",
  "issued-at": "its issue time (iat) is missing or in the future",
  nonce: "its nonce is not the one this sign-in sent",
};

/**
 * An OpenID Connect ID token was refused. `reason` says which check failed;
 * in every case the token must not be trusted: start the sign-in again.
 *
 * @example Tell the reasons apart
 * ```ts
 * import { InvalidIdTokenError, verifyIdToken } from "@x/twitch-auth/web";
 *
 * try {
 *   await verifyIdToken("not-a-jwt", { clientId: "my_app_id" });
 * } catch (error) {
 *   if (error instanceof InvalidIdTokenError) console.log(error.reason); // "malformed"
 * }
 * ```
 */
export class InvalidIdTokenError extends TwitchAuthError {
  /** Which check the token failed. */
  readonly reason: IdTokenFailure;

  /**
   * Creates the error.
   *
   * @param reason Which check the token failed.
   * @param options The standard error options (`cause`).
   */
  constructor(reason: IdTokenFailure, options?: ErrorOptions) {
    super(
      `The ID token was refused: ${
        HINTS[reason]
      }; do not trust it, and sign in again`,
      options,
    );
    this.reason = reason;
  }
}
