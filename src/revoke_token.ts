/**
 * Revokes an access token.
 *
 * @module
 */

import { callTwitch, endpointUrl, type RequestOptions } from "./_request.ts";
import { requireString } from "./_token_endpoint.ts";

/**
 * Revokes a user or app access token (or a refresh token, which also ends
 * its access tokens), as when a user signs out. Use it so a leaked or
 * no-longer-needed token stops working.
 *
 * @param clientId The client id the token belongs to.
 * @param accessToken The token to revoke.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns `true` only when Twitch answered 200; `false` when it refused
 * (unknown token, unknown client, a server error).
 * @throws {TwitchAuthError} when Twitch cannot be asked (network, timeout).
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
  try {
    const response = await callTwitch(url, { method: "POST", form }, options);
    return response.status === 200;
  } catch (error) {
    if (isAnswer(error)) return false;
    throw error;
  }
}

/** A 5xx or malformed answer is still Twitch saying "not revoked". */
function isAnswer(error: unknown): boolean {
  return typeof error === "object" && error !== null && "status" in error &&
    error.status !== 429;
}
