/**
 * Gets an app access token.
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
 * The options form of {@linkcode getAppAccessToken}: the app's credentials
 * and how to call Twitch.
 *
 * @example Get an app token with named arguments
 * ```ts ignore
 * import { getAppAccessToken, type AppAccessTokenOptions } from "@x/twitch-auth";
 *
 * const options: AppAccessTokenOptions = {
 *   clientId: "my_app_id",
 *   clientSecret: "my_app_secret",
 *   timeout: 10_000,
 * };
 * const token = await getAppAccessToken(options);
 * ```
 */
export interface AppAccessTokenOptions extends RequestOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string;
}

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
export function getAppAccessToken(
  appId: string,
  appSecret: string,
  options?: RequestOptions,
): Promise<AccessToken>;
/**
 * Gets an app access token, every argument named.
 *
 * @param options The client id and secret, and base URL, `fetch`, `signal`
 * and `timeout`.
 * @returns The app token.
 * @throws {InvalidClientError} when the client id or secret is wrong.
 *
 * @example Get an app token with named arguments
 * ```ts ignore
 * import { getAppAccessToken } from "@x/twitch-auth";
 *
 * const token = await getAppAccessToken({ clientId: "my_app_id", clientSecret: "my_app_secret" });
 * ```
 */
export function getAppAccessToken(
  options: AppAccessTokenOptions,
): Promise<AccessToken>;
export async function getAppAccessToken(
  first: string | AppAccessTokenOptions,
  appSecret?: string,
  options?: RequestOptions,
): Promise<AccessToken> {
  const named: AppAccessTokenOptions = isOptions(first)
    ? first
    : { ...options, clientId: first, clientSecret: appSecret! };
  return await postToken({
    client_id: requireString(named.clientId, "clientId"),
    client_secret: requireString(named.clientSecret, "clientSecret"),
    grant_type: "client_credentials",
  }, requestPart(named));
}
