/**
 * The app object: its credentials, one user's tokens kept fresh, and a
 * `fetch` for Helix.
 *
 * @module
 */

import { AccessToken } from "./access_token.ts";
import {
  InvalidArgumentError,
  InvalidTokenError,
  TwitchAuthError,
} from "./errors.ts";
import { MissingScopeError } from "./errors_helix.ts";
import { UnknownUserError } from "./errors_lifecycle.ts";
import { parseScopes } from "./parse_scopes.ts";
import { redact } from "./redact.ts";
import { TokenProvider } from "./token_provider.ts";
import type {
  TokenRefreshFailureListener,
  TokenRefreshListener,
} from "./token_provider_options.ts";
import type { TokenStore } from "./token_store.ts";
import { validateToken } from "./validate_token.ts";
import { requireSecretFor } from "./_refresh_secret.ts";
import { callHelix, helixUrl } from "./_helix.ts";
import type { RequestOptions } from "./request_options.ts";
import { inspectAs } from "./_inspect.ts";

/**
 * The key a {@linkcode Twitch} keeps its user's token under by default: the
 * key under which `FileTokenStore` reads a token at the top level of its
 * file (the CLI's `--output` file).
 *
 * @example Share one user between two app objects
 * ```ts ignore
 * import { DEFAULT_USER_KEY, MemoryTokenStore, Twitch } from "@x/twitch-auth";
 *
 * const store = new MemoryTokenStore();
 * const a = new Twitch("my_app_id", "my_app_secret", { store });
 * const b = new Twitch("my_app_id", "my_app_secret", { store, userKey: DEFAULT_USER_KEY });
 * // a.setUserAuthentication(...) makes b's fetch act as that user too.
 * ```
 */
export const DEFAULT_USER_KEY = "default";

/**
 * Options of a {@linkcode Twitch} app object.
 *
 * @example Keep the user's token in a file that several processes share
 * ```ts ignore
 * import { FileTokenStore, Twitch, type TwitchOptions } from "@x/twitch-auth";
 *
 * const options: TwitchOptions = {
 *   store: new FileTokenStore("bot_token.json"), // e.g. twitch-auth --output bot_token.json
 *   timeout: 10_000,
 * };
 * const twitch = new Twitch("my_app_id", "my_app_secret", options);
 * const response = await twitch.fetch("users"); // as the user in the file
 * ```
 */
export interface TwitchOptions {
  /** Twitch's OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /** Twitch's Helix base URL. Default `https://api.twitch.tv/helix`. */
  helixBaseUrl?: string;
  /** The `fetch` to use for every call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds each call to Twitch may take. Default 30 000. */
  timeout?: number;
  /**
   * How often the user's token is validated at Twitch, in milliseconds.
   * Default 3 600 000 (one hour, as Twitch requires).
   */
  validateInterval?: number;
  /**
   * Where the user's token lives. Default: a new `MemoryTokenStore`. Every
   * `Twitch` (and `TokenProvider`), in this process or another, that shares
   * the store and the `userKey` shares the user, and one refresh per expiry.
   */
  store?: TokenStore;
  /**
   * The key the user's token is kept under in `store`. Default
   * {@linkcode DEFAULT_USER_KEY} (`"default"`).
   */
  userKey?: string;
}

/**
 * An app registered with Twitch, holding its credentials and one user's
 * authentication: a one-user view on a {@linkcode TokenProvider}, which
 * keeps the user's token in a `TokenStore` (its `store` option, in memory
 * by default) under `userKey`. It keeps no token of its own: every token it
 * uses comes from the store through the provider, so `Twitch` objects in
 * several processes sharing a store (a `FileTokenStore`, a
 * `DenoKvTokenStore`...) make one refresh per expiry between them. It hands
 * out a valid access token at any time (refreshing it when it is about to
 * expire, or after Twitch refused it), validates it when set and every hour
 * (timers that do not keep the process alive), and has a `fetch` for Helix
 * that adds the headers and retries once after a 401.
 *
 * @example Keep a bot's token alive in a file the CLI wrote
 * ```ts ignore
 * import { FileTokenStore, Twitch } from "@x/twitch-auth";
 *
 * // twitch-auth -s chat:read --format json --output bot_token.json
 * const twitch = new Twitch("my_app_id", "my_app_secret", {
 *   store: new FileTokenStore("bot_token.json"),
 * });
 * await twitch.validateUserToken(["chat:read"]); // at start, as Twitch asks
 * const response = await twitch.fetch("users"); // refreshed and stored as needed
 * console.log(await response.json());
 * ```
 */
export class Twitch {
  /** The app's client id. */
  readonly clientId: string;
  /** Twitch's OAuth base URL. */
  readonly authBaseUrl: string | undefined;
  /** Twitch's Helix base URL, without a trailing slash. */
  readonly helixBaseUrl: string;
  #clientSecret: string | undefined;
  #options: TwitchOptions;
  #provider: TokenProvider;
  #userKey: string;
  /** The app token this object last handed out. */
  #appToken: AccessToken | undefined;
  #listeners = new Set<TokenRefreshListener>();
  #failureListeners = new Set<TokenRefreshFailureListener>();

  /**
   * Creates the app object.
   *
   * @param appId The app's client id.
   * @param appSecret The app's client secret; leave it out for a public client.
   * @param options Base URLs, `fetch`, `timeout`, `validateInterval`, and
   * the `store` and `userKey` of the user's token.
   * @throws {InvalidArgumentError} when `appId` or `userKey` is empty.
   */
  constructor(appId: string, appSecret?: string, options: TwitchOptions = {}) {
    if (typeof appId !== "string" || appId.trim() === "") {
      throw new InvalidArgumentError(
        "appId is required: copy the client id from the Twitch developer console",
      );
    }
    this.clientId = appId;
    this.#clientSecret = appSecret || undefined;
    this.#options = options;
    this.authBaseUrl = options.authBaseUrl;
    this.#userKey = requireUserKey(options.userKey ?? DEFAULT_USER_KEY);
    this.#provider = this.#newProvider(options.store);
    this.helixBaseUrl = this.#provider.helixBaseUrl;
    inspectAs(this, () => this.#describe());
  }

  /**
   * The app's client id.
   *
   * @deprecated Use {@linkcode Twitch.clientId}.
   */
  get appId(): string {
    return this.clientId;
  }

  /** The app's client secret, for the sign-in flows of this module. */
  get clientSecret(): string | undefined {
    return this.#clientSecret;
  }

  /**
   * The app's client secret.
   *
   * @deprecated Use {@linkcode Twitch.clientSecret}.
   */
  get appSecret(): string | undefined {
    return this.#clientSecret;
  }

  /** Where the user's token lives. */
  get store(): TokenStore {
    return this.#provider.store;
  }

  /** The key the user's token is kept under in {@linkcode Twitch.store}. */
  get userKey(): string {
    return this.#userKey;
  }

  /**
   * Keeps the user's token in `store`, under `userKey`, from now on (what
   * `UserTokenStorage` does with its file). A token held in the store used
   * before stays there and is not copied. Listeners stay registered.
   *
   * @param store The store.
   * @param userKey The key of the user's token. Default
   * {@linkcode DEFAULT_USER_KEY}.
   * @throws {InvalidArgumentError} when `userKey` is empty.
   *
   * @example Move the user to a Deno KV store
   * ```ts ignore
   * import { DenoKvTokenStore, Twitch } from "@x/twitch-auth";
   *
   * const twitch = new Twitch("my_app_id", "my_app_secret");
   * twitch.useStore(new DenoKvTokenStore(await Deno.openKv("tokens.kv")));
   * ```
   */
  useStore(store: TokenStore, userKey: string = DEFAULT_USER_KEY): void {
    this.#userKey = requireUserKey(userKey);
    this.#provider.close();
    this.#provider = this.#newProvider(store);
  }

  /**
   * Options for the token helpers, from this app's settings.
   *
   * @param signal A signal to cancel the call.
   * @returns The request options.
   */
  requestOptions(signal?: AbortSignal): RequestOptions {
    return {
      authBaseUrl: this.authBaseUrl,
      fetch: this.#options.fetch,
      timeout: this.#options.timeout,
      signal,
    };
  }

  /**
   * Sets the user's tokens, writing them to the store (replacing what it
   * held under `userKey`). With `validate` (the default) it asks Twitch
   * first, refreshing once when Twitch calls the token invalid and a refresh
   * token is there, and checks that the token belongs to this app and
   * carries every scope in `scopes`. The token is then validated again every
   * `validateInterval` (an hour by default).
   *
   * @param token The access token, or a whole {@linkcode AccessToken}.
   * @param scopes The scopes the app needs.
   * @param refreshToken The refresh token (taken from `token` when it is an
   * {@linkcode AccessToken}).
   * @param validate Ask Twitch whether the token is valid. Default `true`.
   * Without it, a token given as a string has no known expiry: it is then
   * refreshed when Helix answers 401 through {@linkcode Twitch.fetch}, or
   * when the hourly validation finds it invalid.
   * @throws {InvalidTokenError} when the token is invalid and cannot be
   * refreshed, or belongs to another app.
   * @throws {MissingScopeError} when the token lacks some of `scopes`.
   */
  async setUserAuthentication(
    token: string | AccessToken,
    scopes: readonly string[],
    refreshToken?: string,
    validate = true,
  ): Promise<void> {
    const given = typeof token === "string"
      ? new AccessToken({
        accessToken: token,
        refreshToken,
        expiresIn: 0, // unknown
        scopes,
        tokenType: "bearer",
        obtainedAt: Date.now(),
      })
      : token;
    const withRefresh = refreshToken && typeof token !== "string"
      ? new AccessToken({ ...given.toJSON(), refreshToken })
      : given;
    if (!validate) {
      await this.#provider.setToken(this.#userKey, withRefresh);
      return;
    }
    const checked = await this.#provider.checkToken(withRefresh);
    await this.#provider.setToken(this.#userKey, checked.token);
    if (checked.refreshed) await this.#tell(checked.token, this.#userKey);
    requireScopes(checked.token, scopes, "setUserAuthentication");
  }

  /**
   * Validates the stored user token at Twitch now (Twitch asks apps to
   * validate when they start), without replacing it: when Twitch calls it
   * invalid it is refreshed by the refresh rule (one refresh per expiry
   * among everything sharing the store; a token another process stored
   * meanwhile is used instead), then checked to belong to this app and to
   * carry every scope in `scopes`.
   *
   * @param scopes The scopes the app needs.
   * @returns The valid token.
   * @throws {TwitchAuthError} when no user token is stored.
   * @throws {InvalidRefreshTokenError} when the token cannot be refreshed.
   * @throws {InvalidTokenError} when Twitch refuses even the new token, or
   * the token belongs to another app.
   * @throws {MissingScopeError} when the token lacks some of `scopes`.
   * @throws {MissingClientSecretError} before any request, when the token
   * comes from the authorization code flow (a browser sign-in) and this app
   * object has no client secret: it could not be refreshed.
   *
   * @example Check the stored token at start
   * ```ts ignore
   * import { FileTokenStore, Twitch } from "@x/twitch-auth";
   *
   * const twitch = new Twitch("my_app_id", "my_app_secret", {
   *   store: new FileTokenStore("bot_token.json"),
   * });
   * const token = await twitch.validateUserToken(["chat:read"]);
   * console.log(token.scopes);
   * ```
   */
  async validateUserToken(
    scopes: readonly string[] = [],
  ): Promise<AccessToken> {
    const stored = await this.getUserToken();
    if (stored) requireSecretFor(stored, this.#clientSecret, this.clientId);
    let token = await this.#userToken();
    for (let refreshed = false;; refreshed = true) {
      const result = await validateToken(
        token.accessToken,
        this.requestOptions(),
      );
      if (!("status" in result)) {
        if (result.client_id !== this.clientId) {
          throw new InvalidTokenError(
            `The stored access token belongs to another app (client id ${
              redact(result.client_id)
            }), not ${this.clientId}: sign in again for this app`,
          );
        }
        requireScopes(token, scopes, "validateUserToken");
        return token;
      }
      if (refreshed) {
        throw new InvalidTokenError(
          `Twitch refused the access token ${
            redact(token.accessToken)
          } even after a refresh: sign in again`,
        );
      }
      token = await this.refreshUserToken();
    }
  }

  /**
   * The user's tokens as the store holds them now, or `undefined` when it
   * holds none.
   *
   * @returns The current user token.
   */
  async getUserToken(): Promise<AccessToken | undefined> {
    return (await this.#provider.store.get(this.#userKey))?.token;
  }

  /**
   * A valid user access token, refreshed first when it expires within a
   * minute. Concurrent callers, and processes sharing the store, share one
   * refresh request. After Twitch refused the refresh token, every call
   * rejects with that {@linkcode InvalidRefreshTokenError} until new tokens
   * are set.
   *
   * @returns The access token string, for `Authorization: Bearer`.
   * @throws {TwitchAuthError} when no user token is set.
   * @throws {InvalidRefreshTokenError} when the token cannot be refreshed.
   */
  async getUserAuthToken(): Promise<string> {
    return (await this.#userToken()).accessToken;
  }

  /**
   * Refreshes the user token now, sharing one request among concurrent
   * callers (and processes sharing the store), and tells the
   * {@linkcode onUserAuthRefresh} listeners.
   *
   * @returns The new tokens.
   * @throws {TwitchAuthError} when no user token is set.
   * @throws {InvalidRefreshTokenError} when Twitch refuses the refresh token.
   */
  async refreshUserToken(): Promise<AccessToken> {
    return await this.#asUser(() => this.#provider.refresh(this.#userKey));
  }

  /**
   * Calls `listener` with the new tokens (and the `userKey`) after every
   * refresh this object makes, exactly once per refresh, once they are in
   * the store. The store already keeps them: a listener is for telling
   * others.
   *
   * @param listener Called with the new tokens; awaited.
   * @returns A function that removes the listener.
   *
   * @example Log refreshes
   * ```ts ignore
   * import { Twitch } from "@x/twitch-auth";
   *
   * const twitch = new Twitch("my_app_id", "my_app_secret");
   * twitch.onUserAuthRefresh((token) => console.log("valid until", new Date(token.expiresAt)));
   * ```
   */
  onUserAuthRefresh(listener: TokenRefreshListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` when refreshing the user's token fails, including a
   * refresh started by the hourly validation (which has no caller to throw
   * to): an `InvalidRefreshTokenError` means the user must sign in again.
   *
   * @param listener Called with the error (and the `userKey`).
   * @returns A function that removes the listener.
   *
   * @example Notice a revoked sign-in
   * ```ts ignore
   * import { Twitch } from "@x/twitch-auth";
   *
   * const twitch = new Twitch("my_app_id", "my_app_secret");
   * twitch.onUserAuthRefreshFailure((error) => console.error(error.message));
   * ```
   */
  onUserAuthRefreshFailure(listener: TokenRefreshFailureListener): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /**
   * Gets an app access token (client credentials) for calls without a user.
   * It is renewed by {@linkcode getAppAuthToken} when it expires. Concurrent
   * calls share one request.
   *
   * @param scopes Accepted as in pyTwitchAPI's `authenticate_app(scope)`, and
   * checked to be Twitch scopes; Twitch's client credentials grant takes no
   * scopes, so app tokens carry none.
   * @returns The app token.
   * @throws {InvalidArgumentError} when the app has no client secret.
   * @throws {UnknownScopeError} when a scope name is not a Twitch scope.
   */
  async authenticateApp(scopes: readonly string[] = []): Promise<AccessToken> {
    parseScopes(scopes);
    this.#requireSecret();
    return this.#appToken = await this.#provider.getAppToken(this.#appToken);
  }

  /**
   * A valid app access token, renewed when it expires within a minute.
   *
   * @returns The app access token string.
   * @throws {InvalidArgumentError} when the app has no client secret.
   */
  async getAppAuthToken(): Promise<string> {
    this.#requireSecret();
    return (this.#appToken = await this.#provider.getAppToken()).accessToken;
  }

  /**
   * A `fetch` for Helix: `input` is a path under the Helix base URL
   * (`"users?login=twitchdev"`) or a full URL under it; any other address is
   * refused, so the token never goes to another host. It adds `Client-Id`
   * and `Authorization: Bearer` (the user's token when the store holds one,
   * else the app's), and on a 401 refreshes (only if no one did since that
   * token was sent) and retries the request once. A `ReadableStream` body
   * is buffered (up to 1 MiB) so the retry sends it whole; a longer one is
   * streamed once and its 401 response returned unretried.
   *
   * @param input A Helix path or URL.
   * @param init The usual `fetch` options.
   * @returns Twitch's response.
   * @throws {InvalidArgumentError} when `input` is not under the Helix base,
   * or when there is neither a user token nor a client secret.
   */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = helixUrl(this.helixBaseUrl, input);
    if (await this.#provider.store.get(this.#userKey)) {
      return await this.#provider.fetch(this.#userKey, url, init);
    }
    this.#requireSecret();
    return await callHelix({
      url,
      init,
      clientId: this.clientId,
      fetch: this.#options.fetch,
      token: async () => {
        const used = await this.#provider.getAppToken();
        return {
          accessToken: used.accessToken,
          renew: async () =>
            (await this.#provider.getAppToken(used)).accessToken,
        };
      },
    });
  }

  /**
   * Stops the hourly validation timer. A script does not need it to exit
   * (the timer does not keep the process alive); tests and servers that
   * drop the object may call it.
   */
  close(): void {
    this.#provider.close();
  }

  /** Same as {@linkcode close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #newProvider(store: TokenStore | undefined): TokenProvider {
    const options = this.#options;
    const provider = new TokenProvider({
      clientId: this.clientId,
      clientSecret: this.#clientSecret,
      authBaseUrl: options.authBaseUrl,
      helixBaseUrl: options.helixBaseUrl,
      fetch: options.fetch,
      timeout: options.timeout,
      validateInterval: options.validateInterval,
      store,
    });
    // The provider keeps one key only: this object's user.
    provider.onRefresh((token, key) => this.#tell(token, key));
    provider.onRefreshFailure((error, key) => {
      for (const listener of [...this.#failureListeners]) listener(error, key);
    });
    return provider;
  }

  async #userToken(): Promise<AccessToken> {
    return await this.#asUser(() =>
      this.#provider.getAccessToken(this.#userKey)
    );
  }

  /** Runs `work` on the user's token; no token is a clear error. */
  async #asUser<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UnknownUserError && error.userId === this.#userKey) {
        throw new TwitchAuthError(
          "No user token is set: call setUserAuthentication() or sign in with UserAuthenticator first",
        );
      }
      throw error;
    }
  }

  async #tell(token: AccessToken, key: string): Promise<void> {
    for (const listener of [...this.#listeners]) await listener(token, key);
  }

  #requireSecret(): void {
    if (!this.#clientSecret) {
      throw new InvalidArgumentError(
        "An app token needs the client secret: pass it to new Twitch(appId, appSecret)",
      );
    }
  }

  /**
   * Shows the app without its secret or tokens.
   *
   * @returns A redacted description.
   */
  #describe(): string {
    return `Twitch { clientId: ${
      JSON.stringify(this.clientId)
    }, clientSecret: ${JSON.stringify(redact(this.#clientSecret))}, userKey: ${
      JSON.stringify(this.#userKey)
    } }`;
  }
}

function requireUserKey(userKey: unknown): string {
  if (typeof userKey !== "string" || userKey === "") {
    throw new InvalidArgumentError(
      `userKey must be a non-empty string (default "${DEFAULT_USER_KEY}")`,
    );
  }
  return userKey;
}

function requireScopes(
  token: AccessToken,
  scopes: readonly string[],
  call: string,
): void {
  const missing = scopes.filter((s) => !token.scopes.includes(s));
  if (missing.length > 0) {
    throw new MissingScopeError(call, missing[0], {
      tokenScopes: token.scopes,
      missing,
    });
  }
}
