/**
 * Exchanges an authorization code for the user's tokens.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import type { RequestOptions } from "./request_options.ts";
import { postToken, requireString } from "./_token_endpoint.ts";

/**
 * Exchanges the `code` Twitch sent to the redirect URL for the user's access
 * and refresh tokens (grant `authorization_code`). The secret and the code
 * travel in the POST body, never in the URL.
 *
 * @param appId The app's client id.
 * @param appSecret The app's client secret.
 * @param code The `code` from the redirect; it works once, for ten minutes.
 * @param redirectUri The redirect URL the code was issued for, exactly.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns The user's tokens.
 * @throws {TwitchApiError} when the code is used, expired or foreign, or the
 * redirect URL differs; {@linkcode InvalidClientError} for wrong credentials.
 *
 * @example Exchange a code
 * ```ts ignore
 * import { exchangeCode } from "@x/twitch-auth";
 *
 * const token = await exchangeCode(
 *   "my_app_id",
 *   "my_app_secret",
 *   "code-from-the-redirect",
 *   "http://localhost:17563",
 * );
 * console.log(token.scopes);
 * ```
 */
export async function exchangeCode(
  appId: string,
  appSecret: string,
  code: string,
  redirectUri: string,
  options?: RequestOptions,
): Promise<AccessToken> {
  return await postToken({
    client_id: requireString(appId, "appId"),
    client_secret: requireString(appSecret, "appSecret"),
    code: requireString(code, "code"),
    grant_type: "authorization_code",
    redirect_uri: requireString(redirectUri, "redirectUri"),
  }, options);
}
