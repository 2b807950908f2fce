/**
 * Exchanges an authorization code for the user's tokens.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import type { RequestOptions } from "./request_options.ts";
import {
  isOptions,
  postToken,
  requestPart,
  requireString,
} from "./_token_endpoint.ts";

/**
 * The options form of {@linkcode exchangeCode}: the app's credentials, the
 * code and its redirect URL, and how to call Twitch.
 *
 * @example Exchange a code with named arguments
 * ```ts ignore
 * import { exchangeCode, type ExchangeCodeOptions } from "@x/twitch-auth";
 *
 * const options: ExchangeCodeOptions = {
 *   clientId: "my_app_id",
 *   clientSecret: "my_app_secret",
 *   code: "code-from-the-redirect",
 *   redirectUri: "http://localhost:17563",
 * };
 * const token = await exchangeCode(options);
 * ```
 */
export interface ExchangeCodeOptions extends RequestOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string;
  /** The `code` from the redirect; it works once, for ten minutes. */
  code: string;
  /** The redirect URL the code was issued for, exactly. */
  redirectUri: string;
}

/**
 * Exchanges the `code` Twitch sent to the redirect URL for the user's access
 * and refresh tokens (grant `authorization_code`). The secret and the code
 * travel in the POST body, never in the URL. The token records
 * `grantType: "authorization_code"`: only a confidential client can make it,
 * so refreshing it needs the client secret (a `TokenProvider` without one
 * says so when the token is added, not hours later at its first refresh).
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
export function exchangeCode(
  appId: string,
  appSecret: string,
  code: string,
  redirectUri: string,
  options?: RequestOptions,
): Promise<AccessToken>;
/**
 * Exchanges an authorization code for the user's tokens, every argument
 * named.
 *
 * @param options The client id and secret, the code, the redirect URL, and
 * base URL, `fetch`, `signal` and `timeout`.
 * @returns The user's tokens.
 * @throws {TwitchApiError} when the code is used, expired or foreign.
 *
 * @example Exchange a code with named arguments
 * ```ts ignore
 * import { exchangeCode } from "@x/twitch-auth";
 *
 * const token = await exchangeCode({
 *   clientId: "my_app_id",
 *   clientSecret: "my_app_secret",
 *   code: "code-from-the-redirect",
 *   redirectUri: "http://localhost:17563",
 * });
 * ```
 */
export function exchangeCode(
  options: ExchangeCodeOptions,
): Promise<AccessToken>;
export async function exchangeCode(
  first: string | ExchangeCodeOptions,
  appSecret?: string,
  code?: string,
  redirectUri?: string,
  options?: RequestOptions,
): Promise<AccessToken> {
  const named: ExchangeCodeOptions = isOptions(first) ? first : {
    ...options,
    clientId: first,
    clientSecret: appSecret!,
    code: code!,
    redirectUri: redirectUri!,
  };
  return await postToken(
    {
      client_id: requireString(named.clientId, "clientId"),
      client_secret: requireString(named.clientSecret, "clientSecret"),
      code: requireString(named.code, "code"),
      grant_type: "authorization_code",
      redirect_uri: requireString(named.redirectUri, "redirectUri"),
    },
    requestPart(named),
    "authorization_code",
  );
}
