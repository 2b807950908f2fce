// What Redis and PostgreSQL add to a refresh, against the mock on loopback
// with a public client: one refresh through each store (two client libraries
// each) against MemoryTokenStore, each through a TokenProvider; then 1,000
// and 10,000 expired users refreshed by 4 processes sharing one Redis or one
// PostgreSQL (tests/_store_worker.ts; each process asks for 1,000 users at a
// time, all four for the same users in the same order), one run each. The
// requests each refresh sends to the server are counted on the clients
// (tests/_servers.ts countingClient) and printed.
//
// Nothing here asserts speed; a run fails only when a refresh or a write is
// lost. Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432.

import { MemoryTokenStore, TokenProvider, type TokenStore } from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import { startMockTwitch } from "../testing.ts";
import { CLIENTS, fleetJobs, type Kind, runWorkers, setup } from "./_fleet.ts";
import { expiredToken } from "./_seed.ts";
import {
  countingClient,
  dropPrefix,
  NO_POSTGRES,
  NO_REDIS,
  openPostgres,
  openRedis,
  uniqueName,
} from "./_servers.ts";

const mock = await startMockTwitch({
  clients: [{
    clientId: "bench0fleet0public0client00000",
    redirectUris: ["http://localhost:17563"],
  }],
});
const cleanups: (() => Promise<void>)[] = [() => mock.close()];
globalThis.addEventListener("unload", () => {
  for (const cleanup of cleanups.reverse()) void cleanup();
});

interface Opened {
  store: TokenStore;
  calls(): number;
}

const stores: [string, () => Promise<Opened>][] = [[
  "MemoryTokenStore",
  () => Promise.resolve({ store: new MemoryTokenStore(), calls: () => 0 }),
]];
if (!NO_REDIS) {
  for (const kind of CLIENTS.redis) {
    stores.push([`RedisTokenStore (${kind})`, async () => {
      const redis = await openRedis(kind as "node-redis" | "ioredis");
      const prefix = `bench:${uniqueName()}:`;
      cleanups.push(async () => {
        await dropPrefix(redis, prefix);
        await redis.close();
      });
      const counting = countingClient(redis.client as object);
      const store = new RedisTokenStore(counting.client, {
        prefix,
        onWarning() {},
      });
      return { store, calls: counting.calls };
    }]);
  }
}
if (!NO_POSTGRES) {
  for (const kind of CLIENTS.postgres) {
    stores.push([`PostgresTokenStore (${kind})`, async () => {
      const sql = openPostgres(kind as "postgres.js" | "pg");
      const table = `bench_${uniqueName()}`;
      cleanups.push(async () => {
        await sql.query(`DROP TABLE IF EXISTS ${table}`);
        await sql.query(`DROP TABLE IF EXISTS ${table}_claims`);
        await sql.close();
      });
      const counting = countingClient(sql.client as object);
      const store = new PostgresTokenStore(counting.client, { table });
      await store.migrate();
      return { store, calls: counting.calls };
    }]);
  }
}

// -- one refresh ------------------------------------------------------------

for (const [name, open] of stores) {
  const { store, calls } = await open();
  await store.set("1", expiredToken(mock, "1"), null);
  const provider = new TokenProvider({
    clientId: mock.clientId,
    authBaseUrl: mock.authBaseUrl,
    store,
    validateInterval: 2 ** 31 - 1,
  });
  cleanups.push(() => Promise.resolve(provider.close()));
  // Requests to the server per refresh, outside the timed part.
  await provider.refresh("1");
  const before = calls();
  for (let i = 0; i < 10; i++) await provider.refresh("1");
  if (calls()) {
    console.log(`${name}: ${(calls() - before) / 10} requests per refresh`);
  }
  Deno.bench({
    name: `${name}: provider.refresh()`,
    group: "one refresh",
    baseline: name === "MemoryTokenStore",
  }, async () => {
    await provider.refresh("1");
  });
}

// -- users refreshed across 4 processes ----------------------------------------

for (const kind of ["redis", "postgres"] as Kind[]) {
  if (kind === "redis" ? NO_REDIS : NO_POSTGRES) continue;
  for (const count of [1_000, 10_000]) {
    Deno.bench({
      name: `${kind}: ${count.toLocaleString("en")} users, 4 processes`,
      group: `${count.toLocaleString("en")} users across 4 processes`,
      n: 1,
      warmup: 0,
    }, async (b) => {
      await using env = await setup(kind);
      const users = Array.from({ length: count }, (_, i) => `${10_000 + i}`);
      const tokens = users.map((id) =>
        expiredToken(env.mock, id, { atMock: true })
      );
      for (let i = 0; i < count; i += 500) {
        await Promise.all(
          users.slice(i, i + 500).map((id, j) =>
            env.store.set(id, tokens[i + j], null)
          ),
        );
      }
      // Each process asks for 1,000 users at a time.
      const jobs = fleetJobs(env, kind, users, { batch: 1_000 });
      b.start();
      const results = await runWorkers(jobs);
      b.end();
      const refreshes = env.mock.countRequests({ grantType: "refresh_token" });
      if (refreshes !== count) {
        throw new Error(`${refreshes} refreshes for ${count} users`);
      }
      const requests = results.reduce((sum, r) => sum + r.storeCalls, 0);
      console.log(
        `${kind}, ${count} users, 4 processes: ${requests} requests to the server, ${
          (requests / count).toFixed(2)
        } per refresh (all processes)`,
      );
    });
  }
}
