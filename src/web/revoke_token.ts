/**
 * Revokes an access token.
 *
 * @module
 */

import { callTwitch, endpointUrl } from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";
import { requireString } from "./_token_endpoint.ts";

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
export async function revokeToken(
  clientId: string,
  accessToken: string,
  options?: RequestOptions,
): Promise<boolean> {
  const url = endpointUrl("revoke", options?.authBaseUrl);
  const form = {
    client_id: requireString(clientId, "clientId"),
    token: requireString(accessToken, "accessToken"),
  };
  const response = await callTwitch(url, { method: "POST", form }, options);
  return response.status === 200;
}
