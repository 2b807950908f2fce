/**
 * `POST /oauth2/token` on the mock Twitch: the authorization code, refresh
 * token, client credentials and device code grants, with Twitch's answers and
 * errors.
 *
 * @module
 */

import { authenticateClient, isPublicClient } from "./_mock_clients.ts";
import { pollDevice } from "./_mock_device_flow.ts";
import { type Context, idError, jsonResponse } from "./_mock_http.ts";
import { idToken } from "./_mock_openid.ts";
import type { MockState } from "./_mock_state.ts";
import {
  expiresIn,
  issueAccessToken,
  issueRefreshToken,
  revokeAccessTokensOf,
} from "./_mock_token_store.ts";
import type { MockClient, MockUser } from "./mock_types.ts";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** `POST /oauth2/token`: answers the grant of `grant_type`. */
export function tokenEndpoint(
  state: MockState,
  ctx: Context,
): Response | Promise<Response> {
  const params = ctx.params;
  switch (params.get("grant_type")) {
    case "authorization_code":
      return exchangeCode(state, params);
    case "refresh_token":
      return refresh(state, params);
    case "client_credentials":
      return clientCredentials(state, params);
    case DEVICE_GRANT: {
      const grant = pollDevice(state, params);
      if (grant.response) return grant.response;
      const { client, user, scopes } = grant.ok;
      const refreshToken = issueRefreshToken(
        state,
        client.clientId,
        user,
        scopes,
      );
      return userTokenResponse(state, client, user, scopes, refreshToken);
    }
    case null:
    case "":
      return idError(400, "missing grant type");
    default:
      return idError(400, "unsupported grant type");
  }
}

/**
 * `{access_token, expires_in, refresh_token, scope, token_type}` for a new
 * user token, plus an `id_token` when `idTokenNonce` is given (the code
 * grant) and the scopes include `openid`.
 */
async function userTokenResponse(
  state: MockState,
  client: MockClient,
  user: MockUser,
  scopes: string[],
  refreshToken: string,
  idTokenNonce?: string | null,
): Promise<Response> {
  const accessToken = issueAccessToken(
    state,
    client.clientId,
    user,
    scopes,
    refreshToken,
  );
  const record = state.accessTokens.get(accessToken)!;
  const body: Record<string, unknown> = {
    access_token: accessToken,
    expires_in: expiresIn(state, record),
    refresh_token: refreshToken,
    scope: [...scopes],
    token_type: "bearer",
  };
  if (idTokenNonce !== undefined && scopes.includes("openid")) {
    body.id_token = await idToken(
      state,
      client.clientId,
      user,
      record,
      idTokenNonce,
    );
  }
  return jsonResponse(200, body);
}

function exchangeCode(
  state: MockState,
  params: URLSearchParams,
): Response | Promise<Response> {
  const auth = authenticateClient(state, params, "required");
  if (auth.response) return auth.response;
  const client = auth.ok;
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!client.redirectUris.includes(redirectUri)) {
    return idError(400, "Parameter redirect_uri does not match registered URI");
  }
  const code = state.codes.get(params.get("code") ?? "");
  if (
    !code || code.used || code.expiresAt <= state.now() ||
    code.clientId !== client.clientId
  ) {
    return idError(400, "Invalid authorization code");
  }
  if (code.redirectUri !== redirectUri) {
    return idError(400, "Parameter redirect_uri does not match registered URI");
  }
  code.used = true;
  const refreshToken = issueRefreshToken(
    state,
    client.clientId,
    code.user,
    code.scopes,
  );
  return userTokenResponse(
    state,
    client,
    code.user,
    code.scopes,
    refreshToken,
    code.nonce,
  );
}

function refresh(
  state: MockState,
  params: URLSearchParams,
): Response | Promise<Response> {
  const auth = authenticateClient(state, params, "public-ok");
  if (auth.response) return auth.response;
  const client = auth.ok;
  const oldToken = params.get("refresh_token") ?? "";
  const record = state.refreshTokens.get(oldToken);
  if (!record || record.revoked || record.clientId !== client.clientId) {
    return jsonResponse(400, {
      error: "Bad Request",
      status: 400,
      message: "Invalid refresh token",
    });
  }
  revokeAccessTokensOf(state, record);
  let refreshToken = oldToken;
  if (isPublicClient(client)) {
    // Public clients' refresh tokens are single-use.
    record.revoked = true;
    refreshToken = issueRefreshToken(
      state,
      client.clientId,
      record.user,
      record.scopes,
    );
  }
  return userTokenResponse(
    state,
    client,
    record.user,
    record.scopes,
    refreshToken,
  );
}

function clientCredentials(
  state: MockState,
  params: URLSearchParams,
): Response {
  const auth = authenticateClient(state, params, "required");
  if (auth.response) return auth.response;
  const accessToken = issueAccessToken(state, auth.ok.clientId, undefined, []);
  const record = state.accessTokens.get(accessToken)!;
  return jsonResponse(200, {
    access_token: accessToken,
    expires_in: expiresIn(state, record),
    token_type: "bearer",
  });
}
