/**
 * The error a token store throws when what it holds cannot be read.
 *
 * @module
 */

import { TwitchAuthError } from "./errors.ts";

/**
 * A token store holds something that is not a token store's data: a file
 * that is not JSON, or a record with a missing or malformed field. The
 * message names the file (or key) and the field, never a token. Fix or
 * remove the file (or record), then sign in again.
 *
 * @example Tell a damaged token file apart
 * ```ts
 * import { CorruptTokenStoreError } from "@x/twitch-auth";
 *
 * const error = new CorruptTokenStoreError("tokens.json", "it is not JSON");
 * console.log(error.where, error.message);
 * ```
 */
export class CorruptTokenStoreError extends TwitchAuthError {
  /** The file, or the key, whose content is damaged. */
  readonly where: string;

  /**
   * Creates the error.
   *
   * @param where The file, or the key, whose content is damaged.
   * @param problem What is wrong with it, such as `"it is not JSON"`.
   * @param options The standard error options (`cause`).
   */
  constructor(where: string, problem: string, options?: ErrorOptions) {
    super(
      `The token store ${where} cannot be read: ${problem}. Fix or remove it, then sign in again`,
      options,
    );
    this.where = where;
  }
}
