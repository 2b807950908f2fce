/**
 * Reads the OpenID Connect claims of a token's user.
 *
 * @module
 */

import { callTwitch, endpointUrl, twitchError } from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";
import { requireString } from "./_token_endpoint.ts";
import { InvalidResponseError, InvalidTokenError } from "./errors.ts";

/**
 * The claims Twitch's `/userinfo` gives about a token's user.
 *
 * @example Show who signed in, and their email when the scope allows
 * ```ts ignore
 * import { getUserInfo } from "@x/twitch-auth";
 *
 * // The token must have the openid scope; the email needs user:read:email too.
 * const user = await getUserInfo("a-token-with-openid");
 * console.log(`${user.preferred_username} (${user.sub})`, user.email ?? "no email");
 * ```
 */
export interface UserInfo {
  /** The client id the token was issued to. */
  aud: string;
  /** When the token expires, in epoch seconds. */
  exp: number;
  /** When the token was issued, in epoch seconds. */
  iat: number;
  /** The issuer, `https://id.twitch.tv/oauth2`. */
  iss: string;
  /** The user's id. */
  sub: string;
  /** The user's display name (Twitch's docs); the login is in `validateToken`'s answer. */
  preferred_username?: string;
  /** The user's email; needs the `user:read:email` scope. */
  email?: string;
  /** Whether Twitch verified the email. */
  email_verified?: boolean;
  /** Any other claim Twitch adds. */
  [claim: string]: unknown;
}

/**
 * Reads who a user access token belongs to, from Twitch's OpenID Connect
 * `/userinfo` endpoint. The token needs the `openid` scope (and
 * `user:read:email` for the email).
 *
 * @param accessToken A user access token with the `openid` scope.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns The user's claims.
 * @throws {InvalidTokenError} when the token is invalid or lacks `openid`.
 *
 * @example Greet the user
 * ```ts ignore
 * import { getUserInfo } from "@x/twitch-auth";
 *
 * const user = await getUserInfo("a-token-with-openid");
 * console.log(`hello ${user.preferred_username}`);
 * ```
 */
export async function getUserInfo(
  accessToken: string,
  options?: RequestOptions,
): Promise<UserInfo> {
  const url = endpointUrl("userinfo", options?.authBaseUrl);
  const response = await callTwitch(url, {
    method: "GET",
    headers: {
      Authorization: `Bearer ${requireString(accessToken, "accessToken")}`,
    },
  }, options);
  if (response.status === 401) {
    throw new InvalidTokenError(
      "Twitch refused the token for /userinfo: it is invalid or lacks the openid scope; sign in again asking for openid",
      (response.body as { message?: string } | undefined)?.message ?? "",
    );
  }
  if (response.status !== 200) throw twitchError(response, url.pathname);
  const body = response.body as UserInfo | undefined;
  if (typeof body?.sub !== "string") {
    throw new InvalidResponseError(url.pathname, 200);
  }
  return body;
}
