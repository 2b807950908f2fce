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
 * A token store's server (Redis, PostgreSQL) did not answer in time, or the
 * call failed on the way: the server is down, unreachable, or refused the
 * command. Nothing was written by the failed call unless the server ran it
 * after giving up on it here; read again before writing. The message names
 * the server kind and the operation, never a token.
 *
 * @example Tell an outage apart from other errors
 * ```ts
 * import { TokenStoreUnavailableError } from "@x/twitch-auth";
 *
 * const error = new TokenStoreUnavailableError("Redis", "get", "did not answer within 5000 ms");
 * console.log(error instanceof TokenStoreUnavailableError, error.server, error.operation);
 * ```
 */
export class TokenStoreUnavailableError extends TwitchAuthError {
  /** The kind of server: `"Redis"` or `"PostgreSQL"`. */
  readonly server: string;
  /** The store method that failed, such as `"set"`. */
  readonly operation: string;

  /**
   * Creates the error.
   *
   * @param server The kind of server, such as `"Redis"`.
   * @param operation The store method that failed, such as `"set"`.
   * @param problem What happened, such as `"did not answer within 5000 ms"`.
   * @param options The standard error options (`cause`: the client's error).
   */
  constructor(
    server: string,
    operation: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `The ${server} token store's ${operation} failed: ${problem}. Check that ${server} is up and reachable; the call can be retried`,
      options,
    );
    this.server = server;
    this.operation = operation;
  }
}
