/**
 * Turns what a user typed into a validated list of Twitch scopes.
 *
 * @module
 */

import { editDistance } from "./_edit_distance.ts";
import { UnknownScopeError } from "./errors.ts";
import { type AuthScope, SCOPE_DESCRIPTIONS } from "./scopes.ts";

/**
 * Tells whether a string is one of Twitch's scopes.
 *
 * @param value Any string.
 * @returns `true` when `value` is a known scope.
 *
 * @example Check a scope name
 * ```ts
 * import { isAuthScope } from "@x/twitch-auth";
 * import { assert } from "@std/assert";
 *
 * assert(isAuthScope("bits:read"));
 * assert(!isAuthScope("bits:reed"));
 * ```
 */
export function isAuthScope(value: string): value is AuthScope {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, value);
}

/**
 * Parses scopes given as one string (separated by spaces or commas, as users
 * type them and as Twitch sends them) or as a list of such strings. Empty
 * entries are skipped, duplicates dropped, the order kept.
 *
 * @param input `"bits:read chat:read"`, `"bits:read,chat:read"` or a list.
 * @returns The scopes, each a known {@linkcode AuthScope}.
 * @throws {UnknownScopeError} when a name is not a Twitch scope; the error
 * names every unknown one and the closest valid scopes.
 *
 * @example Parse a scope string
 * ```ts
 * import { parseScopes } from "@x/twitch-auth";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseScopes("bits:read, chat:read"), ["bits:read", "chat:read"]);
 * ```
 */
export function parseScopes(input: string | readonly string[]): AuthScope[] {
  const names = (typeof input === "string" ? [input] : input)
    .flatMap((part) => part.split(/[\s,]+/))
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !isAuthScope(name));
  if (unknown.length > 0) {
    const suggestions = [
      ...new Set(unknown.flatMap((name) => closestScopes(name))),
    ];
    throw new UnknownScopeError([...new Set(unknown)], suggestions);
  }
  return [...new Set(names as AuthScope[])];
}

/**
 * The known scopes closest to a mistyped one, best first.
 *
 * @param name A scope name that is not a Twitch scope.
 * @param limit How many suggestions at most.
 * @returns Up to `limit` scopes within a small edit distance of `name`.
 *
 * @example Suggest a scope
 * ```ts
 * import { closestScopes } from "@x/twitch-auth";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(closestScopes("bits:reed")[0], "bits:read");
 * ```
 */
export function closestScopes(name: string, limit = 3): AuthScope[] {
  const lower = name.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(lower.length / 3));
  return (Object.keys(SCOPE_DESCRIPTIONS) as AuthScope[])
    .map((scope) => ({ scope, distance: editDistance(lower, scope) }))
    .filter(({ distance }) => distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map(({ scope }) => scope);
}
