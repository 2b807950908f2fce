/**
 * The access and refresh tokens of the mock Twitch: issuing, looking up and
 * revoking them.
 *
 * @module
 */

import { randomToken } from "./_mock_http.ts";
import {
  type AccessTokenRecord,
  knowUser,
  type MockState,
  type RefreshTokenRecord,
} from "./_mock_state.ts";
import type {
  IssuedUserToken,
  IssueUserTokenOptions,
  MockUser,
} from "./mock_types.ts";

/** A new access token (an app token when `user` is absent). */
export function issueAccessToken(
  state: MockState,
  clientId: string,
  user: MockUser | undefined,
  scopes: string[],
  refreshToken?: string,
  expiresIn: number = state.accessTokenLifetime,
): string {
  const token = randomToken(30);
  const now = state.now();
  state.accessTokens.set(token, {
    clientId,
    user,
    scopes: [...scopes],
    issuedAt: now,
    expiresAt: now + expiresIn * 1000,
    revoked: false,
    refreshToken,
  });
  if (refreshToken) {
    state.refreshTokens.get(refreshToken)?.accessTokens.add(token);
  }
  return token;
}

/** A new refresh token. */
export function issueRefreshToken(
  state: MockState,
  clientId: string,
  user: MockUser,
  scopes: string[],
): string {
  const token = randomToken(50);
  state.refreshTokens.set(token, {
    clientId,
    user,
    scopes: [...scopes],
    revoked: false,
    accessTokens: new Set(),
  });
  return token;
}

/** The record of a usable (known, unexpired, unrevoked) access token. */
export function liveAccessToken(
  state: MockState,
  token: string | undefined,
): AccessTokenRecord | undefined {
  const record = token ? state.accessTokens.get(token) : undefined;
  return record && !record.revoked && record.expiresAt > state.now()
    ? record
    : undefined;
}

/** Revokes every access token made from `refresh`. */
export function revokeAccessTokensOf(
  state: MockState,
  refresh: RefreshTokenRecord,
): void {
  for (const token of refresh.accessTokens) {
    const record = state.accessTokens.get(token);
    if (record) record.revoked = true;
  }
  refresh.accessTokens.clear();
}

/** The whole seconds an access token has left (Twitch's `expires_in`). */
export function expiresIn(state: MockState, record: AccessTokenRecord): number {
  return Math.max(0, Math.round((record.expiresAt - state.now()) / 1000));
}

/** A user token pair made without any flow (see `MockTwitchHandler.issueUserToken`). */
export function issueUserToken(
  state: MockState,
  options: IssueUserTokenOptions,
): IssuedUserToken {
  const client = options.clientId === undefined
    ? state.firstClient
    : state.clients.get(options.clientId);
  if (!client) {
    throw new Error(`unknown client id ${JSON.stringify(options.clientId)}`);
  }
  const user = options.user ?? state.currentUser;
  knowUser(state, user);
  const scopes = options.scopes ?? [];
  const refreshToken = issueRefreshToken(state, client.clientId, user, scopes);
  const accessToken = issueAccessToken(
    state,
    client.clientId,
    user,
    scopes,
    refreshToken,
    options.expiresIn,
  );
  return { accessToken, refreshToken };
}

/** Makes an access token invalid, as if it had expired. */
export function expireAccessToken(state: MockState, accessToken: string): void {
  const record = state.accessTokens.get(accessToken);
  if (!record) throw new Error("unknown access token");
  record.expiresAt = Math.min(record.expiresAt, state.now() - 1);
}
