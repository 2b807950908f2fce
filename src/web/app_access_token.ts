/**
 * Gets an app access token.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import type { RequestOptions } from "./request_options.ts";
import { postToken, requireString } from "./_token_endpoint.ts";

/**
 * Gets an app access token (grant `client_credentials`), for Helix calls that
 * act as the app rather than a user. It has no refresh token: get a new one
 * when it expires.
 *
 * @param appId The app's client id.
 * @param appSecret The app's client secret.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns The app token; `refreshToken` is absent and `scopes` empty.
 * @throws {InvalidClientError} when the client id or secret is wrong.
 *
 * @example Get an app token
 * ```ts ignore
 * import { getAppAccessToken } from "@x/twitch-auth";
 *
 * const token = await getAppAccessToken("my_app_id", "my_app_secret");
 * console.log(new Date(token.expiresAt));
 * ```
 */
export async function getAppAccessToken(
  appId: string,
  appSecret: string,
  options?: RequestOptions,
): Promise<AccessToken> {
  return await postToken({
    client_id: requireString(appId, "appId"),
    client_secret: requireString(appSecret, "appSecret"),
    grant_type: "client_credentials",
  }, options);
}
