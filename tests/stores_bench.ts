// What a token store adds to a refresh, against the mock on loopback with a
// public client (one-time refresh tokens): a bare refreshAccessToken() is
// the floor; each store runs the cross-process refresh rule around it (get,
// acquireLease, refresh, set, release), in a MemoryTokenStore, in a
// FileTokenStore and in a DenoKvTokenStore on a local KV file, each through
// a TokenProvider. Then 1,000
// users written, and refreshed all at once, through each store.
//
// Timings on a shared machine are noisy: nothing here asserts speed, only
// that every refresh got its answer and every write landed.

import {
  AccessToken,
  DenoKvTokenStore,
  FileTokenStore,
  MemoryTokenStore,
  TokenProvider,
  type TokenStore,
} from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { refreshChain } from "./_helpers_bench.ts";
import { expiredToken as expiredTokenAt } from "./_seed.ts";

const mock = await startMockTwitch({
  clients: [{
    clientId: "bench0public0client00000000000",
    redirectUris: ["http://localhost:17563"],
  }],
});
const dir = await Deno.makeTempDir({ prefix: "stores_bench_" });
const kvs: Deno.Kv[] = [];
// `deno bench` has no teardown hook: clean up when the module unloads.
globalThis.addEventListener("unload", () => {
  for (const kv of kvs) kv.close();
  Deno.removeSync(dir, { recursive: true });
  void mock.close();
});

async function openKvStore(name: string): Promise<DenoKvTokenStore> {
  const kv = await Deno.openKv(`${dir}/${name}.kv`);
  kvs.push(kv);
  return new DenoKvTokenStore(kv);
}

const stores: [string, () => Promise<TokenStore>][] = [
  ["MemoryTokenStore", () => Promise.resolve(new MemoryTokenStore())],
  [
    "FileTokenStore",
    () =>
      Promise.resolve(new FileTokenStore(`${dir}/${crypto.randomUUID()}.json`)),
  ],
  ["DenoKvTokenStore", () => openKvStore(crypto.randomUUID())],
];

/** A token at the mock for `userId`, expired by the clock. */
function expiredToken(userId: string): AccessToken {
  return expiredTokenAt(mock, userId);
}

/** A TokenProvider (the refresh rule as the library runs it) on `store`. */
function providerOn(store: TokenStore): TokenProvider {
  const provider = new TokenProvider({
    clientId: mock.clientId,
    authBaseUrl: mock.authBaseUrl,
    store,
    validateInterval: 2 ** 31 - 1, // no validation timer within a bench
  });
  globalThis.addEventListener("unload", () => provider.close());
  return provider;
}

/** Stores each user's current token again, expired by the clock. */
async function expireAll(store: TokenStore, users: string[]): Promise<void> {
  for (const id of users) {
    const current = (await store.get(id))!;
    const expired = new AccessToken({
      ...current.token.toJSON(),
      obtainedAt: Date.now() - 5 * 3600_000,
    });
    await store.set(id, expired, current.version);
  }
}

// -- one refresh ----------------------------------------------------------------

Deno.bench(
  { name: "bare refreshAccessToken()", group: "one refresh", baseline: true },
  refreshChain(mock, expiredToken("1").refreshToken!, undefined),
);

for (const [name, open] of stores) {
  const store = await open();
  await store.set("1", expiredToken("1"), null);
  const provider = providerOn(store);
  Deno.bench({
    name: `${name}: provider.refresh() (get, lease, refresh, set, release)`,
    group: "one refresh",
  }, async () => {
    // An async function: `deno bench` runs a plain one as a synchronous bench.
    await provider.refresh("1");
  });
}

// -- 1,000 users -----------------------------------------------------------------

const users = Array.from({ length: 1000 }, (_, i) => `${100_000 + i}`);
const seeds = users.map(expiredToken);

for (const [name, open] of stores) {
  Deno.bench({
    name: `${name}: write 1,000 new users`,
    group: "1,000 users written",
    n: 3,
    warmup: 1,
  }, async (b) => {
    const store = await open();
    b.start();
    await Promise.all(users.map((id, i) => store.set(id, seeds[i], null)));
    b.end();
    if ((await store.list()).length !== 1000) throw new Error("users lost");
  });
}

for (const [name, open] of stores) {
  const store = await open();
  for (const id of users) await store.set(id, expiredToken(id), null);
  Deno.bench({
    name: `${name}: refresh 1,000 expired users at once`,
    group: "1,000 users refreshed",
    n: 3,
    warmup: 0,
  }, async (b) => {
    await expireAll(store, users);
    // A new provider, as a process starting up: it knows only the store.
    const provider = providerOn(store);
    const before = mock.countRequests({ grantType: "refresh_token" });
    b.start();
    const tokens = await Promise.all(
      users.map((id) => provider.getAccessToken(id)),
    );
    b.end();
    const refreshes = mock.countRequests({ grantType: "refresh_token" }) -
      before;
    if (refreshes !== users.length || tokens.some((t) => t.isExpired())) {
      throw new Error(`${refreshes} refreshes for ${users.length} users`);
    }
  });
}
