// Real processes sharing one Redis or one PostgreSQL: 4 workers × 250 users
// with rotating refresh tokens (public client), two client libraries mixed;
// a lease holder killed with SIGKILL in the middle of its refresh. The
// workers are tests/_store_worker.ts; the servers those of tests/_servers.ts.

import { assert, assertEquals } from "@std/assert";
import { refreshAccessToken, TokenProvider, type TokenStore } from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { Lines, textOf } from "./_lines.ts";
import { seedExpiredToken } from "./_seed.ts";
import {
  dropPrefix,
  NO_POSTGRES,
  NO_REDIS,
  openPostgres,
  openRedis,
  POSTGRES_URL,
  REDIS_URL,
  uniqueName,
} from "./_servers.ts";

const WORKER = new URL("./_store_worker.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;
/** The refresh lease of TokenProvider (src/web/_refresh_coordinator.ts). */
const LEASE_TTL = 10_000;

/** A public client: no secret, so the mock rotates its refresh tokens. */
const PUBLIC_CLIENT = {
  clientId: "fleet0public0client00000000000",
  redirectUris: ["http://localhost:17563"],
};

type Kind = "redis" | "postgres";
const CLIENTS: Record<Kind, [string, string]> = {
  redis: ["node-redis", "ioredis"],
  postgres: ["postgres.js", "pg"],
};

interface Env extends AsyncDisposable {
  mock: MockTwitch;
  store: TokenStore;
  /** The worker job's store fields. */
  where: Record<string, string>;
}

async function setup(kind: Kind): Promise<Env> {
  const mock = await startMockTwitch({ clients: [PUBLIC_CLIENT] });
  if (kind === "redis") {
    const redis = await openRedis("ioredis");
    const prefix = `test:${uniqueName()}:`;
    return {
      mock,
      store: new RedisTokenStore(redis.client, { prefix, onWarning() {} }),
      where: { url: REDIS_URL, prefix },
      async [Symbol.asyncDispose]() {
        await dropPrefix(redis, prefix);
        await redis.close();
        await mock.close();
      },
    };
  }
  const sql = openPostgres("postgres.js");
  const table = `test_fleet_${uniqueName()}`;
  const store = new PostgresTokenStore(sql.client, { table });
  await store.migrate();
  return {
    mock,
    store,
    where: { url: POSTGRES_URL, table },
    async [Symbol.asyncDispose]() {
      await sql.query(`DROP TABLE IF EXISTS ${table}`);
      await sql.close();
      await mock.close();
    },
  };
}

function spawnWorker(job: Record<string, unknown>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, JSON.stringify(job)],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs `count` workers, all released at once; their last output lines. */
async function runWorkers(
  jobs: Record<string, unknown>[],
): Promise<Record<string, string>[]> {
  const children = jobs.map(spawnWorker);
  const outputs = children.map((child) => new Lines(child.stdout));
  const errors = children.map((child) => textOf(child.stderr));
  const ready = await Promise.all(outputs.map((lines) => lines.next()));
  const writers = children.map((child) => child.stdin.getWriter());
  await Promise.all(
    writers.map((w) => w.write(new TextEncoder().encode("go\n"))),
  );
  await Promise.all(writers.map((w) => w.close()));
  const results = await Promise.all(outputs.map((lines) => lines.rest()));
  const statuses = await Promise.all(children.map((child) => child.status));
  const stderr = await Promise.all(errors);
  for (const [i, status] of statuses.entries()) {
    assertEquals(ready[i], "ready", stderr[i]);
    assert(status.success, `worker ${i} failed: ${stderr[i]}`);
  }
  return results.map((lines) => JSON.parse(lines.at(-1)!).tokens);
}

for (const kind of ["redis", "postgres"] as const) {
  const ignore = kind === "redis" ? NO_REDIS : NO_POSTGRES;

  Deno.test({
    name:
      `4 processes × 250 users on one ${kind} (two client libraries), rotating refresh tokens: exactly one refresh per user, same tokens everywhere`,
    ignore,
    async fn() {
      await using env = await setup(kind);
      const users = Array.from({ length: 250 }, (_, i) => `${1000 + i}`);
      await Promise.all(
        users.map((id) => seedExpiredToken(env.mock, env.store, id)),
      );
      const jobs = Array.from({ length: 4 }, (_, i) => ({
        kind,
        client: CLIENTS[kind][i % 2],
        ...env.where,
        authBaseUrl: env.mock.authBaseUrl,
        clientId: env.mock.clientId,
        mode: "all",
        users,
      }));
      const tokens = await runWorkers(jobs);
      assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 250);
      for (const id of users) {
        const stored = (await env.store.get(id))!;
        for (const seen of tokens) {
          assertEquals(seen[id], stored.token.accessToken);
        }
      }
      // Each stored refresh token is the live one: it still refreshes.
      await Promise.all(users.map(async (id) => {
        const stored = (await env.store.get(id))!;
        await refreshAccessToken(
          stored.token.refreshToken!,
          env.mock.clientId,
          undefined,
          { authBaseUrl: env.mock.authBaseUrl },
        );
      }));
      assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 500);
    },
  });

  Deno.test({
    name:
      `a lease holder SIGKILLed mid-refresh on ${kind} holds the others up no longer than its lease`,
    ignore,
    async fn() {
      await using env = await setup(kind);
      await seedExpiredToken(env.mock, env.store, "1");
      // The worker's refresh hangs at the mock, its lease held.
      env.mock.injectFault({ path: "/oauth2/token", delay: 60_000 });
      const child = spawnWorker({
        kind,
        client: CLIENTS[kind][1],
        ...env.where,
        authBaseUrl: env.mock.authBaseUrl,
        clientId: env.mock.clientId,
        mode: "all",
        users: ["1"],
      });
      const stderr = textOf(child.stderr);
      const lines = new Lines(child.stdout);
      assertEquals(await lines.next(), "ready");
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode("go\n"));
      await writer.close();
      while (env.mock.countRequests({ grantType: "refresh_token" }) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const leasedBy = Date.now(); // the lease was taken before this request
      child.kill("SIGKILL");
      assertEquals((await child.status).signal, "SIGKILL");
      await lines.rest();
      await stderr;
      using provider = new TokenProvider({
        clientId: env.mock.clientId,
        authBaseUrl: env.mock.authBaseUrl,
        store: env.store,
      });
      const token = await provider.getAccessToken("1");
      const waited = Date.now() - leasedBy;
      assertEquals(
        (await env.store.get("1"))!.token.accessToken,
        token.accessToken,
      );
      assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 2);
      // Held up by the dead worker's lease, but not much past its end
      // (the waiter polls at most every 200 ms; 3 s of slack for a busy box).
      assert(waited < LEASE_TTL + 3_000, `waited ${waited} ms`);
    },
  });
}
