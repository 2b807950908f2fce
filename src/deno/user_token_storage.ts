/**
 * Keeps a user's tokens in a file across restarts: sign in once, then the
 * stored tokens are validated on every start and kept fresh in the file.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { InvalidRefreshTokenError, InvalidTokenError } from "../web/errors.ts";
import { MissingScopeError } from "../web/errors_helix.ts";
import { CorruptTokenStoreError } from "../web/errors_token_store.ts";
import { MemoryTokenStore } from "../web/memory_token_store.ts";
import { DEFAULT_USER_KEY, type Twitch } from "../web/twitch.ts";
import { FileTokenStore } from "./file_token_store.ts";
import {
  type AuthenticateOptions,
  UserAuthenticator,
  type UserAuthenticatorOptions,
} from "./user_authenticator.ts";

/**
 * Options of a {@linkcode UserTokenStorage}.
 *
 * @example Keep the file elsewhere and sign in on another port
 * ```ts ignore
 * import { Twitch, UserTokenStorage, type UserTokenStorageOptions } from "@x/twitch-auth";
 *
 * const options: UserTokenStorageOptions = {
 *   path: `${Deno.env.get("HOME")}/.config/my-bot/token.json`,
 *   authenticator: { redirectUri: "http://localhost:3000" },
 *   authenticate: { timeout: 120_000 },
 * };
 * await new UserTokenStorage(new Twitch("my_app_id", "secret"), ["chat:read"], options).bind();
 * ```
 */
export interface UserTokenStorageOptions {
  /** The token file. Default `user_token.json` in the working directory. */
  path?: string;
  /** Options of the browser sign-in, when one is needed (redirect URL, port...). */
  authenticator?: UserAuthenticatorOptions;
  /** Options of that sign-in's `authenticate` call (browser, timeout, signal...). */
  authenticate?: Omit<AuthenticateOptions, "callback" | "userToken">;
}

/**
 * pyTwitchAPI's `UserAuthenticationStorageHelper`, done safely, as a thin
 * layer on {@linkcode Twitch}: {@linkcode bind} hands the app object a
 * {@linkcode FileTokenStore} on `path` (the user's token at the file's top
 * level, key `"default"`: the file `twitch-auth --format json --output`
 * writes), validates the stored token there (refreshing it by the refresh
 * rule when Twitch calls it invalid), and signs in through the browser only
 * when the store has no usable token: no file, a damaged one (moved aside
 * to `path + ".damaged"`), a refused refresh token or missing scopes.
 *
 * Every token from then on (the sign-in's, each refresh's) is written by
 * the store itself (mode 0600, atomically, under a file lock, in Twitch's
 * field names), and several processes binding the same file share one
 * refresh per expiry: one process refreshes, the others read its token.
 *
 * @example A bot that signs in once and then starts by itself
 * ```ts ignore
 * import { Twitch, UserTokenStorage } from "@x/twitch-auth";
 *
 * const twitch = new Twitch("my_app_id", "my_app_secret");
 * await new UserTokenStorage(twitch, ["chat:read", "chat:edit"]).bind();
 * const token = await twitch.getUserAuthToken(); // always valid, stored when refreshed
 * ```
 */
export class UserTokenStorage {
  /** The token file. */
  readonly path: string;
  #twitch: Twitch;
  #scopes: readonly string[];
  #options: UserTokenStorageOptions;
  #store: FileTokenStore;

  /**
   * Creates the storage; nothing is read until {@linkcode bind}.
   *
   * @param twitch The app object to give the tokens to.
   * @param scopes The scopes the app needs.
   * @param options The file and the sign-in's options.
   */
  constructor(
    twitch: Twitch,
    scopes: readonly string[],
    options: UserTokenStorageOptions = {},
  ) {
    this.#twitch = twitch;
    this.#scopes = [...scopes];
    this.#options = options;
    this.path = options.path ?? "user_token.json";
    this.#store = new FileTokenStore(this.path);
  }

  /**
   * Makes the file the app object's token store, and signs in when it holds
   * no usable token.
   *
   * @returns The tokens now in use.
   * @throws {TwitchAuthError} when the sign-in fails (denied, timed out...).
   */
  async bind(): Promise<AccessToken> {
    this.#twitch.useStore(this.#store, DEFAULT_USER_KEY);
    const stored = await this.#usable();
    if (stored) return stored;
    const authenticator = new UserAuthenticator(
      this.#twitch,
      this.#scopes,
      this.#options.authenticator,
    );
    const token = await authenticator.authenticate(this.#options.authenticate);
    await this.#twitch.setUserAuthentication(token, this.#scopes);
    return (await this.#twitch.getUserToken())!;
  }

  /**
   * Stops keeping the tokens in the file: the app object goes on with the
   * token the file holds now, in memory.
   */
  async unbind(): Promise<void> {
    if (this.#twitch.store !== this.#store) return;
    const memory = new MemoryTokenStore();
    const current = await this.#store.get(DEFAULT_USER_KEY).catch(() => null);
    if (current) await memory.set(DEFAULT_USER_KEY, current.token, null);
    this.#twitch.useStore(memory, DEFAULT_USER_KEY);
  }

  /** The stored token once validated, or `null` when a sign-in is needed. */
  async #usable(): Promise<AccessToken | null> {
    try {
      if (!(await this.#store.get(DEFAULT_USER_KEY))) return null;
      return await this.#twitch.validateUserToken(this.#scopes);
    } catch (error) {
      if (error instanceof CorruptTokenStoreError) {
        // Not our file, or damaged: keep it for a look, sign in again.
        await Deno.rename(this.path, `${this.path}.damaged`);
        return null;
      }
      if (
        error instanceof InvalidRefreshTokenError ||
        error instanceof InvalidTokenError ||
        error instanceof MissingScopeError
      ) {
        return null;
      }
      throw error;
    }
  }
}
