// Internal: a token in Twitch's own field names, the one spelling on disk
// (the CLI's `--format json`, every record of a FileTokenStore).

import type { AccessToken } from "./access_token.ts";

/** The field names of a token, in both spellings `AccessToken.fromJSON` reads. */
export const TOKEN_FIELDS: readonly string[] = [
  "access_token",
  "refresh_token",
  "expires_in",
  "scope",
  "token_type",
  "obtained_at",
  "id_token",
  "grant_type",
  "accessToken",
  "refreshToken",
  "expiresIn",
  "scopes",
  "tokenType",
  "obtainedAt",
  "idToken",
  "grantType",
];

/**
 * Twitch's token answer (`access_token`, `expires_in`, `refresh_token`,
 * `scope`, `token_type`, `id_token`) plus `obtained_at` in epoch
 * milliseconds and `grant_type` (how the token was first obtained, when
 * known); absent fields are left out.
 */
export function toTwitchJson(token: AccessToken): Record<string, unknown> {
  return {
    access_token: token.accessToken,
    expires_in: token.expiresIn,
    ...(token.refreshToken ? { refresh_token: token.refreshToken } : {}),
    scope: [...token.scopes],
    token_type: token.tokenType,
    obtained_at: token.obtainedAt,
    ...(token.idToken ? { id_token: token.idToken } : {}),
    ...(token.grantType ? { grant_type: token.grantType } : {}),
  };
}
