/**
 * The one token type of this module: what every flow and helper hands back.
 *
 * @module
 */

import { redact } from "./redact.ts";

/**
 * The fields of an {@linkcode AccessToken}, as stored with `JSON.stringify`.
 *
 * @example Use it
 * ```ts ignore
 * import { AccessToken, type AccessTokenData } from "@x/twitch-auth";
 *
 * const data: AccessTokenData = JSON.parse(await Deno.readTextFile("token.json"));
 * const token = new AccessToken(data);
 * ```
 */
export interface AccessTokenData {
  /** The access token, sent to Twitch as `Authorization: Bearer <token>`. */
  accessToken: string;
  /** The refresh token; absent for app access tokens. */
  refreshToken?: string;
  /** Seconds the token was valid for when Twitch issued it (`expires_in`). */
  expiresIn: number;
  /** The scopes Twitch granted. */
  scopes: readonly string[];
  /** The token type Twitch gave, `"bearer"`. */
  tokenType: string;
  /** When the token was obtained, in epoch milliseconds. */
  obtainedAt: number;
  /** The OpenID Connect ID token (a JWT), when the `openid` scope was granted. */
  idToken?: string;
}

/**
 * A Twitch access token with its refresh token, lifetime and scopes.
 *
 * Printing one (`console.log`, `Deno.inspect`, Node's `util.inspect`) shows
 * the tokens redacted; `JSON.stringify` gives every field in full, for
 * storage, and `new AccessToken(JSON.parse(text))` reads it back.
 *
 * @example Store and restore a token
 * ```ts
 * import { AccessToken } from "@x/twitch-auth";
 *
 * const token = new AccessToken({
 *   accessToken: "0123456789abcdefghijklmnopqrst",
 *   refreshToken: "refresh-token-of-fifty-characters-0123456789abcdef",
 *   expiresIn: 14_400,
 *   scopes: ["chat:read"],
 *   tokenType: "bearer",
 *   obtainedAt: Date.now(),
 * });
 * console.log(token); // AccessToken { accessToken: "0123…", ... }
 * const restored = new AccessToken(JSON.parse(JSON.stringify(token)));
 * console.log(restored.expiresAt > Date.now());
 * ```
 */
export class AccessToken implements AccessTokenData {
  /** The access token, sent to Twitch as `Authorization: Bearer <token>`. */
  readonly accessToken: string;
  /** The refresh token; absent for app access tokens. */
  readonly refreshToken?: string;
  /** Seconds the token was valid for when Twitch issued it (`expires_in`). */
  readonly expiresIn: number;
  /** The scopes Twitch granted. */
  readonly scopes: readonly string[];
  /** The token type Twitch gave, `"bearer"`. */
  readonly tokenType: string;
  /** When the token was obtained, in epoch milliseconds. */
  readonly obtainedAt: number;
  /** The OpenID Connect ID token (a JWT), when the `openid` scope was granted. */
  readonly idToken?: string;

  /**
   * Creates a token from its fields.
   *
   * @param data The token's fields.
   */
  constructor(data: AccessTokenData) {
    this.accessToken = data.accessToken;
    if (data.refreshToken !== undefined) this.refreshToken = data.refreshToken;
    this.expiresIn = data.expiresIn;
    this.scopes = Object.freeze([...data.scopes]);
    this.tokenType = data.tokenType;
    this.obtainedAt = data.obtainedAt;
    if (data.idToken !== undefined) this.idToken = data.idToken;
  }

  /** When the token expires, in epoch milliseconds. */
  get expiresAt(): number {
    return this.obtainedAt + this.expiresIn * 1000;
  }

  /**
   * Tells whether the token has expired, or will within `margin`.
   *
   * @param margin Milliseconds of lifetime that count as already gone.
   * @param now The current time in epoch milliseconds.
   * @returns `true` when less than `margin` milliseconds are left.
   */
  isExpired(margin = 0, now: number = Date.now()): boolean {
    return this.expiresAt - margin <= now;
  }

  /** The token's fields in full, for `JSON.stringify`. */
  toJSON(): AccessTokenData {
    return {
      accessToken: this.accessToken,
      ...(this.refreshToken === undefined
        ? {}
        : { refreshToken: this.refreshToken }),
      expiresIn: this.expiresIn,
      scopes: [...this.scopes],
      tokenType: this.tokenType,
      obtainedAt: this.obtainedAt,
      ...(this.idToken === undefined ? {} : { idToken: this.idToken }),
    };
  }

  /** The fields with the tokens redacted, for printing. */
  #redacted(): Record<string, unknown> {
    return {
      ...this.toJSON(),
      accessToken: redact(this.accessToken),
      ...(this.refreshToken === undefined
        ? {}
        : { refreshToken: redact(this.refreshToken) }),
      ...(this.idToken === undefined ? {} : { idToken: redact(this.idToken) }),
    };
  }

  /**
   * Shows the token redacted in `Deno.inspect` and `console.log`.
   *
   * @param inspect Deno's inspect function.
   * @param options Deno's inspect options.
   * @returns The redacted rendering.
   */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    return `AccessToken ${inspect(this.#redacted(), options)}`;
  }

  /**
   * Shows the token redacted in Node's and Bun's `util.inspect`.
   *
   * @param _depth The remaining depth.
   * @param options Node's inspect options.
   * @param inspect Node's inspect function.
   * @returns The redacted rendering.
   */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    return `AccessToken ${inspect(this.#redacted(), options)}`;
  }
}
