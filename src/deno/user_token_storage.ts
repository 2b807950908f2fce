/**
 * Keeps a user's tokens in a file across restarts: sign in once, then the
 * stored tokens are validated, refreshed and saved again on every start.
 *
 * @module
 */

import { AccessToken, type AccessTokenData } from "../web/access_token.ts";
import {
  InvalidRefreshTokenError,
  InvalidTokenError,
  MissingScopeError,
} from "../web/errors.ts";
import { readSecretFile, writeSecretFile } from "./token_file.ts";
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
 * (the sign-in's and each refresh's) is written back to the file with mode
 * 0600, atomically, so a crash never loses a rotated refresh token.
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
  #unsubscribe: (() => void) | undefined;

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
    const stored = await this.#load();
    if (stored && await this.#tryStored(stored)) {
      const current = this.#twitch.getUserToken()!;
      await this.#save(current);
      return current;
    }
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

  async #tryStored(stored: AccessToken): Promise<boolean> {
    try {
      await this.#twitch.setUserAuthentication(stored, this.#scopes);
      return true;
    } catch (error) {
      if (
        error instanceof InvalidRefreshTokenError ||
        error instanceof InvalidTokenError ||
        error instanceof MissingScopeError
      ) {
        return false; // sign in again
      }
      throw error;
    }
  }

  async #load(): Promise<AccessToken | undefined> {
    let text: string;
    try {
      text = await readSecretFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    try {
      const data = JSON.parse(text) as Partial<AccessTokenData>;
      if (typeof data.accessToken !== "string") return undefined;
      return new AccessToken({
        accessToken: data.accessToken,
        refreshToken: data.refreshToken,
        expiresIn: Number(data.expiresIn) || 0,
        scopes: Array.isArray(data.scopes) ? data.scopes : [],
        tokenType: data.tokenType ?? "bearer",
        obtainedAt: Number(data.obtainedAt) || 0,
      });
    } catch {
      return undefined; // not our file, or damaged: sign in again
    }
  }

  #save(token: AccessToken): Promise<void> {
    return writeSecretFile(this.path, `${JSON.stringify(token, null, 2)}\n`);
  }
}
