/**
 * Refreshes a user access token.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import type { RequestOptions } from "./request_options.ts";
import { postToken, requireString } from "./_token_endpoint.ts";

/**
 * Gets a new access token with a refresh token (grant `refresh_token`).
 * Twitch may answer with a NEW refresh token (always, for public clients,
 * whose refresh tokens are single-use): store the whole result.
 *
 * @param refreshToken The current refresh token.
 * @param appId The app's client id.
 * @param appSecret The app's client secret; leave it out for a public client.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns The new tokens.
 * @throws {InvalidRefreshTokenError} when Twitch refuses the refresh token:
 * only a new sign-in helps.
 *
 * @example Refresh and store
 * ```ts ignore
 * import { refreshAccessToken } from "@x/twitch-auth";
 *
 * const token = await refreshAccessToken(
 *   "the-refresh-token",
 *   "my_app_id",
 *   "my_app_secret",
 * );
 * await Deno.writeTextFile("token.json", JSON.stringify(token), { mode: 0o600 });
 * ```
 */
export async function refreshAccessToken(
  refreshToken: string,
  appId: string,
  appSecret?: string,
  options?: RequestOptions,
): Promise<AccessToken> {
  return await postToken({
    client_id: requireString(appId, "appId"),
    client_secret: appSecret || undefined,
    grant_type: "refresh_token",
    refresh_token: requireString(refreshToken, "refreshToken"),
  }, options);
}
