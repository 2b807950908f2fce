// Tokens the cross-process tests start from: issued at the mock, then
// expired there and by the clock, so the first use must refresh.

import { assert } from "@std/assert";
import { AccessToken, refreshAccessToken, type TokenStore } from "../mod.ts";
import type { MockTwitch } from "../testing.ts";

/**
 * A token the mock issued for `userId`, expired by the clock (obtained five
 * hours ago); with `atMock`, expired at the mock too.
 */
export function expiredToken(
  mock: MockTwitch,
  userId: string,
  { atMock = false } = {},
): AccessToken {
  const issued = mock.issueUserToken({
    user: { id: userId, login: `user${userId}` },
    scopes: ["chat:read"],
  });
  if (atMock) mock.expireAccessToken(issued.accessToken);
  return new AccessToken({
    ...issued,
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: Date.now() - 5 * 3600_000,
  });
}

/** Issues a token at the mock and stores it, expired by the clock and at the mock. */
export async function seedExpiredToken(
  mock: MockTwitch,
  store: TokenStore,
  userId: string,
): Promise<void> {
  const token = expiredToken(mock, userId, { atMock: true });
  const current = await store.get(userId);
  assert(await store.set(userId, token, current?.version ?? null));
}

/** Refreshes each user's stored refresh token at the mock: it is the live one. */
export async function refreshStoredTokens(
  mock: MockTwitch,
  store: TokenStore,
  users: string[],
): Promise<void> {
  for (const id of users) {
    const stored = await store.get(id);
    assert(stored?.token.refreshToken, `user ${id} has no refresh token`);
    await refreshAccessToken(
      stored!.token.refreshToken!,
      mock.clientId,
      undefined,
      { authBaseUrl: mock.authBaseUrl },
    );
  }
}
