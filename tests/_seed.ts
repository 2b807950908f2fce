// Tokens the cross-process tests start from: issued at the mock, then
// expired there and by the clock, so the first use must refresh.

import { assert } from "@std/assert";
import { AccessToken, type TokenStore } from "../mod.ts";
import type { MockTwitch } from "../testing.ts";

/** Issues a token at the mock and stores it, expired by the clock and at the mock. */
export async function seedExpiredToken(
  mock: MockTwitch,
  store: TokenStore,
  userId: string,
): Promise<void> {
  const issued = mock.issueUserToken({
    user: { id: userId, login: `user${userId}` },
    scopes: ["chat:read"],
  });
  mock.expireAccessToken(issued.accessToken);
  const token = new AccessToken({
    ...issued,
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: Date.now() - 5 * 3600_000,
  });
  const current = await store.get(userId);
  assert(await store.set(userId, token, current?.version ?? null));
}
