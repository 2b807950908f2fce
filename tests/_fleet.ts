// Worker processes sharing one Redis or one PostgreSQL token store, for the
// fleet tests and benchmarks: the environment (mock, store, clean-up) and the
// workers (tests/_store_worker.ts), released all at once.

import { assert, assertEquals } from "@std/assert";
import type { TokenStore } from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { Lines, textOf } from "./_lines.ts";
import {
  dropPrefix,
  openPostgres,
  openRedis,
  POSTGRES_URL,
  REDIS_URL,
  uniqueName,
} from "./_servers.ts";
import { TEST_LOCK_FLAG } from "./_util.ts";

export const WORKER = new URL("./_store_worker.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;
/** The refresh lease of TokenProvider (src/web/_refresh_coordinator.ts). */
export const LEASE_TTL = 10_000;

/** A public client: no secret, so the mock rotates its refresh tokens. */
export const PUBLIC_CLIENT = {
  clientId: "fleet0public0client00000000000",
  redirectUris: ["http://localhost:17563"],
};

export type Kind = "redis" | "postgres";
export const CLIENTS: Record<Kind, [string, string]> = {
  redis: ["node-redis", "ioredis"],
  postgres: ["postgres.js", "pg"],
};

export interface Env extends AsyncDisposable {
  mock: MockTwitch;
  store: TokenStore;
  /** The worker job's store fields. */
  where: Record<string, string>;
}

export async function setup(kind: Kind): Promise<Env> {
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

export function spawnWorker(job: Record<string, unknown>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-kv",
      TEST_LOCK_FLAG,
      WORKER,
      JSON.stringify(job),
    ],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** What a worker of mode "all" printed last. */
export interface WorkerResult {
  /** Each user's access token as the worker ended with it. */
  tokens: Record<string, string>;
  /** Requests its store sent to Redis or PostgreSQL. */
  storeCalls: number;
}

/** Runs workers, all released at once; what each printed last. */
export async function runWorkers(
  jobs: Record<string, unknown>[],
): Promise<WorkerResult[]> {
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
  return results.map((lines) => JSON.parse(lines.at(-1)!));
}

/**
 * The jobs of 4 workers of mode "all" on `env`'s store, asking for `users`;
 * the workers alternate between the kind's two client libraries.
 */
export function fleetJobs(
  env: Env,
  kind: Kind,
  users: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown>[] {
  return Array.from({ length: 4 }, (_, i) => ({
    kind,
    client: CLIENTS[kind][i % 2],
    ...env.where,
    authBaseUrl: env.mock.authBaseUrl,
    clientId: env.mock.clientId,
    mode: "all",
    users,
    ...extra,
  }));
}
