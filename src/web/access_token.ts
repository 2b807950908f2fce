/**
 * The one token type of this module: what every flow and helper hands back.
 *
 * @module
 */

import { InvalidArgumentError } from "./errors.ts";
import { redact } from "./redact.ts";

/**
 * The fields of an {@linkcode AccessToken}, as stored with `JSON.stringify`.
 *
 * @example Build a token from what your own database keeps
 * ```ts
 * import { AccessToken, type AccessTokenData } from "@x/twitch-auth";
 *
 * // A row as your app stores it; obtainedAt (epoch ms) dates expiresIn.
 * const row = { token: "abc", refresh: "def", lifetime: 14_400, savedAt: Date.now() };
 * const data: AccessTokenData = {
 *   accessToken: row.token,
 *   refreshToken: row.refresh,
 *   expiresIn: row.lifetime,
 *   scopes: ["chat:read"],
 *   tokenType: "bearer",
 *   obtainedAt: row.savedAt,
 * };
 * const token = new AccessToken(data);
 * console.log(token.isExpired(60_000) ? "refresh it first" : "use it");
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
  /**
   * How the token was first obtained: `"authorization_code"` (a browser
   * sign-in, which only a confidential client can make, so refreshing it
   * needs the client secret) or `"device_code"` (the device flow). Kept
   * through refreshes; absent when unknown (a token from before this field,
   * or given as a string).
   */
  grantType?: TokenGrantType;
}

/**
 * The grant a user token was obtained with, as {@linkcode AccessToken.grantType}
 * records it (`grant_type` in the token file): the authorization code flow
 * (browser sign-in; confidential clients only) or the device code flow.
 *
 * @example Tell whether refreshing needs the client secret
 * ```ts
 * import type { TokenGrantType } from "@x/twitch-auth";
 *
 * const grant: TokenGrantType = "authorization_code";
 * console.log(grant === "authorization_code" ? "needs the client secret" : "may be public");
 * ```
 */
export type TokenGrantType = "authorization_code" | "device_code";

/** The values of {@linkcode TokenGrantType}. */
const GRANT_TYPES: readonly string[] = ["authorization_code", "device_code"];

/**
 * A Twitch access token with its refresh token, lifetime and scopes.
 *
 * Printing one (`console.log`, `Deno.inspect`, Node's `util.inspect`) shows
 * the tokens redacted; `JSON.stringify` gives every field in full, for
 * storage, and {@linkcode AccessToken.fromJSON} reads it back (as well as
 * Twitch's own token JSON, such as the CLI's `--format json` output).
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
   * How the token was first obtained (kept through refreshes), when known:
   * a token from `"authorization_code"` belongs to a confidential client,
   * and refreshing it needs the client secret.
   */
  readonly grantType?: TokenGrantType;

  /**
   * Creates a token from its fields.
   *
   * @param data The token's fields.
   * @throws {InvalidArgumentError} naming the first field that is missing or
   * of the wrong type.
   */
  constructor(data: AccessTokenData) {
    if (typeof data !== "object" || data === null) {
      throw new InvalidArgumentError(
        "An AccessToken needs its fields (accessToken, expiresIn, scopes, tokenType, obtainedAt): use AccessToken.fromJSON() to read stored JSON",
      );
    }
    this.accessToken = requireToken(data.accessToken, "accessToken");
    const refreshToken = optionalToken(data.refreshToken, "refreshToken");
    if (refreshToken !== undefined) this.refreshToken = refreshToken;
    this.expiresIn = requireNumber(data.expiresIn, "expiresIn");
    this.scopes = Object.freeze(requireScopes(data.scopes, "scopes"));
    this.tokenType = optionalToken(data.tokenType, "tokenType") ?? "bearer";
    this.obtainedAt = requireNumber(data.obtainedAt, "obtainedAt");
    const idToken = optionalToken(data.idToken, "idToken");
    if (idToken !== undefined) this.idToken = idToken;
    const grantType = optionalGrant(data.grantType, "grantType");
    if (grantType !== undefined) this.grantType = grantType;
  }

  /**
   * Reads a token from JSON: this class's own (`JSON.stringify(token)`) or
   * Twitch's token answer (`access_token`, `refresh_token`, `expires_in`,
   * `scope` as a list or a space-separated string, `token_type`) plus
   * `obtained_at`, the time the token was obtained in epoch milliseconds, as
   * the CLI's `--format json` writes it. Without `obtained_at` (or
   * `obtainedAt`) the time is unknown and the token counts as expired, so it
   * is validated or refreshed before use. `grant_type` (or `grantType`)
   * records how the token was first obtained; a value this version does not
   * know is left out. Unknown fields are ignored.
   *
   * @param value The parsed JSON, or the JSON text.
   * @returns The token.
   * @throws {InvalidArgumentError} naming the field that is missing or of
   * the wrong type, or saying the text is not JSON.
   *
   * @example Load the CLI's token file
   * ```ts
   * import { AccessToken } from "@x/twitch-auth";
   *
   * const token = AccessToken.fromJSON({
   *   access_token: "0123456789abcdefghijklmnopqrst",
   *   refresh_token: "refresh-token-of-fifty-characters-0123456789abcdef",
   *   expires_in: 14_400,
   *   scope: ["chat:read"],
   *   token_type: "bearer",
   *   obtained_at: Date.now(),
   * });
   * console.log(token.expiresAt > Date.now()); // true
   * ```
   */
  static fromJSON(value: unknown): AccessToken {
    const fields = typeof value === "string" ? parseJson(value) : value;
    if (
      typeof fields !== "object" || fields === null || Array.isArray(fields)
    ) {
      throw new InvalidArgumentError(
        "A stored token must be a JSON object with accessToken (or Twitch's access_token)",
      );
    }
    const f = fields as Record<string, unknown>;
    if ("access_token" in f) {
      return new AccessToken({
        accessToken: requireToken(f.access_token, "access_token"),
        refreshToken: optionalToken(f.refresh_token, "refresh_token"),
        expiresIn: requireNumber(f.expires_in, "expires_in"),
        scopes: requireScopes(f.scope ?? [], "scope"),
        tokenType: optionalToken(f.token_type, "token_type") ?? "bearer",
        obtainedAt: f.obtained_at === undefined
          ? 0
          : requireNumber(f.obtained_at, "obtained_at"),
        idToken: optionalToken(f.id_token, "id_token"),
        grantType: knownGrant(f.grant_type),
      });
    }
    if (!("accessToken" in f)) {
      throw new InvalidArgumentError(
        "The token JSON has no accessToken (nor Twitch's access_token): is this a token file?",
      );
    }
    // The constructor checks every field, in order, and ignores the others.
    return new AccessToken({
      ...f as unknown as AccessTokenData,
      obtainedAt: f.obtainedAt === undefined ? 0 : f.obtainedAt as number,
      grantType: knownGrant(f.grantType),
    });
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
      ...(this.grantType === undefined ? {} : { grantType: this.grantType }),
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(
      "The token text is not JSON: pass the contents of a token file",
    );
  }
}

function requireToken(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidArgumentError(
      `The token's ${field} must be a non-empty string, got ${describe(value)}`,
    );
  }
  return value;
}

function optionalToken(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || value === ""
    ? undefined
    : requireToken(value, field);
}

function optionalGrant(
  value: unknown,
  field: string,
): TokenGrantType | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && GRANT_TYPES.includes(value)) {
    return value as TokenGrantType;
  }
  throw new InvalidArgumentError(
    `The token's ${field} must be one of ${GRANT_TYPES.join(", ")}, got ${
      describe(value)
    }`,
  );
}

/** A stored grant type this version knows, else `undefined` (a newer file's). */
function knownGrant(value: unknown): TokenGrantType | undefined {
  return typeof value === "string" && GRANT_TYPES.includes(value)
    ? value as TokenGrantType
    : undefined;
}

function requireNumber(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(
      `The token's ${field} must be a number of at least 0, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

function requireScopes(value: unknown, field: string): string[] {
  if (typeof value === "string") return value.split(" ").filter(Boolean);
  if (Array.isArray(value) && value.every((s) => typeof s === "string")) {
    return [...value];
  }
  throw new InvalidArgumentError(
    `The token's ${field} must be a list of scope names (or one space-separated string), got ${
      describe(value)
    }`,
  );
}

/** Names a value's type, never its content (it may be a secret). */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list with other things than strings";
  if (value === "") return "an empty string";
  return typeof value === "number" ? String(value) : typeof value;
}
