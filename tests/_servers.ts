// The real Redis and PostgreSQL the fleet-store tests use, and the clients
// (imported here with inline npm: specifiers: they are test-only).
// Redis on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432 (trust, db `test`,
// user postgres); .ci/run starts both. Outside CI a server that does not
// answer makes its tests skip, saying what to start; in CI (CI=true) they
// run and fail.

// deno-lint-ignore no-import-prefix
import { createClient } from "npm:redis@6.3.1";
// deno-lint-ignore no-import-prefix
import { Redis as IORedis } from "npm:ioredis@6.0.0";
// deno-lint-ignore no-import-prefix
import postgres from "npm:postgres@3.4.9";
// deno-lint-ignore no-import-prefix
import pg from "npm:pg@8.23.1";
import { IN_CI } from "./_runtimes.ts";

export const REDIS_URL = Deno.env.get("TEST_REDIS_URL") ??
  "redis://127.0.0.1:6379";
export const POSTGRES_URL = Deno.env.get("TEST_POSTGRES_URL") ??
  "postgres://postgres@127.0.0.1:5432/test";

async function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    const conn = await Deno.connect({
      hostname,
      port: Number(port),
    });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** `ignore` for a Deno.test that needs `server`: false in CI, so it fails there. */
async function ignoreUnless(url: string, start: string): Promise<boolean> {
  if (IN_CI || await answers(url)) return false;
  console.warn(
    `${
      new URL(url).host
    } does not answer: skipping its tests. Start it with: ${start}`,
  );
  return true;
}

export const NO_REDIS = await ignoreUnless(
  REDIS_URL,
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
);
export const NO_POSTGRES = await ignoreUnless(
  POSTGRES_URL,
  "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
);

/** A random name part, so concurrent runs never share keys or tables. */
export function uniqueName(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}

export type RedisClientKind = "node-redis" | "ioredis";
export type PostgresClientKind = "postgres.js" | "pg";

/** A connected Redis client of `kind`; `close` ends it. */
export interface RedisHandle {
  client: unknown;
  /** Sends a raw command (for checks and clean-up). */
  command(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function openRedis(
  kind: RedisClientKind,
  url = REDIS_URL,
): Promise<RedisHandle> {
  if (kind === "node-redis") {
    const client = createClient({
      url,
      socket: { reconnectStrategy: () => 100 },
    });
    client.on("error", () => {}); // reconnects on its own; calls fail typed
    await client.connect();
    return {
      client,
      command: (...args) => client.sendCommand(args),
      close: () => {
        try {
          client.destroy();
        } catch { /* already closed */ }
        return Promise.resolve();
      },
    };
  }
  const client = new IORedis(url, { lazyConnect: true });
  client.on("error", () => {});
  await client.connect();
  return {
    client,
    command: (...args) => client.call(args[0], ...args.slice(1)),
    close: () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(
  redis: RedisHandle,
  prefix: string,
): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.command(
      "SCAN",
      cursor,
      "MATCH",
      `${prefix}*`,
      "COUNT",
      "1000",
    ) as [string, string[]];
    if (keys.length) await redis.command("DEL", ...keys);
    cursor = String(next);
  } while (cursor !== "0");
}

/** A PostgreSQL client of `kind`; `query` runs SQL for checks. */
export interface PostgresHandle {
  client: unknown;
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export function openPostgres(
  kind: PostgresClientKind,
  url = POSTGRES_URL,
): PostgresHandle {
  if (kind === "postgres.js") {
    const sql = postgres(url, { max: 4, onnotice: () => {} });
    return {
      client: sql,
      query: async (
        text,
        params = [],
      ) => [...await sql.unsafe(text, params as string[])],
      close: () => sql.end({ timeout: 1 }),
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => {}); // a dropped idle connection: the next call fails typed
  return {
    client: pool,
    query: async (text, params = []) => (await pool.query(text, params)).rows,
    close: () => pool.end(),
  };
}

/**
 * `client` behind a proxy that counts the calls the stores make on it
 * (`sendCommand`/`call`/`eval` for Redis, `unsafe`/`query` for PostgreSQL):
 * one call is one request to the server.
 */
export function countingClient<T extends object>(
  client: T,
): { client: T; calls(): number } {
  let calls = 0;
  const counted = new Set(["sendCommand", "call", "eval", "unsafe", "query"]);
  const proxy = new Proxy(client, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof name !== "string" || !counted.has(name)) return value;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls++;
        return value.apply(target, args);
      };
    },
  });
  return { client: proxy, calls: () => calls };
}
