// Internal: a token from the authorization code flow was made for a
// confidential client, and Twitch refreshes those only with the client
// secret. Said when the token is added or checked at start (before any
// request), not hours later at its first refresh. Twitch has no endpoint
// that tells a client's type: the token remembers its grant.

import { AccessToken } from "./access_token.ts";
import { MissingClientSecretError } from "./errors.ts";

/**
 * Throws a {@linkcode MissingClientSecretError} when `token` came from the
 * authorization code flow, has a refresh token, and there is no secret.
 * A token that does not record its grant passes (it is refreshed as before;
 * Twitch's `missing client secret` answer becomes the same error then).
 */
export function requireSecretFor(
  token: AccessToken,
  clientSecret: string | undefined,
  clientId: string,
): void {
  if (
    token.grantType === "authorization_code" && token.refreshToken &&
    !clientSecret
  ) {
    throw new MissingClientSecretError(clientId, false);
  }
}

/**
 * The token a refresh of `old` gave, with what Twitch's answer leaves out
 * carried over: the refresh token (when none came back) and the grant.
 */
export function carryOver(old: AccessToken, fresh: AccessToken): AccessToken {
  if (
    (fresh.refreshToken || !old.refreshToken) &&
    fresh.grantType === old.grantType
  ) return fresh;
  return new AccessToken({
    ...fresh.toJSON(),
    refreshToken: fresh.refreshToken ?? old.refreshToken,
    grantType: old.grantType,
  });
}
