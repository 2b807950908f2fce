/**
 * The app object: its credentials, the user's tokens kept fresh, and a
 * `fetch` for Helix.
 *
 * @module
 */

import { AccessToken } from "./access_token.ts";
import { getAppAccessToken } from "./app_access_token.ts";
import {
  InvalidArgumentError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  MissingScopeError,
  TwitchAuthError,
} from "./errors.ts";
import { parseScopes } from "./parse_scopes.ts";
import { refreshAccessToken } from "./refresh_access_token.ts";
import { redact } from "./redact.ts";
import type { RequestOptions } from "./_request.ts";
import { validateToken } from "./validate_token.ts";

/**
 * Twitch's Helix API base URL.
 *
 * @example Use it
 * ```ts ignore
 * import { DEFAULT_HELIX_BASE_URL } from "@x/twitch-auth";
 *
 * console.log(`${DEFAULT_HELIX_BASE_URL}/users`);
 * ```
 */
export const DEFAULT_HELIX_BASE_URL = "https://api.twitch.tv/helix";

/** How close to its expiry a token is refreshed, in milliseconds. */
const EXPIRY_MARGIN = 60_000;

/**
 * Options of a {@linkcode Twitch} app object.
 *
 * @example Use it
 * ```ts ignore
 * import { Twitch, type TwitchOptions } from "@x/twitch-auth";
 *
 * const options: TwitchOptions = { timeout: 10_000 };
 * const twitch = new Twitch("my_app_id", "my_app_secret", options);
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
}

/**
 * Called with the new tokens after every refresh, to store them.
 *
 * @example Use it
 * ```ts ignore
 * import { type TokenRefreshListener, writeSecretFile } from "@x/twitch-auth";
 *
 * const store: TokenRefreshListener = (token) =>
 *   writeSecretFile("token.json", JSON.stringify(token));
 * ```
 */
export type TokenRefreshListener = (token: AccessToken) => void | Promise<void>;

/**
 * An app registered with Twitch, holding its credentials and the user's
 * authentication: it hands out a valid access token at any time (refreshing
 * it when it is about to expire, with one shared request however many
 * callers wait), and a `fetch` for Helix that adds the headers and retries
 * once after a refresh when Twitch answers 401.
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
  #userToken: AccessToken | undefined;
  #userExpiryKnown = false;
  #refreshing: Promise<AccessToken> | undefined;
  #refreshFailure: InvalidRefreshTokenError | undefined;
  #appToken: AccessToken | undefined;
  #appTokenRequest: Promise<AccessToken> | undefined;
  #listeners = new Set<TokenRefreshListener>();

  /**
   * Creates the app object.
   *
   * @param appId The app's client id.
   * @param appSecret The app's client secret; leave it out for a public client.
   * @param options Base URLs, `fetch` and `timeout`.
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
    this.helixBaseUrl = (options.helixBaseUrl ?? DEFAULT_HELIX_BASE_URL)
      .replace(/\/+$/, "");
    this.#fetch = options.fetch;
    this.#timeout = options.timeout;
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
   * carries every scope in `scopes`.
   *
   * @param token The access token, or a whole {@linkcode AccessToken}.
   * @param scopes The scopes the app needs.
   * @param refreshToken The refresh token (taken from `token` when it is an
   * {@linkcode AccessToken}).
   * @param validate Ask Twitch whether the token is valid. Default `true`.
   * Without it, a token given as a string has no known expiry: it is then
   * refreshed when Helix answers 401 through {@linkcode Twitch.fetch}.
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
        expiresIn: 0,
        scopes,
        tokenType: "bearer",
        obtainedAt: Date.now(),
      })
      : token;
    const withRefresh = refreshToken && typeof token !== "string"
      ? new AccessToken({ ...given.toJSON(), refreshToken })
      : given;
    this.#refreshFailure = undefined;
    if (!validate) {
      this.#userToken = withRefresh;
      this.#userExpiryKnown = typeof token !== "string";
      return;
    }
    this.#userToken = await this.#validated(withRefresh);
    this.#userExpiryKnown = true;
    const missing = scopes.filter((s) => !this.#userToken!.scopes.includes(s));
    if (missing.length > 0) throw new MissingScopeError(missing);
  }

  async #validated(
    token: AccessToken,
    mayRefresh = true,
  ): Promise<AccessToken> {
    const result = await validateToken(
      token.accessToken,
      this.requestOptions(),
    );
    if ("status" in result) {
      if (!token.refreshToken || !mayRefresh) {
        throw new InvalidTokenError(
          `Twitch refused the access token ${
            redact(token.accessToken)
          } and it cannot be refreshed: sign in again`,
        );
      }
      this.#userToken = token;
      return this.#validated(await this.#refreshUserToken(), false);
    }
    if (result.client_id !== this.appId) {
      throw new InvalidTokenError(
        `The access token belongs to another app (client id ${
          redact(result.client_id)
        }), not ${this.appId}: get a token for this app`,
      );
    }
    return new AccessToken({
      ...token.toJSON(),
      expiresIn: result.expires_in,
      scopes: result.scopes,
      obtainedAt: Date.now(),
    });
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
    const token = this.#userToken;
    if (!token) {
      throw new TwitchAuthError(
        "No user token is set: call setUserAuthentication() or sign in with UserAuthenticator first",
      );
    }
    if (this.#refreshFailure) throw this.#refreshFailure;
    if (this.#userExpiryKnown && token.isExpired(EXPIRY_MARGIN)) {
      return (await this.#refreshUserToken()).accessToken;
    }
    return token.accessToken;
  }

  /**
   * Refreshes the user token now, sharing one request among concurrent
   * callers, and tells the {@linkcode onUserAuthRefresh} listeners.
   *
   * @returns The new tokens.
   * @throws {InvalidRefreshTokenError} when Twitch refuses the refresh token.
   */
  refreshUserToken(): Promise<AccessToken> {
    if (this.#refreshFailure) return Promise.reject(this.#refreshFailure);
    return this.#refreshUserToken();
  }

  #refreshUserToken(): Promise<AccessToken> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<AccessToken> {
    const current = this.#userToken;
    if (!current?.refreshToken) {
      throw new InvalidTokenError(
        "The access token expired and there is no refresh token: sign in again",
      );
    }
    let token: AccessToken;
    try {
      token = await refreshAccessToken(
        current.refreshToken,
        this.appId,
        this.#appSecret,
        this.requestOptions(),
      );
    } catch (error) {
      if (error instanceof InvalidRefreshTokenError) {
        this.#refreshFailure = error;
      }
      throw error;
    }
    this.#userToken = token.refreshToken ? token : new AccessToken({
      ...token.toJSON(),
      refreshToken: current.refreshToken,
    });
    this.#userExpiryKnown = true;
    for (const listener of this.#listeners) await listener(this.#userToken);
    return this.#userToken;
  }

  /**
   * Calls `listener` with the new tokens after every refresh, so they can be
   * stored (Twitch may rotate the refresh token: always store what comes).
   *
   * @param listener Called with the new tokens; awaited.
   * @returns A function that removes the listener.
   */
  onUserAuthRefresh(listener: TokenRefreshListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
    const secret = this.#appSecret;
    if (!secret) {
      throw new InvalidArgumentError(
        "An app token needs the client secret: pass it to new Twitch(appId, appSecret)",
      );
    }
    this.#appTokenRequest ??= getAppAccessToken(
      this.appId,
      secret,
      this.requestOptions(),
    ).then((token) => (this.#appToken = token)).finally(() => {
      this.#appTokenRequest = undefined;
    });
    return await this.#appTokenRequest;
  }

  /**
   * A valid app access token, renewed when it expires within a minute.
   *
   * @returns The app access token string.
   */
  async getAppAuthToken(): Promise<string> {
    if (!this.#appToken || this.#appToken.isExpired(EXPIRY_MARGIN)) {
      await this.authenticateApp();
    }
    return this.#appToken!.accessToken;
  }

  /**
   * A `fetch` for Helix: `input` is a path under the Helix base URL
   * (`"users?login=twitchdev"`) or a full URL under it; any other address is
   * refused, so the token never goes to another host. It adds `Client-Id`
   * and `Authorization: Bearer` (the user's token, else the app's), and on a
   * 401 refreshes once and retries the request once.
   *
   * @param input A Helix path or URL.
   * @param init The usual `fetch` options.
   * @returns Twitch's response.
   * @throws {InvalidArgumentError} when `input` is not under the Helix base.
   */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = this.#helixUrl(input);
    const send = async (token: string): Promise<Response> => {
      const headers = new Headers(init.headers);
      headers.set("Client-Id", this.appId);
      headers.set("Authorization", `Bearer ${token}`);
      return await (this.#fetch ?? fetch)(url, { ...init, headers });
    };
    const asUser = this.#userToken !== undefined;
    const response = await send(
      asUser ? await this.getUserAuthToken() : await this.getAppAuthToken(),
    );
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const fresh = asUser
      ? (await this.#refreshUserToken()).accessToken
      : (await this.authenticateApp()).accessToken;
    return await send(fresh);
  }

  #helixUrl(input: string | URL): URL {
    const base = `${this.helixBaseUrl}/`;
    const url = new URL(String(input).replace(/^\/+/, ""), base);
    if (!url.href.startsWith(base) && url.href !== this.helixBaseUrl) {
      throw new InvalidArgumentError(
        `twitch.fetch only calls Helix (${this.helixBaseUrl}); refused ${url.origin}${url.pathname} so the token is not sent elsewhere`,
      );
    }
    return url;
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
