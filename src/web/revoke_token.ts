/**
 * Revokes an access token.
 *
 * @module
 */

import { callTwitch, endpointUrl } from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";
import { isOptions, requestPart, requireString } from "./_token_endpoint.ts";

/**
 * The options form of {@linkcode revokeToken}: the app's client id, the
 * token, and how to call Twitch.
 *
 * @example Revoke with named arguments
 * ```ts ignore
 * import { revokeToken, type RevokeTokenOptions } from "@x/twitch-auth";
 *
 * const options: RevokeTokenOptions = { clientId: "my_app_id", accessToken: "the-access-token" };
 * console.log(await revokeToken(options));
 * ```
 */
export interface RevokeTokenOptions extends RequestOptions {
  /** The client id the token belongs to. */
  clientId: string;
  /** The token to revoke. */
  accessToken: string;
}

/**
 * Revokes a user or app access token (or a refresh token, which also ends
 * its access tokens), as when a user signs out. Use it so a leaked or
 * no-longer-needed token stops working.
 *
 * @param clientId The client id the token belongs to.
 * @param accessToken The token to revoke.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns `true` only when Twitch answered 200; `false` when it refused the
 * token or the client (400 `Invalid token`, 404 `client does not exist`).
 * @throws {TwitchAuthError} when Twitch cannot say (network, timeout, 5xx,
 * a malformed answer): whether the token was revoked is then unknown.
 *
 * @example Sign out
 * ```ts ignore
 * import { revokeToken } from "@x/twitch-auth";
 *
 * const revoked = await revokeToken("my_app_id", "the-access-token");
 * console.log(revoked ? "signed out" : "token was already invalid");
 * ```
 */
export function revokeToken(
  clientId: string,
  accessToken: string,
  options?: RequestOptions,
): Promise<boolean>;
/**
 * Revokes a token, every argument named.
 *
 * @param options The client id, the token, and base URL, `fetch`, `signal`
 * and `timeout`.
 * @returns `true` only when Twitch answered 200.
 * @throws {TwitchAuthError} when Twitch cannot say.
 *
 * @example Sign out with named arguments
 * ```ts ignore
 * import { revokeToken } from "@x/twitch-auth";
 *
 * await revokeToken({ clientId: "my_app_id", accessToken: "the-access-token" });
 * ```
 */
export function revokeToken(options: RevokeTokenOptions): Promise<boolean>;
export async function revokeToken(
  first: string | RevokeTokenOptions,
  accessToken?: string,
  options?: RequestOptions,
): Promise<boolean> {
  const named: RevokeTokenOptions = isOptions(first)
    ? first
    : { ...options, clientId: first, accessToken: accessToken! };
  const request = requestPart(named);
  const url = endpointUrl("revoke", request.authBaseUrl);
  const form = {
    client_id: requireString(named.clientId, "clientId"),
    token: requireString(named.accessToken, "accessToken"),
  };
  const response = await callTwitch(url, { method: "POST", form }, request);
  return response.status === 200;
}
