/**
 * `TokenProvider`'s `checkScopes`: fails a Helix call before it is sent when
 * the scope table says the token's scopes lack what the endpoint needs.
 *
 * @module
 */

import { findEntry } from "./_resolve_need.ts";
import { MissingScopeError } from "./errors_helix.ts";
import { scopeRequirements } from "./scope_requirements.ts";

/**
 * The error a call would earn, or `undefined` when the token's scopes cover
 * it (or the table does not know the endpoint, or it takes no user token:
 * then Twitch decides).
 *
 * @param method The request's method.
 * @param helixPath The path under the Helix base: `/chat/chatters`.
 * @param tokenScopes The token's scopes, as last validated.
 */
export async function missingScopeFor(
  method: string,
  helixPath: string,
  tokenScopes: readonly string[],
): Promise<MissingScopeError | undefined> {
  const endpoint = `${method.toUpperCase()} ${helixPath}`;
  const entry = findEntry(endpoint, await scopeRequirements());
  if (!entry || (entry.token !== "user" && entry.token !== "either")) {
    return undefined;
  }
  const missing = entry.scopes
    .filter((group) => !group.some((scope) => tokenScopes.includes(scope)))
    .map((group) => group[0]);
  if (missing.length === 0) return undefined;
  return new MissingScopeError(entry.id, missing[0], {
    tokenScopes,
    missing,
  });
}
