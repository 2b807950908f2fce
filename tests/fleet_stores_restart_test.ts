// A Redis (append-only file, fsync always) and a PostgreSQL of the test's own,
// stopped as a crash would stop them in the middle of a run, then started
// again: while down every call fails promptly with TokenStoreUnavailableError
// (ioredis alone would wait about 74 s), and nothing is refreshed at Twitch;
// nothing stored is lost; work goes on when the server is back. Also: the
// Redis store warns, once, when Redis would lose tokens on a restart.

import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  refreshAccessToken,
  TokenProvider,
  type TokenStore,
  TokenStoreUnavailableError,
} from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import {
  ownServersMissing,
  startOwnPostgres,
  startOwnRedis,
} from "./_own_servers.ts";
import { IN_CI } from "./_runtimes.ts";
import { seedExpiredToken } from "./_seed.ts";
import { openPostgres, openRedis } from "./_servers.ts";

const missing = IN_CI ? undefined : await ownServersMissing();
if (missing) console.warn(`skipping the restart tests: ${missing}`);

const PUBLIC_CLIENT = {
  clientId: "restart0public0client0000000000",
  redirectUris: ["http://localhost:17563"],
};

/** A short bound, so that the outage's calls fail quickly. */
const TIMEOUT = 2_000;

interface Server {
  kill(): Promise<void>;
  start(): Promise<void>;
}

/** Every user's stored access and refresh token, read through `store`. */
async function snapshot(
  store: TokenStore,
  users: string[],
): Promise<Record<string, string>> {
  const entries = await Promise.all(users.map(async (id) => {
    const stored = await store.get(id);
    return [id, `${stored?.token.accessToken}/${stored?.token.refreshToken}`];
  }));
  return Object.fromEntries(entries);
}

/** Retries `store.get` until the server answers again. */
async function waitUntilBack(store: TokenStore): Promise<void> {
  const giveUp = Date.now() + 30_000;
  for (;;) {
    try {
      await store.get("1000");
      return;
    } catch (error) {
      if (!(error instanceof TokenStoreUnavailableError)) throw error;
      if (Date.now() > giveUp) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * The run: two stores (two client libraries) on one server; half the users
 * refreshed through one, the server crashes, calls fail typed, it comes back
 * with every token, the other half refreshed through the other store.
 */
async function restartRun(
  mock: MockTwitch,
  server: Server,
  stores: [TokenStore, TokenStore],
): Promise<void> {
  const users = Array.from({ length: 40 }, (_, i) => `${1000 + i}`);
  for (const id of users) await seedExpiredToken(mock, stores[0], id);
  const providers = stores.map((store) =>
    new TokenProvider({
      clientId: mock.clientId,
      authBaseUrl: mock.authBaseUrl,
      store,
    })
  );
  try {
    await Promise.all(
      users.slice(0, 20).map((id) => providers[0].getAccessToken(id)),
    );
    const before = await snapshot(stores[1], users);
    const refreshes = mock.countRequests({ grantType: "refresh_token" });
    assertEquals(refreshes, 20);

    await server.kill();
    // Every call fails with the typed error (all at once: each waits for
    // its timeout). The lease is asked at a version no user has, so that a
    // client replaying it later changes nothing.
    const outage: (() => Promise<unknown>)[] = [];
    for (const store of stores) {
      outage.push(
        () => store.get("1000"),
        () => store.list(),
        () => store.acquireLease("1030", "no-such-version", 10_000),
      );
    }
    for (const provider of providers) {
      outage.push(() => provider.getAccessToken("1030"));
    }
    const started = Date.now();
    await Promise.all(
      outage.map((call) => assertRejects(call, TokenStoreUnavailableError)),
    );
    // Promptly: bounded by the store's timeout, not the client's own retries
    // (ioredis alone waits about 74 s). A generous bound, not a speed test.
    const took = Date.now() - started;
    assert(took < 10 * TIMEOUT, `the outage's calls took ${took} ms`);
    // Nothing went to Twitch while the store was down.
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), 20);

    await server.start();
    for (const store of stores) await waitUntilBack(store);
    assertEquals(await snapshot(stores[0], users), before, "tokens were lost");
    await Promise.all(
      users.slice(20).map((id) => providers[1].getAccessToken(id)),
    );
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), 40);
    // Every stored refresh token is the live one.
    for (const id of users) {
      const stored = (await stores[0].get(id))!;
      await refreshAccessToken(
        stored.token.refreshToken!,
        mock.clientId,
        undefined,
        { authBaseUrl: mock.authBaseUrl },
      );
    }
  } finally {
    for (const provider of providers) provider[Symbol.dispose]();
  }
}

Deno.test({
  name:
    "Redis (AOF, fsync always) killed mid-run and started again: calls fail typed while down, nothing stored is lost, work goes on",
  ignore: missing !== undefined,
  async fn() {
    await using redis = await startOwnRedis({ durable: true });
    await using mock = await startMockTwitch({ clients: [PUBLIC_CLIENT] });
    const clients = [
      await openRedis("node-redis", redis.url),
      await openRedis("ioredis", redis.url),
    ];
    const warnings: string[] = [];
    try {
      const open = (i: number) =>
        new RedisTokenStore(clients[i].client, {
          timeout: TIMEOUT,
          onWarning: (message) => warnings.push(message),
        });
      await restartRun(mock, redis, [open(0), open(1)]);
      assertEquals(warnings, [], "warned about a Redis that persists");
    } finally {
      for (const client of clients) await client.close();
    }
  },
});

Deno.test({
  name:
    "PostgreSQL stopped as by a crash mid-run and started again: calls fail typed while down, nothing stored is lost, work goes on",
  ignore: missing !== undefined,
  async fn() {
    await using pg = await startOwnPostgres();
    await using mock = await startMockTwitch({ clients: [PUBLIC_CLIENT] });
    const clients = [
      openPostgres("postgres.js", pg.url),
      openPostgres("pg", pg.url),
    ];
    try {
      const open = (i: number) =>
        new PostgresTokenStore(clients[i].client, { timeout: TIMEOUT });
      const stores: [TokenStore, TokenStore] = [open(0), open(1)];
      // Two processes' migrations at once: both succeed.
      await Promise.all([open(0).migrate(), open(1).migrate()]);
      await restartRun(mock, pg, stores);
    } finally {
      for (const client of clients) await client.close();
    }
  },
});

Deno.test({
  name:
    "RedisTokenStore warns once per client when Redis would lose tokens on a restart",
  ignore: missing !== undefined,
  async fn() {
    await using redis = await startOwnRedis({ durable: false });
    const client = await openRedis("ioredis", redis.url);
    try {
      const warnings: string[] = [];
      const onWarning = (message: string) => warnings.push(message);
      const first = new RedisTokenStore(client.client, { onWarning });
      const second = new RedisTokenStore(client.client, { onWarning });
      await Promise.all([first.get("1"), first.list(), second.get("1")]);
      assertEquals(warnings.length, 1, warnings.join("\n"));
      assert(warnings[0].includes("appendonly yes"), warnings[0]);
    } finally {
      await client.close();
    }
  },
});
