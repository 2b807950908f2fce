/**
 * Steering a running mock from outside its process: `POST /mock/control`
 * expires or revokes tokens, for `twitch-auth mock expire` and `mock revoke`
 * in another terminal. Not part of Twitch's API: it lives outside `/oauth2`
 * and `/helix`, and wants a `Mock-Control: 1` header, which a web page
 * cannot send to another origin without a CORS preflight the mock never
 * grants.
 *
 * @module
 */

import { type Context, idError, jsonResponse } from "./_mock_http.ts";
import type { MockState } from "./_mock_state.ts";
import { revokeAccessTokensOf } from "./_mock_token_store.ts";

/** The path of the control route. */
export const CONTROL_PATH = "/mock/control";

/** What a control request can do. */
export type ControlAction = "expire" | "revoke";

/**
 * Expires access tokens, as if their lifetime had run out: the one given
 * (an access token, or a refresh token's current access tokens), or every
 * live one. Returns how many changed.
 */
export function expireTokens(state: MockState, token?: string): number {
  const now = state.now();
  let changed = 0;
  for (const access of accessTokensMatching(state, token)) {
    const record = state.accessTokens.get(access);
    if (!record || record.revoked || record.expiresAt <= now) continue;
    record.expiresAt = now - 1;
    changed++;
  }
  return changed;
}

/**
 * Revokes tokens as `POST /oauth2/revoke` would: the access or refresh
 * token given, or every token the mock issued. Returns how many changed.
 */
export function revokeTokens(state: MockState, token?: string): number {
  let changed = 0;
  const refreshes = token === undefined
    ? [...state.refreshTokens.values()]
    : [state.refreshTokens.get(token)].filter((r) => r !== undefined);
  for (const refresh of refreshes) {
    if (refresh.revoked) continue;
    refresh.revoked = true;
    revokeAccessTokensOf(state, refresh);
    changed++;
  }
  for (const access of accessTokensMatching(state, token)) {
    const record = state.accessTokens.get(access);
    if (!record || record.revoked) continue;
    record.revoked = true;
    changed++;
  }
  return changed;
}

/** The access tokens `token` names (itself, or a refresh token's), or all. */
function accessTokensMatching(state: MockState, token?: string): string[] {
  if (token === undefined) return [...state.accessTokens.keys()];
  const refresh = state.refreshTokens.get(token);
  if (refresh) return [...refresh.accessTokens];
  return state.accessTokens.has(token) ? [token] : [];
}

/**
 * `POST /mock/control` with a form body `action=expire|revoke` and either
 * `token=...` or `all=true`: answers `{"changed": N}`, 400 for a malformed
 * request, 404 when the token is unknown.
 */
export function control(state: MockState, ctx: Context): Response {
  if (ctx.req.headers.get("Mock-Control") !== "1") {
    return idError(403, "control requests need the header Mock-Control: 1");
  }
  const action = ctx.params.get("action");
  if (action !== "expire" && action !== "revoke") {
    return idError(400, 'action must be "expire" or "revoke"');
  }
  const all = ctx.params.get("all") === "true";
  const token = ctx.params.get("token") ?? undefined;
  if (all === (token !== undefined)) {
    return idError(400, "give either token=... or all=true");
  }
  if (
    token !== undefined && !state.accessTokens.has(token) &&
    !state.refreshTokens.has(token)
  ) {
    return idError(404, "this mock did not issue that token");
  }
  const changed = action === "expire"
    ? expireTokens(state, token)
    : revokeTokens(state, token);
  return jsonResponse(200, { changed });
}
