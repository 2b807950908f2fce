/**
 * Many users' tokens in one place, kept valid by the refresh rule.
 *
 * @module
 */

import { missingScopeFor } from "./_scope_check.ts";
import { AccessToken } from "./access_token.ts";
import { getAppAccessToken } from "./app_access_token.ts";
import { InvalidArgumentError, InvalidTokenError } from "./errors.ts";
import { MemoryTokenStore } from "./memory_token_store.ts";
import { redact } from "./redact.ts";
import { refreshAccessToken } from "./refresh_access_token.ts";
import {
  APP_TOKEN_KEY_PREFIX,
  isUserKey,
  type StoredToken,
  type TokenStore,
} from "./token_store.ts";
import {
  type CheckedToken,
  DEFAULT_HELIX_BASE_URL,
  DEFAULT_VALIDATE_INTERVAL,
  type TokenProviderOptions,
  type TokenRefreshFailureListener,
  type TokenRefreshListener,
} from "./token_provider_options.ts";
import { validateToken } from "./validate_token.ts";
import { AppTokenSource } from "./_app_token_source.ts";
import { callHelix, helixUrl } from "./_helix.ts";
import { LEASE_TTL, RefreshCoordinator } from "./_refresh_coordinator.ts";
import { DEFAULT_TIMEOUT } from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";
import { ValidationSchedule } from "./_validation_schedule.ts";
import { carryOver, requireSecretFor } from "./_refresh_secret.ts";
import { inspectAs } from "./_inspect.ts";

/** The most lifetime left at which a token is refreshed, in milliseconds. */
const EXPIRY_MARGIN = 60_000;
/** The refresh request must end well inside the refresh lease. */
const REFRESH_TIMEOUT = LEASE_TTL - 2_000;

/**
 * Many users' tokens, kept valid: `getAccessToken` hands out a token that
 * does not expire within a minute (a quarter of its lifetime for a token
 * that lives under 4 minutes), `fetch` calls Helix as a user and retries
 * once after a 401 that says the token is invalid. Refreshes follow one rule: a token is refreshed only
 * while the token that failed (a 401, or expiry by the clock) is still the
 * current one, so 1,000 concurrent callers make one refresh request, and
 * processes sharing a store (a `FileTokenStore`, a `DenoKvTokenStore`) make
 * one per expiry between them. The new token is written to the store before
 * anything else happens. Each token is validated at Twitch when added and
 * then every `validateInterval`, with timers that do not keep the process
 * alive; on a store with `claim` (all of this package's), once per interval
 * across every process sharing the store, not once per process. The app
 * token ({@linkcode TokenProvider.getAppToken}) is kept in the store too.
 *
 * @example Keep many users' tokens
 * ```ts ignore
 * import { AccessToken, TokenProvider } from "@x/twitch-auth";
 *
 * const provider = new TokenProvider({ clientId: "my_app_id", clientSecret: "my_app_secret" });
 * provider.onRefreshFailure((error, userId) => console.error(userId, error.message));
 * const userId = await provider.addUser(AccessToken.fromJSON(await Deno.readTextFile("token.json")));
 * const response = await provider.fetch(userId, "users");
 * console.log(await response.json());
 * ```
 */
export class TokenProvider {
  /** The app's client id. */
  readonly clientId: string;
  /** Twitch's Helix base URL, without a trailing slash. */
  readonly helixBaseUrl: string;
  /** Where the tokens live. */
  readonly store: TokenStore;
  readonly #clientSecret: string | undefined;
  readonly #requestOptions: RequestOptions;
  readonly #coordinator: RefreshCoordinator;
  readonly #refreshListeners = new Set<TokenRefreshListener>();
  readonly #failureListeners = new Set<TokenRefreshFailureListener>();
  readonly #schedule: ValidationSchedule;
  readonly #appToken: AppTokenSource;
  readonly #checkScopes: boolean;

  /**
   * Creates the provider; it holds no timer until a user is added.
   *
   * @param options The app's credentials, the store and the base URLs.
   * @throws {InvalidArgumentError} when `clientId` is empty or
   * `validateInterval` is not a positive number.
   */
  constructor(options: TokenProviderOptions) {
    const { clientId, validateInterval = DEFAULT_VALIDATE_INTERVAL } =
      options ?? {};
    if (typeof clientId !== "string" || clientId.trim() === "") {
      throw new InvalidArgumentError(
        "clientId is required: copy the client id from the Twitch developer console",
      );
    }
    if (!(validateInterval > 0) || !Number.isFinite(validateInterval)) {
      throw new InvalidArgumentError(
        `validateInterval must be a positive number of milliseconds (default ${DEFAULT_VALIDATE_INTERVAL}), got ${validateInterval}`,
      );
    }
    this.clientId = clientId;
    this.#clientSecret = options.clientSecret || undefined;
    this.helixBaseUrl = (options.helixBaseUrl ?? DEFAULT_HELIX_BASE_URL)
      .replace(/\/+$/, "");
    this.store = options.store ?? new MemoryTokenStore();
    this.#checkScopes = options.checkScopes === true;
    this.#requestOptions = {
      authBaseUrl: options.authBaseUrl,
      fetch: options.fetch,
      timeout: options.timeout,
    };
    const store = this.store;
    this.#schedule = new ValidationSchedule(
      validateInterval,
      (userId, signal) => this.#validateUser(userId, signal),
      store.claim &&
        ((userId) => store.claim!(`validate:${userId}`, validateInterval)),
    );
    this.#appToken = new AppTokenSource(
      () =>
        getAppAccessToken(
          clientId,
          this.#requireSecret(),
          this.#requestOptions,
        ),
      { store, key: `${APP_TOKEN_KEY_PREFIX}${clientId}` },
    );
    this.#coordinator = new RefreshCoordinator({
      store: this.store,
      refresh: (token) => this.#refreshAtTwitch(token),
      onRefreshed: (userId, token) => this.#tellRefreshed(userId, token),
      onFailure: (userId, error) => this.#tellFailure(userId, error),
    });
    inspectAs(this, () => this.#describe());
  }

  /**
   * Validates a token at Twitch, adds (or replaces) it as its user's token
   * and watches it (validated every `validateInterval`). A token Twitch
   * calls invalid is refreshed first when it has a refresh token.
   *
   * @param token The user's token.
   * @returns The Twitch user id the token belongs to.
   * @throws {InvalidTokenError} when Twitch refuses the token and it cannot
   * be refreshed, or it belongs to another app.
   * @throws {InvalidArgumentError} when it is an app token (no user).
   * @throws {MissingClientSecretError} before any request, when the token
   * comes from the authorization code flow and the provider has no
   * `clientSecret` (it could never be refreshed).
   */
  async addUser(token: AccessToken): Promise<string> {
    const checked = await this.checkToken(token);
    await this.setToken(checked.userId, checked.token);
    if (checked.refreshed) {
      await this.#tellRefreshed(checked.userId, checked.token);
    }
    return checked.userId;
  }

  /**
   * Stores a token for a user without asking Twitch, replacing any token
   * stored for them, and watches it. Use {@linkcode addUser} unless you know
   * whose token it is. A token whose lifetime is unknown (`expiresIn` 0) is
   * used until Twitch refuses it, then refreshed.
   *
   * @param userId The Twitch user id the token belongs to.
   * @param token The user's token.
   * @returns The stored record.
   * @throws {MissingClientSecretError} when the token comes from the
   * authorization code flow and the provider has no `clientSecret`.
   */
  async setToken(userId: string, token: AccessToken): Promise<StoredToken> {
    requireAccessToken(token);
    requireSecretFor(token, this.#clientSecret, this.clientId);
    if (typeof userId !== "string" || userId === "") {
      throw new InvalidArgumentError("userId must be a non-empty string");
    }
    for (;;) {
      const current = await this.store.get(userId);
      const written = await this.store.set(
        userId,
        token,
        current?.version ?? null,
      );
      if (written) {
        this.#coordinator.forget(userId);
        this.#coordinator.remember(userId, written);
        this.#schedule.watch(userId);
        return written;
      }
    }
  }

  /**
   * Asks Twitch whose token this is and what it may do, refreshing it once
   * when Twitch calls it invalid and it has a refresh token. Stores nothing.
   *
   * @param token The token to check.
   * @returns The token with its real lifetime and scopes, and its user id.
   * @throws {InvalidTokenError} when Twitch refuses the token and it cannot
   * be refreshed, or it belongs to another app.
   * @throws {InvalidArgumentError} when it is an app token (no user).
   * @throws {MissingClientSecretError} before any request, when the token
   * comes from the authorization code flow and there is no `clientSecret`.
   */
  async checkToken(token: AccessToken): Promise<CheckedToken> {
    let current = requireAccessToken(token);
    requireSecretFor(current, this.#clientSecret, this.clientId);
    let refreshed = false;
    for (;;) {
      const result = await validateToken(
        current.accessToken,
        this.#requestOptions,
      );
      if ("status" in result) {
        if (!current.refreshToken || refreshed) {
          throw new InvalidTokenError(
            `Twitch refused the access token ${
              redact(current.accessToken)
            } and it cannot be refreshed: sign in again`,
          );
        }
        current = await this.#refreshAtTwitch(current);
        refreshed = true;
        continue;
      }
      if (result.client_id !== this.clientId) {
        throw new InvalidTokenError(
          `The access token belongs to another app (client id ${
            redact(result.client_id)
          }), not ${this.clientId}: get a token for this app`,
        );
      }
      if (!result.user_id) {
        throw new InvalidArgumentError(
          "This is an app access token, not a user's: a TokenProvider keeps user tokens",
        );
      }
      return {
        token: new AccessToken({
          ...current.toJSON(),
          expiresIn: result.expires_in,
          scopes: result.scopes,
          obtainedAt: Date.now(),
        }),
        userId: result.user_id,
        refreshed,
      };
    }
  }

  /**
   * A valid token for the user: refreshed first (by the refresh rule) when
   * it expires within a minute, or within a quarter of its lifetime when
   * that is shorter. After Twitch refused a user's refresh token, this
   * rejects at once with that error until a new token is added. After a
   * refresh failed for a reason that may pass (Twitch down, the network, a
   * timeout), the callers of that token get a `RefreshBackoffError`
   * at once, without a request, until the backoff (about 1 s, doubling up to
   * about 60 s) has passed.
   *
   * @param userId The Twitch user id.
   * @returns The user's access token.
   * @throws {UnknownUserError} when no token is stored for the user.
   * @throws {InvalidRefreshTokenError} when the token cannot be refreshed.
   * @throws {RefreshBackoffError} while a failed refresh waits out its backoff.
   */
  async getAccessToken(userId: string): Promise<AccessToken> {
    return (await this.#valid(userId)).token;
  }

  /**
   * Refreshes the user's current token now (sharing the refresh with any
   * other caller in this process or, through the store, in other
   * processes). After Twitch refused the refresh token, rejects at once.
   *
   * @param userId The Twitch user id.
   * @returns The new token.
   * @throws {UnknownUserError} when no token is stored for the user.
   * @throws {InvalidRefreshTokenError} when Twitch refuses the refresh token.
   */
  async refresh(userId: string): Promise<AccessToken> {
    this.#schedule.watch(userId);
    const current = await this.#coordinator.current(userId);
    const refusal = this.#coordinator.refusal(userId, current.version);
    if (refusal) throw refusal;
    return (await this.#coordinator.refresh(userId, current.version)).token;
  }

  /**
   * A `fetch` for Helix as the user: `input` is a path under the Helix base
   * URL (`"users?login=twitchdev"`) or a full URL under it; any other
   * address is refused, so the token never goes to another host. It adds
   * `Client-Id` and `Authorization: Bearer`; on a 401 whose body says the
   * token is invalid (or says nothing) it runs the refresh rule and sends
   * the request once more. A 401 for a missing scope (`Missing scope: X`) or
   * another app's token (`Client ID and OAuth token do not match`) comes
   * back untouched and refreshes nothing: no new token fixes those. A `ReadableStream` body is
   * buffered (up to 1 MiB) so that the retry sends it whole; a longer one is
   * streamed once, and its 401 response is returned unretried.
   *
   * @param userId The Twitch user id.
   * @param input A Helix path or URL.
   * @param init The usual `fetch` options.
   * @returns Twitch's response.
   * @throws {InvalidArgumentError} when `input` is not under the Helix base.
   * @throws {UnknownUserError} when no token is stored for the user.
   * @throws {MissingScopeError} with `checkScopes`, before sending, when the
   * token's scopes lack what the endpoint needs.
   */
  async fetch(
    userId: string,
    input: string | URL,
    init: RequestInit = {},
  ): Promise<Response> {
    const url = helixUrl(this.helixBaseUrl, input);
    return await callHelix({
      url,
      init,
      clientId: this.clientId,
      fetch: this.#requestOptions.fetch,
      token: async () => {
        const used = await this.#valid(userId);
        if (this.#checkScopes) {
          const lacking = await missingScopeFor(
            init.method ?? "GET",
            url.pathname.slice(new URL(this.helixBaseUrl).pathname.length),
            used.token.scopes,
          );
          if (lacking) throw lacking;
        }
        return {
          accessToken: used.token.accessToken,
          renew: async () =>
            (await this.#coordinator.refresh(userId, used.version)).token
              .accessToken,
        };
      },
    });
  }

  /**
   * Removes a user's token from the store and stops watching it.
   *
   * @param userId The Twitch user id.
   */
  async removeUser(userId: string): Promise<void> {
    this.#schedule.unwatch(userId);
    this.#coordinator.forget(userId);
    await this.store.delete(userId);
  }

  /**
   * The users with a token in the store (added here or by another process
   * sharing it).
   *
   * @returns Their Twitch user ids.
   */
  async users(): Promise<string[]> {
    return (await this.store.list()).filter(isUserKey);
  }

  /**
   * A valid app access token (client credentials), kept in the store under
   * `app:<clientId>` and shared by every process on that store: a new one is
   * requested once per expiry across all of them, and only when the stored
   * one expires within a minute or is `refused`.
   *
   * @param refused A token Twitch answered 401 to; renewed only if it is
   * still the stored one.
   * @returns The app token.
   * @throws {InvalidArgumentError} when the provider has no client secret.
   * @throws {InvalidClientError} when Twitch refuses the client id or secret.
   */
  async getAppToken(refused?: AccessToken): Promise<AccessToken> {
    this.#requireSecret();
    return refused
      ? await this.#appToken.renew(refused, EXPIRY_MARGIN)
      : await this.#appToken.valid(EXPIRY_MARGIN);
  }

  /**
   * Calls `listener` after each refresh this process makes, once the new
   * token is stored (or, when the store failed to write it, once it is kept
   * in memory to be written again). Awaited: the callers waiting for that token get it
   * after the listener, and an error it throws reaches them.
   *
   * @param listener Called with the new token and the user id.
   * @returns A function that removes the listener.
   */
  onRefresh(listener: TokenRefreshListener): () => void {
    this.#refreshListeners.add(listener);
    return () => this.#refreshListeners.delete(listener);
  }

  /**
   * Calls `listener` when a refresh fails, with the user id; including one
   * started by the hourly validation, which has no caller to throw to. A
   * refused refresh token is reported once and not tried again; a failure
   * that may pass once per attempt (callers in its backoff do not repeat
   * it). When the store cannot write a new token, the listener hears a
   * `TokenNotSavedError` per failed write: the token is served from memory
   * meanwhile and the write tried again with backoff.
   *
   * @param listener Called with the error and the user id.
   * @returns A function that removes the listener.
   */
  onRefreshFailure(listener: TokenRefreshFailureListener): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /**
   * Validates every watched user's token at Twitch now, refreshing those
   * Twitch calls invalid; failures go to the {@linkcode onRefreshFailure}
   * listeners. This is what runs every `validateInterval`.
   */
  async validateNow(): Promise<void> {
    await this.#schedule.runNow();
  }

  /**
   * Stops the hourly validation timer. Not needed for a script to exit (the
   * timer does not keep the process alive); for tests and for servers that
   * drop a provider. The provider keeps working otherwise.
   */
  close(): void {
    this.#schedule.close();
    this.#coordinator.close();
  }

  /** Same as {@linkcode close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #requireSecret(): string {
    if (!this.#clientSecret) {
      throw new InvalidArgumentError(
        "An app token needs the client secret: pass clientSecret to the TokenProvider",
      );
    }
    return this.#clientSecret;
  }

  async #valid(userId: string): Promise<StoredToken> {
    this.#schedule.watch(userId);
    const stored = await this.#coordinator.current(userId);
    const refusal = this.#coordinator.refusal(userId, stored.version);
    if (refusal) throw refusal;
    if (!expiring(stored.token, refreshMargin(stored.token))) return stored;
    const fresh = await this.#coordinator.refresh(userId, stored.version);
    // What replaced our token (another process's, read from the store) may
    // itself be long expired: refresh that one too. Our own new token is not
    // refreshed again, even if Twitch gave it less than the margin.
    return expiring(fresh.token, 0)
      ? await this.#coordinator.refresh(userId, fresh.version)
      : fresh;
  }

  async #validateUser(userId: string, signal: AbortSignal): Promise<void> {
    const stored = await this.#coordinator.current(userId);
    if (this.#coordinator.refusal(userId, stored.version)) return;
    const result = await validateToken(stored.token.accessToken, {
      ...this.#requestOptions,
      signal,
    });
    if ("status" in result) {
      await this.#coordinator.refresh(userId, stored.version);
    }
  }

  async #refreshAtTwitch(token: AccessToken): Promise<AccessToken> {
    if (!token.refreshToken) {
      throw new InvalidTokenError(
        "The access token expired or was refused, and there is no refresh token: sign in again",
      );
    }
    requireSecretFor(token, this.#clientSecret, this.clientId);
    const fresh = await refreshAccessToken(
      token.refreshToken,
      this.clientId,
      this.#clientSecret,
      {
        ...this.#requestOptions,
        timeout: Math.min(
          this.#requestOptions.timeout ?? DEFAULT_TIMEOUT,
          REFRESH_TIMEOUT,
        ),
      },
    );
    return carryOver(token, fresh);
  }

  async #tellRefreshed(userId: string, token: AccessToken): Promise<void> {
    for (const listener of [...this.#refreshListeners]) {
      await listener(token, userId);
    }
  }

  #tellFailure(userId: string, error: Error): void {
    for (const listener of [...this.#failureListeners]) {
      try {
        listener(error, userId);
      } catch {
        // A failing failure listener must not hide the refresh's own error.
      }
    }
  }

  /**
   * Shows the provider without its secret or tokens.
   *
   * @returns A redacted description.
   */
  #describe(): string {
    return `TokenProvider { clientId: ${
      JSON.stringify(this.clientId)
    }, clientSecret: ${
      JSON.stringify(redact(this.#clientSecret))
    }, users: ${this.#schedule.size} }`;
  }
}

function requireAccessToken(token: unknown): AccessToken {
  if (!(token instanceof AccessToken)) {
    throw new InvalidArgumentError(
      "token must be an AccessToken: read stored JSON with AccessToken.fromJSON()",
    );
  }
  return token;
}

/**
 * How long before its expiry a token is refreshed: a quarter of its
 * lifetime, at most a minute. A token Twitch gives for 4 hours is refreshed
 * in its last minute; one that lives 30 s, in its last 7.5 s (not on every
 * call, as a fixed minute would).
 */
function refreshMargin(token: AccessToken): number {
  return Math.min(EXPIRY_MARGIN, (token.expiresIn * 1000) / 4);
}

/** Whether a token's known lifetime ends within `margin` milliseconds. */
function expiring(token: AccessToken, margin: number): boolean {
  return token.expiresIn > 0 && token.isExpired(margin);
}
