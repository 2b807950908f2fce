// A process that shares a token store with others, for the cross-process
// tests in token_stores_process_test.ts. One JSON argument:
//   { kind: "file" | "kv" | "redis" | "postgres", path, authBaseUrl, clientId,
//     mode, users?, client?, url?, prefix?, table?, batch? }
// (redis: client "node-redis" | "ioredis", url, prefix; postgres: client
// "postgres.js" | "pg", url, table)
// mode "all":    prints "ready", waits for a line on stdin, then asks a
//                TokenProvider on the store for every user's token at once;
//                prints {"tokens": {id: access}}.
// mode "rotate": refreshes user "1" back to back until killed, printing
//                "window <ms> <ms>" after each durable write: the time
//                from Twitch's answer, and from sending the request, to
//                the store's write being durable.

import {
  type AccessToken,
  DenoKvTokenStore,
  FileTokenStore,
  refreshAccessToken,
  TokenProvider,
  type TokenStore,
} from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import {
  countingClient,
  openPostgres,
  openRedis,
  type PostgresClientKind,
  type RedisClientKind,
} from "./_servers.ts";

interface Job {
  kind: "file" | "kv" | "redis" | "postgres";
  path: string;
  client?: string;
  url?: string;
  prefix?: string;
  table?: string;
  batch?: number;
  authBaseUrl: string;
  clientId: string;
  mode: "all" | "rotate";
  users?: string[];
}

async function waitForGo(): Promise<void> {
  const reader = Deno.stdin.readable.getReader();
  try {
    await reader.read();
  } finally {
    reader.releaseLock();
  }
}

async function rotate(store: TokenStore, job: Job): Promise<never> {
  const encoder = new TextEncoder();
  Deno.stdout.writeSync(encoder.encode("ready\n"));
  for (;;) {
    const current = await store.get("1");
    if (!current) throw new Error("no token for user 1");
    const sent = performance.now();
    const fresh = await refreshAccessToken(
      current.token.refreshToken!,
      job.clientId,
      undefined,
      { authBaseUrl: job.authBaseUrl },
    );
    const answered = performance.now();
    const written = await store.set("1", fresh, current.version);
    const durable = performance.now();
    if (!written) throw new Error("lost the write of user 1");
    Deno.stdout.writeSync(
      encoder.encode(`window ${durable - answered} ${durable - sent}\n`),
    );
  }
}

/** Requests the store sent to Redis or PostgreSQL (0 for the others). */
let storeCalls = () => 0;

/** The job's store, and how to close what it opened. */
async function openStore(job: Job): Promise<[TokenStore, () => Promise<void>]> {
  switch (job.kind) {
    case "kv": {
      const kv = await Deno.openKv(job.path);
      return [new DenoKvTokenStore(kv), () => Promise.resolve(kv.close())];
    }
    case "redis": {
      const redis = await openRedis(job.client as RedisClientKind, job.url);
      const counting = countingClient(redis.client as object);
      storeCalls = counting.calls;
      const store = new RedisTokenStore(counting.client, {
        prefix: job.prefix,
        onWarning: () => {},
      });
      return [store, redis.close];
    }
    case "postgres": {
      const sql = openPostgres(job.client as PostgresClientKind, job.url);
      const counting = countingClient(sql.client as object);
      storeCalls = counting.calls;
      const store = new PostgresTokenStore(counting.client, {
        table: job.table,
      });
      return [store, sql.close];
    }
    default:
      return [new FileTokenStore(job.path), () => Promise.resolve()];
  }
}

const job: Job = JSON.parse(Deno.args[0]);
const [store, close] = await openStore(job);
try {
  if (job.mode === "rotate") await rotate(store, job);
  console.log("ready");
  await waitForGo();
  const users = job.users ?? [];
  // The refresh rule as the library runs it: one refresh per expiry across
  // every process sharing the store.
  using provider = new TokenProvider({
    clientId: job.clientId,
    authBaseUrl: job.authBaseUrl,
    store,
  });
  // All at once, or `batch` users at a time (a bot's tokens do not all
  // expire in the same second; 10,000 at once outlast the provider's wait
  // for another process's refresh).
  const batch = job.batch ?? users.length;
  const tokens: AccessToken[] = [];
  for (let i = 0; i < users.length; i += batch) {
    tokens.push(
      ...await Promise.all(
        users.slice(i, i + batch).map((id) => provider.getAccessToken(id)),
      ),
    );
  }
  console.log(JSON.stringify({
    storeCalls: storeCalls(),
    tokens: Object.fromEntries(
      users.map((id, i) => [id, tokens[i].accessToken]),
    ),
  }));
} catch (error) {
  console.error(error);
  Deno.exitCode = 1;
} finally {
  await close();
}
// Exit even when a failure left calls in flight (other users' refreshes,
// a client's reconnect timer): the test reads the exit code, never a hang.
Deno.exit();
