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
