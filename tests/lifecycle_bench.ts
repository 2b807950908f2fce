// What keeping tokens costs on top of Twitch's own round trip: a refresh
// through TokenProvider (the refresh rule: read the store, take the lease,
// call Twitch, compare-and-set the new token, release) next to a bare
// refreshAccessToken(), one user and 1,000 users at once, per store.
//
// The rows come from `storeRows`: a store backend adds one line there (the
// file and KV stores do, next to memory). Nothing here asserts speed, only
// that every refresh happened exactly once and landed in the store.

import {
  AccessToken,
  MemoryTokenStore,
  refreshAccessToken,
  TokenProvider,
  type TokenStore,
} from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { refreshChain } from "./_helpers_bench.ts";

const mock = await startMockTwitch();
globalThis.addEventListener("unload", () => void mock.close());
const options = { authBaseUrl: mock.authBaseUrl };
const USERS = 1_000;

/** The stores to measure: name and a factory. File and KV rows go here. */
const storeRows: [string, () => Promise<TokenStore>][] = [
  ["MemoryTokenStore", () => Promise.resolve(new MemoryTokenStore())],
];

function fail(message: string): never {
  throw new Error(message);
}

function refreshCount(): number {
  return mock.countRequests({ grantType: "refresh_token" });
}

/** A provider on `store` holding `count` users' tokens issued by the mock. */
async function providerWith(
  store: TokenStore,
  count: number,
): Promise<{ provider: TokenProvider; userIds: string[] }> {
  const provider = new TokenProvider({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    authBaseUrl: mock.authBaseUrl,
    store,
  });
  const userIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = { id: String(500_000 + i), login: `bench${i}` };
    const issued = mock.issueUserToken({ user });
    await provider.setToken(
      user.id,
      new AccessToken({
        ...issued,
        expiresIn: 14_400,
        scopes: [],
        tokenType: "bearer",
        obtainedAt: Date.now(),
      }),
    );
    userIds.push(user.id);
  }
  return { provider, userIds };
}

// -- one refresh ------------------------------------------------------------------

Deno.bench(
  { name: "bare refreshAccessToken()", group: "one refresh", baseline: true },
  refreshChain(mock, mock.issueUserToken().refreshToken, mock.clientSecret),
);

for (const [name, makeStore] of storeRows) {
  const { provider, userIds: [userId] } = await providerWith(
    await makeStore(),
    1,
  );
  Deno.bench({
    name: `provider.refresh() on ${name}`,
    group: "one refresh",
  }, async (b) => {
    // Counting scans the mock's request log: keep it out of the timing.
    const before = refreshCount();
    b.start();
    const token = await provider.refresh(userId);
    b.end();
    if (refreshCount() - before !== 1) fail("expected one refresh request");
    const stored = await provider.store.get(userId);
    if (stored?.token.accessToken !== token.accessToken) {
      fail("the new token is not in the store");
    }
  });
}

// -- 1,000 users at once ------------------------------------------------------------

const bareTokens = Array.from(
  { length: USERS },
  (_, i) =>
    mock.issueUserToken({ user: { id: String(900_000 + i), login: `b${i}` } })
      .refreshToken,
);

Deno.bench({
  name: `bare refreshAccessToken() x ${USERS} users at once`,
  group: `${USERS} users refreshed`,
  baseline: true,
}, async () => {
  await Promise.all(bareTokens.map(async (refreshToken, i) => {
    const token = await refreshAccessToken(
      refreshToken,
      mock.clientId,
      mock.clientSecret,
      options,
    );
    bareTokens[i] = token.refreshToken ?? fail("no refresh token");
  }));
});

for (const [name, makeStore] of storeRows) {
  const { provider, userIds } = await providerWith(await makeStore(), USERS);
  Deno.bench({
    name: `TokenProvider on ${name}, ${USERS} users at once`,
    group: `${USERS} users refreshed`,
  }, async () => {
    const before = refreshCount();
    await Promise.all(userIds.map((userId) => provider.refresh(userId)));
    const made = refreshCount() - before;
    if (made !== USERS) fail(`${made} refresh requests, expected ${USERS}`);
  });
}

// -- the store's share of one refresh, without Twitch ---------------------------------

// What the refresh rule asks of a store per refresh (read, lease, write,
// release): the cost a store adds, with no network in the way. The `set`
// alone is the window in which a crash loses a rotated refresh token.
for (const [name, makeStore] of storeRows) {
  const store = await makeStore();
  const token = new AccessToken({
    accessToken: "a".repeat(30),
    refreshToken: "r".repeat(50),
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: Date.now(),
  });
  await store.set("1", token, null);
  Deno.bench({
    name: `${name}: get + acquireLease + set + release`,
    group: "store work per refresh",
  }, async () => {
    const stored = await store.get("1") ?? fail("no token");
    const lease = await store.acquireLease("1", stored.version, 10_000) ??
      fail("no lease");
    (await store.set("1", token, stored.version)) ?? fail("set refused");
    await lease.release();
  });
  Deno.bench({
    name: `${name}: set alone (the crash window)`,
    group: "store write",
  }, async () => {
    const stored = await store.get("1") ?? fail("no token");
    (await store.set("1", token, stored.version)) ?? fail("set refused");
  });
}
