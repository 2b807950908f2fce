/**
 * The error of a Helix answer that no refresh can fix: a token without the
 * endpoint's scope.
 *
 * @module
 */

import { TwitchApiError } from "./errors.ts";

/**
 * Options of {@linkcode MissingScopeError}.
 *
 * @example Say what the token has and what it lacks
 * ```ts
 * import { MissingScopeError } from "@x/twitch-auth";
 *
 * const error = new MissingScopeError("GET /chat/chatters", "moderator:read:chatters", {
 *   tokenScopes: ["chat:read"], // from the token's last validation
 * });
 * console.log(`has ${error.tokenScopes?.join(" ")}; sign in again with ${error.scope}`);
 * ```
 */
export interface MissingScopeErrorOptions {
  /** The scopes the token carries, when known (from its last validation). */
  tokenScopes?: readonly string[];
  /**
   * Every scope the token lacks, when more than one is known to be missing
   * (default `[scope]`).
   */
  missing?: readonly string[];
  /** The standard error `cause`. */
  cause?: unknown;
}

/**
 * The token lacks a scope the call needs: Helix answered 401 `Missing scope:
 * X`, or the token was checked against scopes the app asked for. No refresh
 * fixes it (a refreshed token carries the same scopes): sign the user in
 * again asking for the scope. `endpoint` names the call (`"GET
 * /chat/chatters"`), `scope` the missing scope when Twitch named it.
 *
 * @example Ask for the missing scope
 * ```ts
 * import { MissingScopeError } from "@x/twitch-auth";
 *
 * const error = new MissingScopeError("GET /chat/chatters", "moderator:read:chatters");
 * console.log(error.scope, error.status); // moderator:read:chatters 401
 * ```
 */
export class MissingScopeError extends TwitchApiError {
  /** The call that needed the scope, such as `"GET /chat/chatters"`. */
  readonly endpoint: string;
  /** The scope the token lacks, when Twitch named it. */
  readonly scope: string | undefined;
  /** Every scope the token is known to lack (`[scope]`, or more). */
  readonly missing: readonly string[];
  /** The token's scopes, when known. */
  readonly tokenScopes: readonly string[] | undefined;

  /**
   * Creates the error.
   *
   * @param endpoint The call, such as `"GET /chat/chatters"`.
   * @param scope The missing scope, when Twitch named it.
   * @param options The token's scopes, every missing scope, and `cause`.
   */
  constructor(
    endpoint: string,
    scope: string | undefined,
    options: MissingScopeErrorOptions = {},
  ) {
    const missing = options.missing ?? (scope === undefined ? [] : [scope]);
    const named = missing.length > 0
      ? `the scope${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`
      : "a scope it needs";
    super(
      `${endpoint}: the token lacks ${named}. A refresh cannot add scopes: sign the user in again asking for ${
        missing.length > 0 ? missing.join(" ") : "the endpoint's scope"
      } (with the CLI: twitch-auth token -s "${
        [...new Set([...(options.tokenScopes ?? []), ...missing])].join(" ")
      }"${forHint(endpoint)})`,
      401,
      scope === undefined ? "Missing scope" : `Missing scope: ${scope}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.endpoint = endpoint;
    this.scope = scope;
    this.missing = Object.freeze([...missing]);
    this.tokenScopes = options.tokenScopes;
  }
}

/** `; twitch-auth scopes --for "GET /chat/chatters" says why` for a Helix call. */
function forHint(endpoint: string): string {
  return /^(GET|POST|PUT|PATCH|DELETE) \/\S*$/.test(endpoint)
    ? `; twitch-auth scopes --for "${endpoint}" says which scopes it needs and why`
    : "";
}
