// Internal: the refresh rule. A token is refreshed only while the version
// that failed (a 401, or expiry by the clock) is still the stored one;
// concurrent callers in this process share one refresh per version, and
// processes sharing the store share one through its lease. The new token is
// written to the store before anything else happens (no listener first).

import type { AccessToken } from "./access_token.ts";
import {
  InvalidRefreshTokenError,
  InvalidTokenError,
  TimeoutError,
} from "./errors.ts";
import { UnknownUserError } from "./errors_lifecycle.ts";
import type { StoredToken, TokenStore } from "./token_store.ts";
import { sleep } from "./_request.ts";

/** How long a refresh lease lasts unless released, in milliseconds. */
export const LEASE_TTL = 10_000;
/** The first and the longest wait between two looks at a refresh elsewhere. */
const POLL_FIRST = 5;
const POLL_MAX = 200;
/**
 * How long a caller waits for a refresh in another process that neither
 * writes nor lets its lease run out (it keeps failing and trying again).
 */
const WAIT_LIMIT = 2 * LEASE_TTL;

/** What the coordinator needs from its owner. */
export interface RefreshCoordinatorOptions {
  store: TokenStore;
  /** Gets a new token for `token` at Twitch. */
  refresh(token: AccessToken): Promise<AccessToken>;
  /** Runs after the new token is stored; awaited, errors reach the callers. */
  onRefreshed(userId: string, token: AccessToken): Promise<void>;
  /** Hears every refresh that failed, once per attempt. */
  onFailure(userId: string, error: Error): void;
}

/** The refresh rule over a {@linkcode TokenStore}. */
export class RefreshCoordinator {
  readonly #options: RefreshCoordinatorOptions;
  /** The last token seen per user; may lag behind the store (see `current`). */
  readonly #cache = new Map<string, StoredToken>();
  /** Refreshes running in this process, by user and failed version. */
  readonly #flights = new Map<string, Promise<StoredToken>>();
  /** Refusals by Twitch, by user: not tried again for that version. */
  readonly #refused = new Map<string, { version: string; error: Error }>();

  constructor(options: RefreshCoordinatorOptions) {
    this.#options = options;
  }

  /**
   * The user's token as last seen, else as stored. It may have been replaced
   * by another process since: using it then gets a 401, and `refresh` with
   * its version finds the newer one in the store without calling Twitch.
   */
  async current(userId: string): Promise<StoredToken> {
    const cached = this.#cache.get(userId);
    if (cached && !this.#refusalOf(userId, cached.version)) return cached;
    return await this.reload(userId);
  }

  /** The user's token as stored now. */
  async reload(userId: string): Promise<StoredToken> {
    const stored = await this.#options.store.get(userId);
    if (!stored) {
      this.forget(userId);
      throw new UnknownUserError(userId);
    }
    return this.remember(userId, stored);
  }

  /** The error Twitch gave when it refused this version, if it did. */
  refusal(userId: string, version: string): Error | undefined {
    return this.#refusalOf(userId, version);
  }

  /** Notes a token this process wrote or read. */
  remember(userId: string, stored: StoredToken): StoredToken {
    this.#cache.set(userId, stored);
    return stored;
  }

  /** Drops what this process knows of a user. */
  forget(userId: string): void {
    this.#cache.delete(userId);
    this.#refused.delete(userId);
  }

  /**
   * Refreshes the user's token if `failed` is still its version, and returns
   * the current token: the new one, or the one that replaced `failed`.
   */
  refresh(userId: string, failed: string): Promise<StoredToken> {
    const key = `${userId}\n${failed}`;
    let flight = this.#flights.get(key);
    if (!flight) {
      flight = this.#flight(userId, failed).finally(() => {
        this.#flights.delete(key);
      });
      this.#flights.set(key, flight);
    }
    return flight;
  }

  #refusalOf(userId: string, version: string): Error | undefined {
    const refused = this.#refused.get(userId);
    return refused?.version === version ? refused.error : undefined;
  }

  async #flight(userId: string, failed: string): Promise<StoredToken> {
    const { store } = this.#options;
    const deadline = Date.now() + WAIT_LIMIT;
    for (let wait = POLL_FIRST;; wait = Math.min(wait * 2, POLL_MAX)) {
      const stored = await this.reload(userId);
      if (stored.version !== failed) return stored;
      const refusal = this.#refusalOf(userId, failed);
      if (refusal) throw refusal;
      const lease = await store.acquireLease(userId, failed, LEASE_TTL);
      if (lease) {
        try {
          return await this.#refreshHolding(userId, stored);
        } finally {
          await lease.release();
        }
      }
      // Another process is refreshing: wait for its write, or its lease's end.
      if (Date.now() > deadline) {
        throw new TimeoutError(
          "Waiting for another process to refresh the token",
          WAIT_LIMIT,
        );
      }
      await sleep(wait);
    }
  }

  async #refreshHolding(
    userId: string,
    stored: StoredToken,
  ): Promise<StoredToken> {
    const { store } = this.#options;
    let fresh: AccessToken;
    try {
      fresh = await this.#options.refresh(stored.token);
    } catch (error) {
      const now = await store.get(userId);
      if (now && now.version !== stored.version) {
        return this.remember(userId, now); // replaced meanwhile: that one wins
      }
      if (
        error instanceof InvalidRefreshTokenError ||
        error instanceof InvalidTokenError
      ) {
        this.#refused.set(userId, { version: stored.version, error });
      }
      this.#options.onFailure(userId, error as Error);
      throw error;
    }
    const written = await store.set(userId, fresh, stored.version);
    if (!written) return await this.reload(userId); // someone wrote first
    this.remember(userId, written);
    await this.#options.onRefreshed(userId, written.token);
    return written;
  }
}
