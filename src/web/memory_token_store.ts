/**
 * A token store in this process's memory.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import { checkClaim } from "./_claim.ts";
import {
  isUserKey,
  type StoredToken,
  type TokenLease,
  type TokenStore,
} from "./token_store.ts";

interface Lease {
  readonly version: string;
  readonly expiresAt: number;
}

/**
 * A {@linkcode TokenStore} in memory: for one process, the default of
 * `TokenProvider`, and the reference the other stores are tested against.
 * Tokens are lost when the process ends; share a `FileTokenStore` or a
 * `DenoKvTokenStore` between processes instead.
 *
 * Versions come from one counter per store, so a version is never reused,
 * not even for a user removed and added again.
 *
 * @example Keep tokens in memory
 * ```ts
 * import { AccessToken, MemoryTokenStore } from "@x/twitch-auth";
 *
 * const store = new MemoryTokenStore();
 * const token = new AccessToken({
 *   accessToken: "0123456789abcdefghijklmnopqrst",
 *   expiresIn: 14_400,
 *   scopes: [],
 *   tokenType: "bearer",
 *   obtainedAt: Date.now(),
 * });
 * const first = await store.set("141981764", token, null);
 * console.log(first?.version);
 * console.log(await store.set("141981764", token, null)); // null: already stored
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  #tokens = new Map<string, StoredToken>();
  #leases = new Map<string, Lease>();
  #claims = new Map<string, number>();
  #counter = 0;

  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id.
   * @returns The token and its version, or `null` when none is stored.
   */
  get(userId: string): Promise<StoredToken | null> {
    return Promise.resolve(this.#tokens.get(userId) ?? null);
  }

  /**
   * Writes a user's token if the stored version is still `expected`.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when someone else wrote first.
   */
  set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    const current = this.#tokens.get(userId)?.version ?? null;
    if (current !== expected) return Promise.resolve(null);
    const stored: StoredToken = { token, version: String(++this.#counter) };
    this.#tokens.set(userId, stored);
    return Promise.resolve(stored);
  }

  /**
   * Removes a user's token and any lease on it.
   *
   * @param userId The Twitch user id.
   */
  delete(userId: string): Promise<void> {
    this.#tokens.delete(userId);
    this.#leases.delete(userId);
    return Promise.resolve();
  }

  /**
   * Lists the users that have a token stored.
   *
   * @returns Their Twitch user ids.
   */
  list(): Promise<string[]> {
    return Promise.resolve([...this.#tokens.keys()].filter(isUserKey));
  }

  /**
   * Claims `key` for `ttl` milliseconds, unless a live claim holds it.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   */
  claim(key: string, ttl: number): Promise<boolean> {
    try {
      checkClaim(key, ttl);
    } catch (error) {
      return Promise.reject(error);
    }
    const now = Date.now();
    if ((this.#claims.get(key) ?? 0) > now) return Promise.resolve(false);
    for (const [other, until] of this.#claims) {
      if (until <= now) this.#claims.delete(other);
    }
    this.#claims.set(key, now + ttl);
    return Promise.resolve(true);
  }

  /**
   * Takes the lease to refresh `userId`'s token at `version`.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held or the
   * stored version is no longer `version`.
   */
  acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    const now = Date.now();
    const held = this.#leases.get(userId);
    if (
      this.#tokens.get(userId)?.version !== version ||
      (held && held.expiresAt > now)
    ) {
      return Promise.resolve(null);
    }
    const lease: Lease = { version, expiresAt: now + ttl };
    this.#leases.set(userId, lease);
    return Promise.resolve({
      release: () => {
        if (this.#leases.get(userId) === lease) this.#leases.delete(userId);
        return Promise.resolve();
      },
    });
  }
}
