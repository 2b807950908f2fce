/**
 * Refreshes a user access token.
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
 * The options form of {@linkcode refreshAccessToken}: the app's
 * credentials, the refresh token, and how to call Twitch.
 *
 * @example Refresh a public client's token
 * ```ts ignore
 * import { refreshAccessToken, type RefreshAccessTokenOptions } from "@x/twitch-auth";
 *
 * const options: RefreshAccessTokenOptions = {
 *   clientId: "my_app_id",
 *   refreshToken: "the-refresh-token",
 *   timeout: 10_000,
 * };
 * const token = await refreshAccessToken(options);
 * ```
 */
export interface RefreshAccessTokenOptions extends RequestOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret; leave it out for a public client. */
  clientSecret?: string;
  /** The current refresh token. */
  refreshToken: string;
}

/**
 * Gets a new access token with a refresh token (grant `refresh_token`).
 * Twitch may answer with a NEW refresh token (always, for public clients,
 * whose refresh tokens are single-use): store the whole result. The result
 * does not know how the first token was obtained (`grantType`): carry it
 * over when you keep the token yourself (`TokenProvider` does). Twitch's
 * `missing client secret` answer (a confidential client's token refreshed
 * without its secret) is a `MissingClientSecretError`.
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
export function refreshAccessToken(
  refreshToken: string,
  appId: string,
  appSecret?: string,
  options?: RequestOptions,
): Promise<AccessToken>;
/**
 * Gets a new access token with a refresh token, every argument named.
 *
 * @param options The client id (and secret), the refresh token, and base
 * URL, `fetch`, `signal` and `timeout`.
 * @returns The new tokens.
 * @throws {InvalidRefreshTokenError} when Twitch refuses the refresh token.
 *
 * @example Refresh with named arguments
 * ```ts ignore
 * import { refreshAccessToken } from "@x/twitch-auth";
 *
 * const token = await refreshAccessToken({
 *   clientId: "my_app_id",
 *   clientSecret: "my_app_secret",
 *   refreshToken: "the-refresh-token",
 * });
 * ```
 */
export function refreshAccessToken(
  options: RefreshAccessTokenOptions,
): Promise<AccessToken>;
export async function refreshAccessToken(
  first: string | RefreshAccessTokenOptions,
  appId?: string,
  appSecret?: string,
  options?: RequestOptions,
): Promise<AccessToken> {
  const named: RefreshAccessTokenOptions = isOptions(first) ? first : {
    ...options,
    refreshToken: first,
    clientId: appId!,
    clientSecret: appSecret,
  };
  return await postToken({
    client_id: requireString(named.clientId, "clientId"),
    client_secret: named.clientSecret || undefined,
    grant_type: "refresh_token",
    refresh_token: requireString(named.refreshToken, "refreshToken"),
  }, requestPart(named));
}
