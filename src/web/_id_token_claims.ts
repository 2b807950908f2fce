// Internal: the claims of an ID token that the login handler got straight
// from Twitch's token endpoint, checked without its signature. OpenID
// Connect Core 1.0 §3.1.3.7 (6): for an ID token received directly from the
// token endpoint, the TLS server validation may be used instead of the
// signature; the code exchange is that request, authenticated with the
// client secret. Keeping the signature check (and `jose`, and the key set
// fetch) out of the login handler keeps a login-only Worker small; the
// claims that tie the token to this app and this login are all checked.
// `verifyIdToken` (id_token.ts) checks signatures for tokens from elsewhere.

import { fromBase64Url, jsonObject } from "./_base64url.ts";
import { InvalidIdTokenError } from "./errors_id_token.ts";
import type { IdTokenClaims } from "./id_token.ts";

/** The `iss` of Twitch's ID tokens. */
const ISSUER = "https://id.twitch.tv/oauth2";
/** Clock skew allowed on `exp` and `iat`, in seconds. */
const TOLERANCE = 60;

/**
 * The claims of `idToken` (a JWT from Twitch's token endpoint), after
 * checking the issuer, the audience (and `azp`, when present) against
 * `clientId`, the expiry, the issue time and the `nonce` of this login.
 *
 * @throws {InvalidIdTokenError} naming the first check that fails.
 */
export function tokenEndpointClaims(
  idToken: string,
  clientId: string,
  nonce: string,
  now: number = Date.now(),
): IdTokenClaims {
  const parts = idToken.split(".");
  const bytes = parts.length === 3 ? fromBase64Url(parts[1]) : undefined;
  const claims = bytes && jsonObject(new TextDecoder().decode(bytes));
  if (!claims) throw new InvalidIdTokenError("malformed");
  const seconds = now / 1000;
  const failure = claims.iss !== ISSUER ? "issuer" : claims.aud !== clientId ||
      (claims.azp !== undefined && claims.azp !== clientId)
    ? "audience"
    : typeof claims.exp !== "number" || claims.exp <= seconds - TOLERANCE
    ? "expired"
    : typeof claims.iat !== "number" || claims.iat > seconds + TOLERANCE
    ? "issued-at"
    : claims.nonce !== nonce
    ? "nonce"
    : typeof claims.sub !== "string"
    ? "malformed"
    : undefined;
  if (failure) throw new InvalidIdTokenError(failure);
  return claims as unknown as IdTokenClaims;
}
