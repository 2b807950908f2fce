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
 * A token file's lock was held by another process for longer than a write
 * ever takes (10 seconds for `FileTokenStore`): that process is stopped
 * (Ctrl+Z, `SIGSTOP`, a debugger) or hung. Nothing was written. Resume or
 * end the process holding `lockPath` (`fuser lockPath` names it), then try
 * again; a process that dies lets the lock go by itself.
 *
 * @example Tell a stuck neighbour apart
 * ```ts
 * import { FileLockTimeoutError } from "@x/twitch-auth";
 *
 * const error = new FileLockTimeoutError("tokens.json.lock", 10_000);
 * console.log(error.lockPath, error.waited); // tokens.json.lock 10000
 * ```
 */
export class FileLockTimeoutError extends TwitchAuthError {
  /** The lock file another process holds. */
  readonly lockPath: string;
  /** How long this process waited for it, in milliseconds. */
  readonly waited: number;

  /**
   * Creates the error.
   *
   * @param lockPath The lock file another process holds.
   * @param waited How long this process waited for it, in milliseconds.
   * @param options The standard error options (`cause`).
   */
  constructor(lockPath: string, waited: number, options?: ErrorOptions) {
    super(
      `Another process has held the lock file ${lockPath} for ${
        Math.round(waited / 1000)
      } seconds (it is stopped, for instance with Ctrl+Z or a debugger, or hung): resume or end it (fuser ${lockPath} names it), then try again`,
      options,
    );
    this.lockPath = lockPath;
    this.waited = waited;
  }
}

/**
 * A secret file, its folder, or a file beside it (the lock, a temporary)
 * could be steered by another user: the folder is writable by others and
 * not sticky, or a path is a symbolic link or another user's file. Nothing
 * was read or written. The message says which path, why, and the fix
 * (usually: keep secrets in a folder only you can write, `chmod 700`).
 *
 * @example Tell an unsafe folder apart
 * ```ts
 * import { UnsafeFileError } from "@x/twitch-auth";
 *
 * const error = new UnsafeFileError(
 *   "/shared",
 *   "other users can write to it",
 *   "chmod 700 /shared, or pick a folder of your own",
 * );
 * console.log(error.path, error.message);
 * ```
 */
export class UnsafeFileError extends TwitchAuthError {
  /** The path that could be steered. */
  readonly path: string;

  /**
   * Creates the error.
   *
   * @param path The path that could be steered.
   * @param reason Why, such as `"other users can write to it"`.
   * @param fix What to do about it.
   * @param options The standard error options (`cause`).
   */
  constructor(
    path: string,
    reason: string,
    fix: string,
    options?: ErrorOptions,
  ) {
    super(
      `Refusing ${path}: ${reason}, so another user could replace or read the secrets through it. ${fix}`,
      options,
    );
    this.path = path;
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
