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

/**
 * A token in the store was encrypted (by `encryptTokens`) with a key this
 * process was not given, or the key with its id is not the one that
 * encrypted it (or the stored bytes were changed). The message names the
 * key id and the user, never a token or a key. Pass the key that encrypted
 * it (as the current key, or among `olderKeys` while rotating), or sign the
 * user in again.
 *
 * @example Tell a missing key apart
 * ```ts
 * import { TokenKeyError } from "@x/twitch-auth";
 *
 * const error = new TokenKeyError("141981764", "2025-01", "no key with that id was given");
 * console.log(error.keyId, error.message);
 * ```
 */
export class TokenKeyError extends TwitchAuthError {
  /** The user whose token could not be decrypted. */
  readonly userId: string;
  /** The id of the key the token was encrypted with. */
  readonly keyId: string;

  /**
   * Creates the error.
   *
   * @param userId The user whose token could not be decrypted.
   * @param keyId The id of the key the token was encrypted with.
   * @param problem What went wrong, such as `"no key with that id was given"`.
   * @param options The standard error options (`cause`).
   */
  constructor(
    userId: string,
    keyId: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `The token of ${userId} was encrypted with key "${keyId}" and cannot be decrypted: ${problem}. Pass that key to encryptTokens (as the current key, or in olderKeys while rotating), or sign the user in again`,
      options,
    );
    this.userId = userId;
    this.keyId = keyId;
  }
}
