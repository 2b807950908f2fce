/**
 * The contract every token store keeps: where a `TokenProvider`
 * (and `Twitch`) keeps users' tokens so that callers, processes and
 * instances that share the store also share one refresh per expiry.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";

/**
 * A token as a store holds it, with the version a compare-and-set checks.
 *
 * @example Read a user's token
 * ```ts ignore
 * import type { StoredToken, TokenStore } from "@x/twitch-auth";
 *
 * declare const store: TokenStore;
 * const stored: StoredToken | null = await store.get("141981764");
 * console.log(stored?.token.expiresAt, stored?.version);
 * ```
 */
export interface StoredToken {
  /** The user's token. */
  readonly token: AccessToken;
  /**
   * An opaque version that changes on every write of this user's token
   * (never reused for the same user), for {@linkcode TokenStore.set}.
   */
  readonly version: string;
}

/**
 * A held refresh lease: the right, across every process sharing the store,
 * to refresh one user's token at one version.
 *
 * @example Release a lease
 * ```ts ignore
 * import type { TokenLease, TokenStore } from "@x/twitch-auth";
 *
 * declare const store: TokenStore;
 * const lease: TokenLease | null = await store.acquireLease("141981764", "v1", 10_000);
 * await lease?.release();
 * ```
 */
export interface TokenLease {
  /**
   * Gives the lease up before its time runs out. Releasing a lease that has
   * already expired, or twice, does nothing.
   */
  release(): Promise<void>;
}

/**
 * Where users' tokens live, keyed by Twitch user id. The app token (client
 * credentials) is kept under the reserved key `app:<clientId>`
 * ({@linkcode APP_TOKEN_KEY_PREFIX}); Twitch user ids are digits, so the two
 * never meet.
 *
 * The rules every implementation keeps, and that `TokenProvider` relies on:
 * - `set` is a compare-and-set: it writes only when the stored version is
 *   still `expected` (`null`: nothing stored for that user), so a writer
 *   holding an older token can never overwrite a newer one.
 * - A write is durable when `set` resolves (for a file: written, synced and
 *   renamed into place); a crash never leaves a torn or half-written store.
 * - `acquireLease` gives at most one live lease per user at a time across all
 *   processes sharing the store; a lease ends when released or after `ttl`
 *   milliseconds, so a process that dies holds no one up for longer.
 * - Keys are any non-empty string; `list` leaves out the reserved ones that
 *   start with `app:`.
 * - `claim`, when a store has it, gives one caller across every process
 *   sharing the store a claim on a key for `ttl` milliseconds (the hourly
 *   validation of a user then runs once per interval across all of them,
 *   not once per process). A store without it still works: each process then
 *   validates on its own.
 *
 * Implementations: `MemoryTokenStore` (one process), `FileTokenStore` (one
 * JSON file, OS file lock) and `DenoKvTokenStore` (Deno KV, locally or on
 * Deno Deploy).
 *
 * @example A refresh that no other process duplicates
 * ```ts ignore
 * import type { TokenStore } from "@x/twitch-auth";
 *
 * declare const store: TokenStore;
 * const current = await store.get("141981764");
 * if (current && current.token.isExpired()) {
 *   const lease = await store.acquireLease("141981764", current.version, 10_000);
 *   if (lease) {
 *     try {
 *       // refresh at Twitch, then:
 *       // await store.set("141981764", fresh, current.version);
 *     } finally {
 *       await lease.release();
 *     }
 *   } // else: another process refreshes; wait until the version changes.
 * }
 * ```
 */
export interface TokenStore {
  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id.
   * @returns The token and its version, or `null` when none is stored.
   */
  get(userId: string): Promise<StoredToken | null>;

  /**
   * Writes a user's token if nobody else wrote since `expected`.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when the stored version was not
   * `expected` (someone else wrote first; read again).
   */
  set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null>;

  /**
   * Removes a user's token (and any lease on it). Removing a user that is not
   * stored does nothing.
   *
   * @param userId The Twitch user id.
   */
  delete(userId: string): Promise<void>;

  /**
   * Lists the users that have a token stored, without the reserved `app:`
   * keys.
   *
   * @returns Their Twitch user ids.
   */
  list(): Promise<string[]>;

  /**
   * Tries to take the lease to refresh `userId`'s token at `version`, so that
   * only one process calls Twitch for that expiry.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held for this
   * user, or the stored version is no longer `version` (then read again).
   */
  acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null>;

  /**
   * Optional. Claims `key` for `ttl` milliseconds across every process
   * sharing the store: resolves `true` for one caller, `false` for everyone
   * else while that claim lives. A claim is never released; it ends `ttl`
   * milliseconds after it was taken, and then the next caller gets it.
   * Claims live apart from tokens and leases: `list` never shows them and
   * `delete` leaves them.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   */
  claim?(key: string, ttl: number): Promise<boolean>;
}

/**
 * The start of the reserved store keys that hold app tokens
 * (`app:<clientId>`); `TokenStore.list` leaves such keys out.
 *
 * @example The key of an app's token
 * ```ts
 * import { APP_TOKEN_KEY_PREFIX } from "@x/twitch-auth";
 *
 * console.log(`${APP_TOKEN_KEY_PREFIX}my_app_id`); // "app:my_app_id"
 * ```
 */
export const APP_TOKEN_KEY_PREFIX = "app:";

/**
 * Whether a store key is a user's (not a reserved `app:` key), for
 * `TokenStore.list` implementations.
 *
 * @example Filter a list of keys
 * ```ts
 * import { isUserKey } from "@x/twitch-auth";
 *
 * console.log(["141981764", "app:my_app_id"].filter(isUserKey)); // ["141981764"]
 * ```
 *
 * @param key A store key.
 * @returns `false` for a reserved key.
 */
export function isUserKey(key: string): boolean {
  return !key.startsWith(APP_TOKEN_KEY_PREFIX);
}
