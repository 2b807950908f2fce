/**
 * Reads a token that a store or a file holds, with `AccessToken.fromJSON`
 * (the one token format: this module's own JSON, or Twitch's as the CLI
 * writes it, `obtained_at` in epoch milliseconds), as a store's error.
 *
 * @module
 */

import { AccessToken } from "./access_token.ts";
import { InvalidArgumentError } from "./errors.ts";
import { CorruptTokenStoreError } from "./errors_token_store.ts";
import type { StoredToken } from "./token_store.ts";

/** Whether `value` is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `data` carries a token at its top level (either spelling). */
export function hasTokenFields(data: Record<string, unknown>): boolean {
  return "accessToken" in data || "access_token" in data;
}

/**
 * Builds an {@linkcode AccessToken} from stored JSON with
 * {@linkcode AccessToken.fromJSON}; a token without an obtained time counts
 * as expired, so it is refreshed before use.
 *
 * @param data The stored object.
 * @param where The file or key it came from, for the error message.
 * @returns The token.
 * @throws {CorruptTokenStoreError} naming the missing or malformed field.
 */
export function tokenFromRecord(
  data: Record<string, unknown>,
  where: string,
): AccessToken {
  try {
    return AccessToken.fromJSON(data);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const problem = error.message[0].toLowerCase() + error.message.slice(1);
    throw new CorruptTokenStoreError(where, problem, { cause: error });
  }
}

/**
 * A stored record from a database's version and token columns (the token as
 * a JSON object, or as its JSON text).
 *
 * @param version The stored version.
 * @param token The stored token.
 * @param where The key or row it came from, for the error message.
 * @returns The record.
 * @throws {CorruptTokenStoreError} when the version is missing or the token
 * is not a JSON object of a token.
 */
export function storedFromRecord(
  version: unknown,
  token: unknown,
  where: string,
): StoredToken {
  if (typeof version !== "string" || version === "") {
    throw new CorruptTokenStoreError(where, "it has no version");
  }
  let record: unknown = token;
  if (typeof token === "string") {
    try {
      record = JSON.parse(token);
    } catch (error) {
      throw new CorruptTokenStoreError(where, "its token is not JSON", {
        cause: error,
      });
    }
  }
  if (!isObject(record)) {
    throw new CorruptTokenStoreError(where, "its token is not an object");
  }
  return { token: tokenFromRecord(record, where), version };
}
