/**
 * The argument checks and the random ids both token stores share.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import { InvalidArgumentError } from "./errors.ts";

/** Random bytes as hex, for lease ids and versions. */
export function randomHex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** Throws unless `userId` is a non-empty string. */
export function checkUserId(userId: string): void {
  if (typeof userId !== "string" || userId === "") {
    throw new InvalidArgumentError("userId must be a non-empty string");
  }
}

/** Throws unless `token` is an AccessToken (it has `toJSON`). */
export function checkToken(token: AccessToken): void {
  if (
    typeof token?.toJSON !== "function" ||
    typeof token.accessToken !== "string" || token.accessToken === ""
  ) {
    throw new InvalidArgumentError(
      "token must be an AccessToken with a non-empty accessToken",
    );
  }
}

/** Throws unless `ttl` is a positive, finite number of milliseconds. */
export function checkTtl(ttl: number): void {
  if (typeof ttl !== "number" || !(ttl > 0) || !Number.isFinite(ttl)) {
    throw new InvalidArgumentError(
      `ttl must be a positive number of milliseconds, got ${ttl}`,
    );
  }
}

/** The secret strings of `token`, which no error message may quote. */
export function secretsOf(token: AccessToken): string[] {
  return [token.accessToken, token.refreshToken ?? "", token.idToken ?? ""]
    .filter((secret) => secret !== "");
}
