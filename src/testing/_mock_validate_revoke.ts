/**
 * `GET /oauth2/validate` and `POST /oauth2/revoke` on the mock Twitch.
 *
 * @module
 */

import {
  type Context,
  credentials,
  idError,
  jsonResponse,
} from "./_mock_http.ts";
import type { MockState } from "./_mock_state.ts";
import {
  expiresIn,
  liveAccessToken,
  revokeAccessTokensOf,
} from "./_mock_token_store.ts";

/** `GET /oauth2/validate` (`Authorization: OAuth <token>`): what the token is. */
export function validate(state: MockState, ctx: Context): Response {
  const record = liveAccessToken(
    state,
    credentials(ctx.req.headers, "OAuth"),
  );
  if (!record) return idError(401, "invalid access token");
  const body: Record<string, unknown> = { client_id: record.clientId };
  if (record.user) body.login = record.user.login;
  body.scopes = [...record.scopes];
  if (record.user) body.user_id = record.user.id;
  body.expires_in = expiresIn(state, record);
  return jsonResponse(200, body);
}

/**
 * `POST /oauth2/revoke`: revokes an access token, or a refresh token and the
 * access tokens made from it.
 */
export function revoke(state: MockState, ctx: Context): Response {
  const clientId = ctx.params.get("client_id");
  if (!clientId) return idError(400, "missing client id");
  if (!state.clients.has(clientId)) {
    return idError(404, "client does not exist");
  }
  const token = ctx.params.get("token") ?? "";
  const access = state.accessTokens.get(token);
  const refresh = state.refreshTokens.get(token);
  if (access && !access.revoked && access.clientId === clientId) {
    access.revoked = true;
  } else if (refresh && !refresh.revoked && refresh.clientId === clientId) {
    refresh.revoked = true;
    revokeAccessTokensOf(state, refresh);
  } else {
    return idError(400, "Invalid token");
  }
  return new Response(null, { status: 200 });
}
