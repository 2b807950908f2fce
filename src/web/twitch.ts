/**
 * The app object: its credentials, one user's tokens kept fresh, and a
 * `fetch` for Helix.
 *
 * @module
 */

import { AccessToken } from "./access_token.ts";
import { getAppAccessToken } from "./app_access_token.ts";
import {
  InvalidArgumentError,
  MissingScopeError,
  TwitchAuthError,
} from "./errors.ts";
import { parseScopes } from "./parse_scopes.ts";
import { redact } from "./redact.ts";
import { TokenProvider } from "./token_provider.ts";
import { AppTokenSource } from "./_app_token_source.ts";
import { callHelix, helixUrl } from "./_helix.ts";
import type { RequestOptions } from "./request_options.ts";

/** How close to its expiry a token is renewed, in milliseconds. */
const EXPIRY_MARGIN = 60_000;
/** The key of the one user in this object's own store. */
const USER = "user";

/**
 * Options of a {@linkcode Twitch} app object.
 *
 * @example Run the app against the mock Twitch, with a shorter timeout
 * ```ts ignore
 * import { Twitch } from "@x/twitch-auth";
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const twitch = new Twitch(mock.clientId, mock.clientSecret, {
 *   authBaseUrl: mock.authBaseUrl, // every OAuth call goes to the mock
 *   helixBaseUrl: mock.helixBaseUrl, // and every Helix call
 *   timeout: 5_000, // each call gives up after 5 s
 * });
 * const user = mock.issueUserToken({ scopes: ["chat:read"] });
 * await twitch.setUserAuthentication(user.accessToken, ["chat:read"], user.refreshToken);
 * twitch.close();
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
}

/**
 * Called with the new tokens after every refresh, to store them.
 *
 * @example Keep every refreshed token in a file the next start reads
 * ```ts ignore
 * import { AccessToken, Twitch, writeSecretFile } from "@x/twitch-auth";
 *
 * const twitch = new Twitch("my_app_id", "my_app_secret");
 * const saved = AccessToken.fromJSON(await Deno.readTextFile("token.json"));
 * await twitch.setUserAuthentication(saved.accessToken, [], saved.refreshToken);
 * // A refresh may rotate the refresh token: write it before it is needed again.
 * twitch.onUserAuthRefresh((token) =>
 *   writeSecretFile("token.json", JSON.stringify(token))
 * );
 * ```
 */
export type TokenRefreshListener = (token: AccessToken) => void | Promise<void>;

/**
 * An app registered with Twitch, holding its credentials and one user's
 * authentication: a one-user view on a {@linkcode TokenProvider}. It hands
 * out a valid access token at any time (refreshing it when it is about to
 * expire, or after Twitch refused it, with one request however many callers
 * wait), validates it when set and every hour (timers that do not keep the
 * process alive), and has a `fetch` for Helix that adds the headers and
 * retries once after a 401.
 *
 * @example Keep a bot's token alive
 * ```ts ignore
 * import { Twitch } from "@x/twitch-auth";
 *
 * const twitch = new Twitch("my_app_id", "my_app_secret");
 * twitch.onUserAuthRefresh(async (token) => {
 *   await Deno.writeTextFile("token.json", JSON.stringify(token));
 * });
 * await twitch.setUserAuthentication("access", ["chat:read"], "refresh");
 * const response = await twitch.fetch("users");
 * console.log(await response.json());
 * ```
 */
export class Twitch {
  /** The app's client id. */
  readonly appId: string;
  /** Twitch's OAuth base URL. */
  readonly authBaseUrl: string | undefined;
  /** Twitch's Helix base URL, without a trailing slash. */
  readonly helixBaseUrl: string;
  #appSecret: string | undefined;
  #fetch: typeof fetch | undefined;
  #timeout: number | undefined;
  #provider: TokenProvider;
  #userToken: AccessToken | undefined;
  #appToken: AppTokenSource;
  #listeners = new Set<TokenRefreshListener>();

  /**
   * Creates the app object.
   *
   * @param appId The app's client id.
   * @param appSecret The app's client secret; leave it out for a public client.
   * @param options Base URLs, `fetch`, `timeout` and `validateInterval`.
   */
  constructor(appId: string, appSecret?: string, options: TwitchOptions = {}) {
    if (typeof appId !== "string" || appId.trim() === "") {
      throw new InvalidArgumentError(
        "appId is required: copy the client id from the Twitch developer console",
      );
    }
    this.appId = appId;
    this.#appSecret = appSecret || undefined;
    this.authBaseUrl = options.authBaseUrl;
    this.#fetch = options.fetch;
    this.#timeout = options.timeout;
    this.#provider = new TokenProvider({
      clientId: appId,
      clientSecret: this.#appSecret,
      authBaseUrl: options.authBaseUrl,
      helixBaseUrl: options.helixBaseUrl,
      fetch: options.fetch,
      timeout: options.timeout,
      validateInterval: options.validateInterval,
    });
    this.helixBaseUrl = this.#provider.helixBaseUrl;
    this.#provider.onRefresh((_, token) => this.#refreshed(token));
    this.#appToken = new AppTokenSource(() =>
      getAppAccessToken(this.appId, this.#appSecret!, this.requestOptions())
    );
  }

  /** The app's client secret, for the sign-in flows of this module. */
  get appSecret(): string | undefined {
    return this.#appSecret;
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
      fetch: this.#fetch,
      timeout: this.#timeout,
      signal,
    };
  }

  /**
   * Sets the user's tokens. With `validate` (the default) it asks Twitch
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
      await this.#setUserToken(withRefresh);
      return;
    }
    const checked = await this.#provider.checkToken(withRefresh);
    await this.#setUserToken(checked.token);
    if (checked.refreshed) await this.#tell(checked.token);
    const missing = scopes.filter((s) => !checked.token.scopes.includes(s));
    if (missing.length > 0) throw new MissingScopeError(missing);
  }

  /**
   * The user's tokens as last set or refreshed, or `undefined`.
   *
   * @returns The current user token.
   */
  getUserToken(): AccessToken | undefined {
    return this.#userToken;
  }

  /**
   * A valid user access token, refreshed first when it expires within a
   * minute. Concurrent callers share one refresh request. After Twitch
   * refused the refresh token, every call rejects with that
   * {@linkcode InvalidRefreshTokenError} until new tokens are set.
   *
   * @returns The access token string, for `Authorization: Bearer`.
   * @throws {TwitchAuthError} when no user token is set.
   * @throws {InvalidRefreshTokenError} when the token cannot be refreshed.
   */
  async getUserAuthToken(): Promise<string> {
    this.#requireUser();
    return (await this.#provider.getAccessToken(USER)).accessToken;
  }

  /**
   * Refreshes the user token now, sharing one request among concurrent
   * callers, and tells the {@linkcode onUserAuthRefresh} listeners.
   *
   * @returns The new tokens.
   * @throws {InvalidRefreshTokenError} when Twitch refuses the refresh token.
   */
  async refreshUserToken(): Promise<AccessToken> {
    this.#requireUser();
    return await this.#provider.refresh(USER);
  }

  /**
   * Calls `listener` with the new tokens after every refresh (exactly once
   * per refresh), so they can be stored (Twitch may rotate the refresh
   * token: always store what comes).
   *
   * @param listener Called with the new tokens; awaited.
   * @returns A function that removes the listener.
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
   * @param listener Called with the error.
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
  onUserAuthRefreshFailure(listener: (error: Error) => void): () => void {
    return this.#provider.onRefreshFailure((userId, error) => {
      if (userId === USER) listener(error);
    });
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
    return await this.#appToken.renew(this.#appToken.current);
  }

  /**
   * A valid app access token, renewed when it expires within a minute.
   *
   * @returns The app access token string.
   * @throws {InvalidArgumentError} when the app has no client secret.
   */
  async getAppAuthToken(): Promise<string> {
    this.#requireSecret();
    return (await this.#appToken.valid(EXPIRY_MARGIN)).accessToken;
  }

  /**
   * A `fetch` for Helix: `input` is a path under the Helix base URL
   * (`"users?login=twitchdev"`) or a full URL under it; any other address is
   * refused, so the token never goes to another host. It adds `Client-Id`
   * and `Authorization: Bearer` (the user's token, else the app's), and on a
   * 401 refreshes (only if no one did since that token was sent) and retries
   * the request once. A `ReadableStream` body is buffered (up to 1 MiB) so
   * the retry sends it whole; a longer one is streamed once and its 401
   * response returned unretried.
   *
   * @param input A Helix path or URL.
   * @param init The usual `fetch` options.
   * @returns Twitch's response.
   * @throws {InvalidArgumentError} when `input` is not under the Helix base.
   */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    if (this.#userToken) return await this.#provider.fetch(USER, input, init);
    const url = helixUrl(this.helixBaseUrl, input);
    this.#requireSecret();
    return await callHelix({
      url,
      init,
      clientId: this.appId,
      fetch: this.#fetch,
      token: async () => {
        const used = await this.#appToken.valid(EXPIRY_MARGIN);
        return {
          accessToken: used.accessToken,
          renew: async () => (await this.#appToken.renew(used)).accessToken,
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

  async #setUserToken(token: AccessToken): Promise<void> {
    await this.#provider.setToken(USER, token);
    this.#userToken = token;
  }

  async #refreshed(token: AccessToken): Promise<void> {
    this.#userToken = token;
    await this.#tell(token);
  }

  async #tell(token: AccessToken): Promise<void> {
    for (const listener of [...this.#listeners]) await listener(token);
  }

  #requireUser(): void {
    if (!this.#userToken) {
      throw new TwitchAuthError(
        "No user token is set: call setUserAuthentication() or sign in with UserAuthenticator first",
      );
    }
  }

  #requireSecret(): void {
    if (!this.#appSecret) {
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
  [Symbol.for("Deno.customInspect")](): string {
    return `Twitch { appId: ${JSON.stringify(this.appId)}, appSecret: ${
      JSON.stringify(redact(this.#appSecret))
    }, user: ${this.#userToken ? "signed in" : "none"} }`;
  }
}
