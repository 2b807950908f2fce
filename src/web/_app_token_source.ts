// Internal: the app token (client credentials) under the refresh rule, kept
// in the store under `app:<clientId>`. A new one is fetched only while the
// token that failed is still the stored one; concurrent callers in this
// process share one request, and the store's lease makes it one request per
// expiry across every process sharing the store.

import { AccessToken } from "./access_token.ts";
import { TimeoutError } from "./errors.ts";
import type { StoredToken, TokenStore } from "./token_store.ts";
import { LEASE_TTL } from "./_refresh_coordinator.ts";
import { sleep } from "./_request.ts";

/** The longest wait between two looks at a renewal in another process. */
const POLL_MAX = 200;
/** How long a caller waits for another process's renewal to be written. */
const WAIT_LIMIT = 2 * LEASE_TTL;

/** Where the app token is kept. */
export interface SharedAppToken {
  store: TokenStore;
  /** The store key, `app:<clientId>`. */
  key: string;
}

/** One app token, renewed by the refresh rule. */
export class AppTokenSource {
  readonly #request: () => Promise<AccessToken>;
  readonly #shared: SharedAppToken;
  #token: AccessToken | undefined;
  #renewing: Promise<AccessToken> | undefined;

  constructor(request: () => Promise<AccessToken>, shared: SharedAppToken) {
    this.#request = request;
    this.#shared = shared;
  }

  /** The current token, if any. */
  get current(): AccessToken | undefined {
    return this.#token;
  }

  /** A token that does not expire within `margin` milliseconds. */
  async valid(margin: number): Promise<AccessToken> {
    const token = this.#token;
    if (token && !token.isExpired(margin)) return token;
    return await this.renew(token, margin);
  }

  /**
   * A new token if `failed` is still the current one (`undefined`: none
   * yet), else the current one: a token another process stored (and not
   * expiring within `margin`) is taken instead of asking Twitch.
   */
  renew(failed: AccessToken | undefined, margin = 0): Promise<AccessToken> {
    if (this.#token !== failed && this.#token) {
      return Promise.resolve(this.#token);
    }
    this.#renewing ??= this.#renewShared(this.#shared, failed, margin).then(
      (token) => {
        this.#token = token;
        return token;
      },
    ).finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #renewShared(
    { store, key }: SharedAppToken,
    failed: AccessToken | undefined,
    margin: number,
  ): Promise<AccessToken> {
    const deadline = Date.now() + WAIT_LIMIT;
    for (let wait = 5;; wait = Math.min(wait * 2, POLL_MAX)) {
      const stored = await store.get(key) ??
        await store.set(key, placeholder(), null);
      if (!stored) continue; // another process wrote first: read theirs
      if (usable(stored, failed, margin)) return stored.token;
      const lease = await store.acquireLease(key, stored.version, LEASE_TTL);
      if (lease) {
        try {
          const fresh = await this.#request();
          const written = await store.set(key, fresh, stored.version);
          // Written, or someone replaced the token meanwhile: ours still
          // works, and the next renewal reads theirs.
          return written?.token ?? fresh;
        } finally {
          await lease.release();
        }
      }
      if (Date.now() > deadline) {
        throw new TimeoutError(
          "Waiting for another process to renew the app token",
          WAIT_LIMIT,
        );
      }
      await sleep(wait);
    }
  }
}

/** Whether a stored app token can be used instead of asking for a new one. */
function usable(
  stored: StoredToken,
  failed: AccessToken | undefined,
  margin: number,
): boolean {
  return stored.token.accessToken !== failed?.accessToken &&
    !stored.token.isExpired(margin);
}

/**
 * What the first process stores when there is no app token yet: a token
 * expired long ago, whose version the lease for the first request is on.
 */
function placeholder(): AccessToken {
  return new AccessToken({
    accessToken: "none-yet",
    expiresIn: 1,
    scopes: [],
    tokenType: "bearer",
    obtainedAt: 0,
  });
}
