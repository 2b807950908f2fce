// Internal: Twitch's token answer ({access_token, expires_in, ...}) to an AccessToken.

import { AccessToken, type TokenGrantType } from "./access_token.ts";
import { InvalidArgumentError, InvalidResponseError } from "./errors.ts";
import { callTwitch, endpointUrl, twitchError } from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";

/**
 * Reads Twitch's token response; throws when it lacks the documented fields.
 * `grantType` records how a user token was first obtained (left out for a
 * refresh, whose caller carries the old token's over).
 */
export function toAccessToken(
  body: unknown,
  endpoint: string,
  obtainedAt: number,
  grantType?: TokenGrantType,
): AccessToken {
  const fields = (typeof body === "object" && body !== null ? body : {}) as {
    access_token?: unknown;
    refresh_token?: unknown;
    expires_in?: unknown;
    scope?: unknown;
    token_type?: unknown;
    id_token?: unknown;
  };
  if (
    typeof fields.access_token !== "string" || fields.access_token === "" ||
    typeof fields.expires_in !== "number" ||
    (fields.refresh_token !== undefined &&
      typeof fields.refresh_token !== "string")
  ) {
    throw new InvalidResponseError(endpoint, 200);
  }
  return new AccessToken({
    accessToken: fields.access_token,
    refreshToken: fields.refresh_token || undefined,
    expiresIn: fields.expires_in,
    scopes: scopeList(fields.scope),
    tokenType: typeof fields.token_type === "string"
      ? fields.token_type
      : "bearer",
    obtainedAt,
    idToken: typeof fields.id_token === "string" ? fields.id_token : undefined,
    grantType,
  });
}

/** Twitch gives scopes as an array, a space-separated string, or null. */
export function scopeList(scope: unknown): string[] {
  if (Array.isArray(scope)) return scope.map(String);
  if (typeof scope === "string") return scope.split(" ").filter(Boolean);
  return [];
}

/**
 * POSTs a grant to Twitch's `/token` and reads the token it answers, noting
 * `grantType` in it when given.
 */
export async function postToken(
  form: Record<string, string | undefined>,
  options: RequestOptions = {},
  grantType?: TokenGrantType,
): Promise<AccessToken> {
  const url = endpointUrl("token", options.authBaseUrl);
  const obtainedAt = Date.now();
  const response = await callTwitch(url, { method: "POST", form }, options);
  if (response.status !== 200) {
    throw twitchError(response, url.pathname, form.client_id);
  }
  return toAccessToken(response.body, url.pathname, obtainedAt, grantType);
}

/** Throws an {@linkcode InvalidArgumentError} when a required string is empty. */
export function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidArgumentError(
      `${name} is required: pass it as a non-empty string`,
    );
  }
  return value;
}

/** Whether a helper got its options form (one object) instead of strings. */
export function isOptions<T extends object>(value: string | T): value is T {
  return typeof value === "object" && value !== null;
}

/** Only the request options of a helper's options form (no secrets). */
export function requestPart(options: RequestOptions): RequestOptions {
  const { authBaseUrl, fetch, timeout, signal } = options;
  return { authBaseUrl, fetch, timeout, signal };
}
