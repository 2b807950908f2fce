/**
 * A token store on Deno KV: locally one SQLite file shared by the processes
 * that open it, on Deno Deploy one database shared by every instance.
 *
 * Deno KV is unstable in Deno 2: run with `--unstable-kv`, or put
 * `"unstable": ["kv"]` in deno.json.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { InvalidArgumentError } from "../web/errors.ts";
import { CorruptTokenStoreError } from "../web/errors_token_store.ts";
import {
  isUserKey,
  type StoredToken,
  type TokenLease,
  type TokenStore,
} from "../web/token_store.ts";
import { checkClaim } from "../web/_claim.ts";
import {
  checkToken,
  checkTtl,
  checkUserId,
  randomHex,
} from "../web/_store_checks.ts";
import { isObject, tokenFromRecord } from "../web/_token_record.ts";

/**
 * Options of a {@linkcode DenoKvTokenStore}.
 *
 * @example Keep two apps' tokens apart in one database
 * ```ts ignore
 * import { DenoKvTokenStore, type DenoKvTokenStoreOptions } from "@x/twitch-auth";
 *
 * const options: DenoKvTokenStoreOptions = { prefix: ["my-bot", "tokens"] };
 * const store = new DenoKvTokenStore(await Deno.openKv(), options);
 * ```
 */
export interface DenoKvTokenStoreOptions {
  /**
   * The key prefix of every record, default `["twitch-auth"]`. Tokens are
   * under `[...prefix, "token", userId]`, leases under
   * `[...prefix, "lease", userId]`.
   */
  prefix?: Deno.KvKey;
}

interface LeaseRecord {
  id: string;
  version: string;
  expiresAt: number;
}

/** How long a call keeps retrying "database is locked", in milliseconds. */
const LOCKED_RETRY_FOR = 10_000;

/**
 * A {@linkcode TokenStore} on Deno KV, for services with many users and
 * several processes or Deno Deploy instances: they share the tokens and one
 * refresh per expiry.
 *
 * A token's version is the KV versionstamp of its record, so `set` is an
 * atomic check on it, and versions never repeat. A lease is a record
 * written with `expireIn` by an atomic check on both the token's and the
 * lease's versionstamps (its expiry time is checked too, as KV removes
 * expired records only eventually). A `set` also ends the user's lease (it
 * was for the old version). "database is locked" errors, which several
 * local processes on one KV file get under contention, are retried for up
 * to ten seconds.
 *
 * Deno KV is unstable in Deno 2: run with `--unstable-kv`, or put
 * `"unstable": ["kv"]` in deno.json (as this package's own tests do).
 *
 * @example Tokens for many users, in a local KV file or on Deno Deploy
 * ```ts
 * import { AccessToken, DenoKvTokenStore } from "@x/twitch-auth";
 *
 * using kv = await Deno.openKv(":memory:"); // Deno.openKv() on Deploy
 * const store = new DenoKvTokenStore(kv, { prefix: ["my-app"] });
 * const token = new AccessToken({
 *   accessToken: "0123456789abcdefghijklmnopqrst",
 *   refreshToken: "refresh-token-of-fifty-characters-0123456789abcdef",
 *   expiresIn: 14_400,
 *   scopes: ["chat:read"],
 *   tokenType: "bearer",
 *   obtainedAt: Date.now(),
 * });
 * const stored = await store.set("141981764", token, null);
 * const lease = await store.acquireLease("141981764", stored!.version, 10_000);
 * console.log(lease !== null); // true: this process may refresh
 * await lease?.release();
 * ```
 */
export class DenoKvTokenStore implements TokenStore {
  #kv: Deno.Kv;
  #prefix: Deno.KvKey;

  /**
   * Creates the store on an open KV database; closing it stays the caller's
   * job.
   *
   * @param kv The database, from `Deno.openKv()`.
   * @param options The key prefix.
   * @throws {InvalidArgumentError} when `kv` is not a Deno KV database or
   * `prefix` is not an array.
   */
  constructor(kv: Deno.Kv, options: DenoKvTokenStoreOptions = {}) {
    if (typeof kv?.atomic !== "function") {
      throw new InvalidArgumentError(
        "DenoKvTokenStore needs a Deno KV database: pass await Deno.openKv() (run with --unstable-kv)",
      );
    }
    const prefix = options.prefix ?? ["twitch-auth"];
    if (!Array.isArray(prefix)) {
      throw new InvalidArgumentError(
        'prefix must be a Deno KV key (an array), such as ["my-app"]',
      );
    }
    this.#kv = kv;
    this.#prefix = [...prefix];
  }

  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id.
   * @returns The token and its versionstamp, or `null` when none is stored.
   * @throws {CorruptTokenStoreError} when the record is not a token.
   */
  async get(userId: string): Promise<StoredToken | null> {
    checkUserId(userId);
    const key = this.#tokenKey(userId);
    const entry = await retryLocked(() => this.#kv.get(key));
    return entry.versionstamp === null ? null : this.#stored(entry);
  }

  /**
   * Writes a user's token if its versionstamp is still `expected`, and ends
   * the user's lease, in one atomic operation.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when the stored version was not
   * `expected`.
   */
  async set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    checkUserId(userId);
    checkToken(token);
    // A versionstamp is 20 hex digits; anything else cannot be the stored one.
    if (expected !== null && !/^[0-9a-f]{20}$/.test(expected)) return null;
    const key = this.#tokenKey(userId);
    const result = await retryLocked(() =>
      this.#kv.atomic()
        .check({ key, versionstamp: expected })
        .set(key, token.toJSON())
        .delete(this.#leaseKey(userId))
        .commit()
    );
    return result.ok ? { token, version: result.versionstamp } : null;
  }

  /**
   * Removes a user's token and lease; removing a user that is not stored
   * does nothing.
   *
   * @param userId The Twitch user id.
   */
  async delete(userId: string): Promise<void> {
    checkUserId(userId);
    await retryLocked(() =>
      this.#kv.atomic()
        .delete(this.#tokenKey(userId))
        .delete(this.#leaseKey(userId))
        .commit()
    );
  }

  /**
   * Lists the users that have a token stored under this prefix.
   *
   * @returns Their user ids.
   */
  async list(): Promise<string[]> {
    const prefix = [...this.#prefix, "token"];
    return await retryLocked(async () => {
      const users: string[] = [];
      for await (const entry of this.#kv.list({ prefix })) {
        users.push(String(entry.key[entry.key.length - 1]));
      }
      return users.filter(isUserKey);
    });
  }

  /**
   * Claims `key` for `ttl` milliseconds: one atomic operation checks that no
   * live claim exists and writes one with `expireIn: ttl`.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   */
  async claim(key: string, ttl: number): Promise<boolean> {
    checkClaim(key, ttl);
    const claimKey = [...this.#prefix, "claim", key];
    for (;;) {
      const held = await retryLocked(() => this.#kv.get(claimKey));
      const now = Date.now();
      if (isLive(held.value, now)) return false;
      const result = await retryLocked(() =>
        this.#kv.atomic()
          .check(held)
          .set(claimKey, { expiresAt: now + ttl }, { expireIn: ttl })
          .commit()
      );
      if (result.ok) return true;
      // Someone claimed meanwhile: look again (theirs is live).
    }
  }

  /**
   * Takes the lease to refresh `userId`'s token at `version`: one atomic
   * operation checks that the token is still at `version` and that no live
   * lease exists, and writes the lease with `expireIn: ttl`.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held or the
   * stored version is no longer `version`.
   */
  async acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    checkUserId(userId);
    checkTtl(ttl);
    const tokenKey = this.#tokenKey(userId);
    const leaseKey = this.#leaseKey(userId);
    for (;;) {
      const [token, held] = await retryLocked(() =>
        this.#kv.getMany<[unknown, unknown]>([tokenKey, leaseKey])
      );
      const now = Date.now();
      if (token.versionstamp !== version || isLive(held.value, now)) {
        return null;
      }
      const lease: LeaseRecord = {
        id: randomHex(8),
        version,
        expiresAt: now + ttl,
      };
      const result = await retryLocked(() =>
        this.#kv.atomic()
          .check(token)
          .check(held)
          .set(leaseKey, lease, { expireIn: ttl })
          .commit()
      );
      if (result.ok) {
        const stamp = result.versionstamp;
        return { release: () => this.#release(leaseKey, stamp) };
      }
      // Someone wrote the token or the lease meanwhile: look again.
    }
  }

  async #release(key: Deno.KvKey, versionstamp: string): Promise<void> {
    await retryLocked(() =>
      this.#kv.atomic().check({ key, versionstamp }).delete(key).commit()
    );
  }

  #stored(entry: Deno.KvEntry<unknown>): StoredToken {
    const where = `Deno KV key ${JSON.stringify(entry.key)}`;
    if (!isObject(entry.value)) {
      throw new CorruptTokenStoreError(where, "the record is not an object");
    }
    return {
      token: tokenFromRecord(entry.value, where),
      version: entry.versionstamp,
    };
  }

  #tokenKey(userId: string): Deno.KvKey {
    return [...this.#prefix, "token", userId];
  }

  #leaseKey(userId: string): Deno.KvKey {
    return [...this.#prefix, "lease", userId];
  }
}

function isLive(value: unknown, now: number): boolean {
  return isObject(value) && typeof value.expiresAt === "number" &&
    value.expiresAt > now;
}

/**
 * Runs `operation`, again after a short random pause whenever SQLite says
 * "database is locked" (several processes on one local KV file), for up to
 * {@linkcode LOCKED_RETRY_FOR} milliseconds.
 */
async function retryLocked<T>(operation: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + LOCKED_RETRY_FOR;
  for (let attempt = 0;; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isLockedError(error) || Date.now() > giveUpAt) throw error;
      const ceiling = Math.min(50, 2 ** Math.min(attempt, 6));
      await new Promise((resolve) =>
        setTimeout(resolve, 1 + Math.random() * ceiling)
      );
    }
  }
}

function isLockedError(error: unknown): boolean {
  return error instanceof Error && /database is locked/i.test(error.message);
}
