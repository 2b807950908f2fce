// Internal: the refresh rule. A token is refreshed only while the version
// that failed (a 401, or expiry by the clock) is still the stored one;
// concurrent callers in this process share one refresh per version, and
// processes sharing the store share one through its lease. The new token is
// written to the store before anything else happens (no listener first).
// A refresh that fails for a reason that may pass is not tried again for
// that version until a backoff has passed; one that cannot pass (the refresh
// token refused, the app's credentials wrong or its secret missing) is not
// tried again for that version at all; a token Twitch gave whose write
// failed is kept here (tied to the version it replaces), served, and written
// again with backoff.

import type { AccessToken } from "./access_token.ts";
import {
  InvalidClientError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  MissingClientSecretError,
  TimeoutError,
} from "./errors.ts";
import {
  RefreshBackoffError,
  TokenNotSavedError,
  UnknownUserError,
} from "./errors_lifecycle.ts";
import type { StoredToken, TokenStore } from "./token_store.ts";
import { backoffDelay } from "./_backoff.ts";
import { startBackgroundTimer } from "./_background_timer.ts";
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
  /** Hears every refresh that failed, and every failed write of a new token, once per attempt. */
  onFailure(userId: string, error: Error): void;
}

/** A refresh that failed for a reason that may pass, by user. */
interface Backoff {
  /** The version whose refresh failed. */
  version: string;
  /** Failures in a row for that version. */
  failures: number;
  /** No new try before this time (epoch ms). */
  retryAt: number;
  error: Error;
}

/** A token Twitch gave whose write to the store failed, by user. */
interface Unsaved {
  /** The stored version the token replaces (and is written over). */
  base: string;
  /** What this process serves meanwhile. */
  record: StoredToken;
  /** Failed writes in a row. */
  failures: number;
  /** Cancels the next write's timer. */
  cancel(): void;
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
  /** Failed refreshes waiting out their backoff, by user. */
  readonly #backoff = new Map<string, Backoff>();
  /** New tokens not yet written to the store, by user. */
  readonly #unsaved = new Map<string, Unsaved>();

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

  /**
   * The user's token as stored now; or the new token whose write failed,
   * while the store still holds the version it replaces (a write by anyone
   * since wins over it).
   */
  async reload(userId: string): Promise<StoredToken> {
    const stored = await this.#options.store.get(userId);
    if (!stored) {
      this.forget(userId);
      throw new UnknownUserError(userId);
    }
    const unsaved = this.#unsaved.get(userId);
    if (unsaved?.base === stored.version) {
      return this.remember(userId, unsaved.record);
    }
    if (unsaved) this.#dropUnsaved(userId);
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
    this.#backoff.delete(userId);
    this.#dropUnsaved(userId);
  }

  /**
   * Stops the timers of writes still to retry; their tokens stay served
   * from memory, and the next refresh writes its own.
   */
  close(): void {
    for (const unsaved of this.#unsaved.values()) unsaved.cancel();
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

  /** The error for callers of a version whose refresh waits out a backoff. */
  #backoffOf(userId: string, version: string): Error | undefined {
    const backoff = this.#backoff.get(userId);
    if (backoff?.version !== version || Date.now() >= backoff.retryAt) {
      return undefined;
    }
    return new RefreshBackoffError(userId, backoff.retryAt, {
      cause: backoff.error,
    });
  }

  /** The version the store holds for what this process serves as `version`. */
  #storeVersion(userId: string, version: string): string {
    const unsaved = this.#unsaved.get(userId);
    return unsaved?.record.version === version ? unsaved.base : version;
  }

  async #flight(userId: string, failed: string): Promise<StoredToken> {
    const { store } = this.#options;
    const deadline = Date.now() + WAIT_LIMIT;
    for (let wait = POLL_FIRST;; wait = Math.min(wait * 2, POLL_MAX)) {
      const stored = await this.reload(userId);
      if (stored.version !== failed) return stored;
      const refusal = this.#refusalOf(userId, failed) ??
        this.#backoffOf(userId, failed);
      if (refusal) throw refusal;
      const lease = await store.acquireLease(
        userId,
        this.#storeVersion(userId, failed),
        LEASE_TTL,
      );
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
    const base = this.#storeVersion(userId, stored.version);
    let fresh: AccessToken;
    try {
      fresh = await this.#options.refresh(stored.token);
    } catch (error) {
      const now = await this.reload(userId);
      if (now.version !== stored.version) return now; // replaced meanwhile: that one wins
      if (isFinal(error)) {
        this.#refused.set(userId, { version: stored.version, error });
      } else {
        this.#backOff(userId, stored.version, error as Error);
      }
      this.#options.onFailure(userId, error as Error);
      throw error;
    }
    this.#backoff.delete(userId);
    let written: StoredToken | null;
    try {
      written = await store.set(userId, fresh, base);
    } catch (error) {
      // Twitch answered: never drop what it gave (a public client's old
      // refresh token is spent). Serve it, and write it again later.
      const kept = this.#keepUnsaved(userId, base, fresh, error);
      await this.#options.onRefreshed(userId, fresh);
      return kept;
    }
    this.#dropUnsaved(userId);
    if (!written) return await this.reload(userId); // someone wrote first
    this.remember(userId, written);
    await this.#options.onRefreshed(userId, written.token);
    return written;
  }

  /** Notes a failure that may pass: no new try for `version` before the backoff ends. */
  #backOff(userId: string, version: string, error: Error): void {
    const previous = this.#backoff.get(userId);
    const failures = previous?.version === version ? previous.failures + 1 : 1;
    this.#backoff.set(userId, {
      version,
      failures,
      retryAt: Date.now() + backoffDelay(failures),
      error,
    });
  }

  /** Serves `token` in place of version `base` and retries its write. */
  #keepUnsaved(
    userId: string,
    base: string,
    token: AccessToken,
    error: unknown,
  ): StoredToken {
    this.#dropUnsaved(userId);
    const unsaved: Unsaved = {
      base,
      record: { token, version: `${base}+unsaved:${crypto.randomUUID()}` },
      failures: 0,
      cancel: () => {},
    };
    this.#unsaved.set(userId, unsaved);
    this.#saveLater(userId, unsaved, error);
    return this.remember(userId, unsaved.record);
  }

  /** Tells the failure listeners and schedules the next write. */
  #saveLater(userId: string, unsaved: Unsaved, error: unknown): void {
    const delay = backoffDelay(++unsaved.failures);
    unsaved.cancel = startBackgroundTimer(
      () => void this.#save(userId, unsaved),
      delay,
    );
    this.#options.onFailure(
      userId,
      new TokenNotSavedError(userId, Date.now() + delay, { cause: error }),
    );
  }

  async #save(userId: string, unsaved: Unsaved): Promise<void> {
    if (this.#unsaved.get(userId) !== unsaved) return;
    let written: StoredToken | null;
    try {
      written = await this.#options.store.set(
        userId,
        unsaved.record.token,
        unsaved.base,
      );
    } catch (error) {
      if (this.#unsaved.get(userId) === unsaved) {
        this.#saveLater(userId, unsaved, error);
      }
      return;
    }
    if (this.#unsaved.get(userId) !== unsaved) return;
    this.#unsaved.delete(userId);
    // Written: serve the stored record. Not written: another write came
    // first (a new sign-in, another process): that one wins.
    if (written) this.remember(userId, written);
    else this.#cache.delete(userId);
  }

  #dropUnsaved(userId: string): void {
    this.#unsaved.get(userId)?.cancel();
    this.#unsaved.delete(userId);
  }
}

/**
 * Whether a failed refresh cannot pass by trying again: Twitch refused the
 * token, or the app's credentials (a wrong or missing client secret, fixed
 * only by starting with the right one).
 */
function isFinal(error: unknown): error is Error {
  return error instanceof InvalidRefreshTokenError ||
    error instanceof InvalidTokenError ||
    error instanceof InvalidClientError ||
    error instanceof MissingClientSecretError;
}
