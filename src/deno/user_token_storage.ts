/**
 * Keeps a user's tokens in a file across restarts: sign in once, then the
 * stored tokens are validated, refreshed and saved again on every start.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { InvalidRefreshTokenError, InvalidTokenError } from "../web/errors.ts";
import { MissingScopeError } from "../web/errors_helix.ts";
import { CorruptTokenStoreError } from "../web/errors_token_store.ts";
import type { StoredToken } from "../web/token_store.ts";
import { FileTokenStore } from "./file_token_store.ts";
import type { Twitch } from "../web/twitch.ts";
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
 *   authenticator: { url: "http://localhost:3000" },
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
 * pyTwitchAPI's `UserAuthenticationStorageHelper`, done safely: on
 * {@linkcode bind}, the tokens stored in the file are given to the
 * {@linkcode Twitch} object (validated, refreshed when needed); when there is
 * no file, it cannot be read, the refresh token is refused, or scopes are
 * missing, the user signs in through the browser instead. Every new token
 * (the sign-in's and each refresh's) is written to the file through a
 * {@linkcode FileTokenStore} (mode 0600, atomic, under a file lock, as the
 * token of the key `"default"`, at the file's top level).
 *
 * A token it did not change is never written back, and a write is a
 * compare-and-set on the version it read: several processes sharing the
 * file never overwrite a newer token with an older one. When Twitch refuses
 * the stored refresh token, the file is read again first, in case another
 * process rotated it meanwhile. A damaged file is moved aside to
 * `path + ".damaged"` before the new sign-in is written.
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
  #unsubscribe: (() => void) | undefined;
  /** What the file held when last read or written by this object. */
  #known: StoredToken | null = null;
  #damaged = false;

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
   * Gives the stored tokens to the app object, or signs in when they cannot
   * be used, then keeps the file up to date with every refresh.
   *
   * @returns The tokens now in use.
   * @throws {TwitchAuthError} when the sign-in fails (denied, timed out...).
   */
  async bind(): Promise<AccessToken> {
    this.#unsubscribe ??= this.#twitch.onUserAuthRefresh((token) =>
      this.#save(token)
    );
    if (await this.#useStored()) return this.#twitch.getUserToken()!;
    const authenticator = new UserAuthenticator(
      this.#twitch,
      this.#scopes,
      this.#options.authenticator,
    );
    const token = await authenticator.authenticate(this.#options.authenticate);
    await this.#twitch.setUserAuthentication(token, this.#scopes);
    const current = this.#twitch.getUserToken()!;
    await this.#save(current);
    return current;
  }

  /** Stops writing refreshed tokens to the file. */
  unbind(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /**
   * Gives the stored token to the app object; when Twitch refuses its
   * refresh token, reads the file again in case another process rotated it.
   */
  async #useStored(): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.#load();
      if (!stored) return false;
      try {
        await this.#twitch.setUserAuthentication(stored.token, this.#scopes);
        return true;
      } catch (error) {
        if (
          error instanceof InvalidRefreshTokenError ||
          error instanceof InvalidTokenError
        ) {
          const now = await this.#load();
          if (now?.version !== stored.version) continue; // rotated elsewhere
          return false; // sign in again
        }
        if (error instanceof MissingScopeError) return false;
        throw error;
      }
    }
    return false;
  }

  async #load(): Promise<StoredToken | null> {
    try {
      this.#known = await this.#store.get(KEY);
    } catch (error) {
      if (!(error instanceof CorruptTokenStoreError)) throw error;
      this.#damaged = true; // not our file, or damaged: sign in again
      this.#known = null;
    }
    return this.#known;
  }

  /**
   * Writes `token` unless the file already holds it. When another process
   * wrote meanwhile, the newer of the two tokens stays.
   */
  async #save(token: AccessToken): Promise<void> {
    if (this.#damaged) {
      await Deno.rename(this.path, `${this.path}.damaged`).catch(() => {});
      this.#damaged = false;
    }
    for (;;) {
      const known = this.#known;
      if (known && sameTokens(known.token, token)) return;
      if (known && known.token.obtainedAt > token.obtainedAt) return;
      const written = await this.#store.set(KEY, token, known?.version ?? null);
      if (written) {
        this.#known = written;
        return;
      }
      this.#known = await this.#store.get(KEY); // someone else wrote: compare
    }
  }
}

/** The key of the token in the file (its top level). */
const KEY = "default";

function sameTokens(a: AccessToken, b: AccessToken): boolean {
  return a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;
}
