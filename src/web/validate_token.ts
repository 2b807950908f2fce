/**
 * Validates an access token with Twitch.
 *
 * @module
 */

import { callTwitch, endpointUrl, twitchError } from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";
import { requireString, scopeList } from "./_token_endpoint.ts";
import { InvalidResponseError } from "./errors.ts";

/**
 * What Twitch's `/validate` says of a valid token.
 *
 * @example Check a token before a bot starts: whose it is, and for how long
 * ```ts ignore
 * import { validateToken } from "@x/twitch-auth";
 *
 * const result = await validateToken(Deno.env.get("TWITCH_ACCESS_TOKEN")!);
 * if ("status" in result) throw new Error("sign in again: the token is invalid");
 * if (!result.scopes.includes("chat:edit")) throw new Error("the bot needs chat:edit");
 * console.log(`${result.login} for ${Math.round(result.expires_in / 60)} more minutes`);
 * ```
 */
export interface TokenValidation {
  /** The client id of the app the token belongs to. */
  client_id: string;
  /** The user's login name; absent for app tokens. */
  login?: string;
  /** The token's scopes (empty for app tokens). */
  scopes: string[];
  /** The user's id; absent for app tokens. */
  user_id?: string;
  /** Seconds until the token expires. */
  expires_in: number;
}

/**
 * What Twitch's `/validate` says of an invalid token.
 *
 * @example Tell an invalid token from a failure to ask
 * ```ts ignore
 * import { TwitchAuthError, validateToken } from "@x/twitch-auth";
 *
 * try {
 *   const result = await validateToken("the-access-token");
 *   // An InvalidTokenResponse is an answer, not an error: Twitch said 401.
 *   if ("status" in result) console.log(`invalid: ${result.message}`);
 * } catch (error) {
 *   // Twitch could not be asked (network, timeout, 5xx): the token may be fine.
 *   if (error instanceof TwitchAuthError) console.log(`try later: ${error.message}`);
 * }
 * ```
 */
export interface InvalidTokenResponse {
  /** Always 401. */
  status: 401;
  /** Twitch's message, `"invalid access token"`. */
  message: string;
}

/**
 * Asks Twitch whether an access token is valid, whose it is and what it may
 * do. Twitch wants apps to do this at start-up and every hour. An invalid
 * token is an answer, not an exception: check `"status" in result`.
 *
 * @param accessToken A user or app access token.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns Twitch's answer: the token's details, or `{ status: 401, message }`.
 * @throws {TwitchAuthError} when Twitch cannot be asked (network, timeout,
 * 5xx, malformed answer).
 *
 * @example Check a token at start-up
 * ```ts ignore
 * import { validateToken } from "@x/twitch-auth";
 *
 * const result = await validateToken(Deno.env.get("TWITCH_ACCESS_TOKEN")!);
 * if ("status" in result) throw new Error("sign in again");
 * console.log(`${result.login}: ${result.scopes.join(" ")}`);
 * ```
 */
export async function validateToken(
  accessToken: string,
  options?: RequestOptions,
): Promise<TokenValidation | InvalidTokenResponse> {
  const url = endpointUrl("validate", options?.authBaseUrl);
  const response = await callTwitch(url, {
    method: "GET",
    headers: {
      Authorization: `OAuth ${requireString(accessToken, "accessToken")}`,
    },
  }, options);
  if (response.status === 401) {
    return { status: 401, message: messageOf(response.body) };
  }
  if (response.status !== 200) throw twitchError(response, url.pathname);
  return toValidation(response.body, url.pathname);
}

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : "invalid access token";
}

function toValidation(body: unknown, endpoint: string): TokenValidation {
  const fields = (body ?? {}) as Record<string, unknown>;
  if (
    typeof fields.client_id !== "string" ||
    typeof fields.expires_in !== "number"
  ) {
    throw new InvalidResponseError(endpoint, 200);
  }
  const result: TokenValidation = {
    client_id: fields.client_id,
    scopes: scopeList(fields.scopes),
    expires_in: fields.expires_in,
  };
  if (typeof fields.login === "string") result.login = fields.login;
  if (typeof fields.user_id === "string") result.user_id = fields.user_id;
  return result;
}
