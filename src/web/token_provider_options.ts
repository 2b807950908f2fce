/**
 * The options and listener types of `TokenProvider`.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import type { TokenStore } from "./token_store.ts";

/**
 * Twitch's Helix API base URL.
 *
 * @example Call a Helix endpoint with a user token
 * ```ts ignore
 * import { DEFAULT_HELIX_BASE_URL } from "@x/twitch-auth";
 *
 * // Helix wants the token as Bearer and the app's client id beside it.
 * const res = await fetch(`${DEFAULT_HELIX_BASE_URL}/users`, {
 *   headers: { Authorization: "Bearer the-access-token", "Client-Id": "my_app_id" },
 * });
 * const { data } = await res.json();
 * console.log(data[0].login);
 * ```
 */
export const DEFAULT_HELIX_BASE_URL = "https://api.twitch.tv/helix";

/**
 * How often tokens are validated at Twitch by default: every hour, as
 * Twitch requires, in milliseconds.
 *
 * @example Validate every 15 minutes instead of every hour
 * ```ts
 * import { DEFAULT_VALIDATE_INTERVAL, TokenProvider } from "@x/twitch-auth";
 *
 * // Twitch requires at least one /validate an hour per token; more often
 * // notices a revoked token sooner, at one request each time.
 * const provider = new TokenProvider({
 *   clientId: "my_app_id",
 *   validateInterval: DEFAULT_VALIDATE_INTERVAL / 4,
 * });
 * provider[Symbol.dispose](); // stops the validation timers
 * ```
 */
export const DEFAULT_VALIDATE_INTERVAL = 3_600_000;

/**
 * Options of a `TokenProvider`.
 *
 * @example Share tokens through a store
 * ```ts ignore
 * import { MemoryTokenStore, TokenProvider, type TokenProviderOptions } from "@x/twitch-auth";
 *
 * const options: TokenProviderOptions = {
 *   clientId: "my_app_id",
 *   clientSecret: "my_app_secret",
 *   store: new MemoryTokenStore(),
 * };
 * const provider = new TokenProvider(options);
 * ```
 */
export interface TokenProviderOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret; leave it out for a public client. */
  clientSecret?: string;
  /** Twitch's OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /** Twitch's Helix base URL. Default `https://api.twitch.tv/helix`. */
  helixBaseUrl?: string;
  /** The `fetch` to use for every call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * Milliseconds each call to Twitch may take. Default 30 000; a refresh
   * gets at most 8 000, so that it ends inside its refresh lease.
   */
  timeout?: number;
  /** Where the tokens live. Default: a new `MemoryTokenStore`. */
  store?: TokenStore;
  /**
   * How often each user's token is validated at Twitch, in milliseconds.
   * Default {@linkcode DEFAULT_VALIDATE_INTERVAL} (one hour). Processes
   * sharing a store that has `claim` validate each user once per interval
   * between them.
   */
  validateInterval?: number;
  /**
   * Check each `fetch` against the scope table before sending it: when the
   * token's scopes (from its last validation or grant) lack what Twitch's
   * reference says the endpoint needs, fail with a `MissingScopeError`
   * without a request. Endpoints the table does not know are sent as they
   * are. Default `false`: Twitch's own 401 `Missing scope` decides.
   */
  checkScopes?: boolean;
}

/**
 * Called with the new token after each refresh this process made, once the
 * token is in the store, and with the key it is stored under (the Twitch
 * user id in a `TokenProvider`, the `userKey` of a `Twitch`). The one
 * refresh-listener type of `Twitch.onUserAuthRefresh` and
 * `TokenProvider.onRefresh`. Awaited: an error it throws reaches the
 * callers waiting for the token.
 *
 * @example Log refreshes, and keep a copy of the tokens elsewhere
 * ```ts ignore
 * import type { TokenRefreshListener } from "@x/twitch-auth";
 *
 * const log: TokenRefreshListener = (token, userId) =>
 *   console.log(`refreshed ${userId}, valid until ${new Date(token.expiresAt)}`);
 * ```
 */
export type TokenRefreshListener = (
  token: AccessToken,
  userId: string,
) => void | Promise<void>;

/**
 * Called when a token could not be refreshed, with the key it is stored
 * under: `error` is an `InvalidRefreshTokenError` (the user must sign in
 * again), an `InvalidTokenError` (no refresh token) or a transient failure
 * (network, timeout, Twitch down). The one failure-listener type of
 * `Twitch.onUserAuthRefreshFailure` and `TokenProvider.onRefreshFailure`.
 *
 * @example Ask users to sign in again
 * ```ts ignore
 * import { InvalidRefreshTokenError, type TokenRefreshFailureListener } from "@x/twitch-auth";
 *
 * const onFailure: TokenRefreshFailureListener = (error, userId) => {
 *   if (error instanceof InvalidRefreshTokenError) console.log(`${userId} must sign in again`);
 * };
 * ```
 */
export type TokenRefreshFailureListener = (
  error: Error,
  userId: string,
) => void;

/**
 * The refresh listener under its old name.
 *
 * @deprecated Use {@linkcode TokenRefreshListener}: the token comes first,
 * then the user id.
 *
 * @example The same type as TokenRefreshListener
 * ```ts ignore
 * import type { UserRefreshListener } from "@x/twitch-auth";
 *
 * const log: UserRefreshListener = (token, userId) => console.log(userId, token.expiresAt);
 * ```
 */
export type UserRefreshListener = TokenRefreshListener;

/**
 * The failure listener under its old name.
 *
 * @deprecated Use {@linkcode TokenRefreshFailureListener}: the error comes
 * first, then the user id.
 *
 * @example The same type as TokenRefreshFailureListener
 * ```ts ignore
 * import type { RefreshFailureListener } from "@x/twitch-auth";
 *
 * const log: RefreshFailureListener = (error, userId) => console.error(userId, error.message);
 * ```
 */
export type RefreshFailureListener = TokenRefreshFailureListener;

/**
 * What `TokenProvider.checkToken` found: the token with its real
 * lifetime and scopes, and whose it is.
 *
 * @example Find out whose token a user pasted, refreshing it if Twitch refuses it
 * ```ts ignore
 * import { AccessToken, type CheckedToken, TokenProvider } from "@x/twitch-auth";
 *
 * const provider = new TokenProvider({ clientId: "my_app_id", clientSecret: "my_app_secret" });
 * const pasted = AccessToken.fromJSON(await Deno.readTextFile("token.json"));
 * const { userId, token, refreshed }: CheckedToken = await provider.checkToken(pasted);
 * // Keep it under the user id Twitch named, not under what the user claimed.
 * await provider.setToken(userId, token);
 * if (refreshed) console.log("the pasted token had expired; a fresh one is kept");
 * ```
 */
export interface CheckedToken {
  /** The token, with the lifetime and scopes Twitch gave. */
  token: AccessToken;
  /** The Twitch user id it belongs to. */
  userId: string;
  /** Whether Twitch called the given token invalid and it was refreshed. */
  refreshed: boolean;
}
