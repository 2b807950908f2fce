// Shared by the benches (tests/*_bench.ts): the bench body of a bare
// `refreshAccessToken()` against the mock, each run on the refresh token the
// run before got back.

import { refreshAccessToken } from "../mod.ts";
import type { MockTwitch } from "../testing.ts";

/**
 * A bench body that refreshes with `refreshAccessToken` and keeps the refresh
 * token that comes back for the next run (Twitch may rotate it; a public
 * client's is single-use). `clientSecret` undefined: a public client.
 */
export function refreshChain(
  mock: MockTwitch,
  refreshToken: string,
  clientSecret: string | undefined,
): () => Promise<void> {
  let current = refreshToken;
  return async () => {
    const token = await refreshAccessToken(
      current,
      mock.clientId,
      clientSecret,
      { authBaseUrl: mock.authBaseUrl },
    );
    if (!token.refreshToken) throw new Error("no refresh token came back");
    current = token.refreshToken;
  };
}
