// The TokenStore contract (testTokenStore from ./testing) on the fleet
// stores, over real connections: Redis through node-redis, ioredis and
// @upstash/redis (through a local server speaking its REST protocol), and
// PostgreSQL through postgres.js and pg. Each case gets its own key prefix or
// table, removed afterwards.

// deno-lint-ignore no-import-prefix
import { Redis as Upstash } from "npm:@upstash/redis@1.39.0";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import { testTokenStore, type TokenStoreFixture } from "../testing.ts";
import {
  dropPrefix,
  NO_POSTGRES,
  NO_REDIS,
  openPostgres,
  openRedis,
  type PostgresClientKind,
  type RedisClientKind,
  uniqueName,
} from "./_servers.ts";
import { startUpstashRest } from "./_upstash_rest.ts";

const quiet = { onWarning: () => {} };

function redisFixture(kind: RedisClientKind) {
  return async (): Promise<TokenStoreFixture> => {
    const prefix = `test:${uniqueName()}:`;
    const handles = [await openRedis(kind)];
    return {
      store: new RedisTokenStore(handles[0].client, { prefix, ...quiet }),
      async openAnother() {
        const other = await openRedis(kind);
        handles.push(other);
        return new RedisTokenStore(other.client, { prefix, ...quiet });
      },
      async [Symbol.asyncDispose]() {
        await dropPrefix(handles[0], prefix);
        for (const handle of handles) await handle.close();
      },
    };
  };
}

async function upstashFixture(): Promise<TokenStoreFixture> {
  const prefix = `test:${uniqueName()}:`;
  const rest = await startUpstashRest();
  const client = () =>
    new Upstash({ url: rest.url, token: rest.token, enableTelemetry: false });
  const cleaner = await openRedis("node-redis");
  return {
    store: new RedisTokenStore(client(), { prefix }),
    openAnother: () =>
      Promise.resolve(new RedisTokenStore(client(), { prefix })),
    async [Symbol.asyncDispose]() {
      await dropPrefix(cleaner, prefix);
      await cleaner.close();
      await rest[Symbol.asyncDispose]();
    },
  };
}

function postgresFixture(kind: PostgresClientKind) {
  return async (): Promise<TokenStoreFixture> => {
    const table = `test_tokens_${uniqueName()}`;
    const handles = [openPostgres(kind)];
    const store = new PostgresTokenStore(handles[0].client, { table });
    await store.migrate();
    return {
      store,
      openAnother() {
        const other = openPostgres(kind);
        handles.push(other);
        return Promise.resolve(new PostgresTokenStore(other.client, { table }));
      },
      async [Symbol.asyncDispose]() {
        await handles[0].query(`DROP TABLE IF EXISTS ${table}`);
        for (const handle of handles) await handle.close();
      },
    };
  };
}

if (!NO_REDIS) {
  testTokenStore("RedisTokenStore (node-redis)", redisFixture("node-redis"));
  testTokenStore("RedisTokenStore (ioredis)", redisFixture("ioredis"));
  testTokenStore("RedisTokenStore (@upstash/redis over REST)", upstashFixture);
} else {
  Deno.test({ name: "RedisTokenStore conformance", ignore: true, fn() {} });
}
if (!NO_POSTGRES) {
  testTokenStore(
    "PostgresTokenStore (postgres.js)",
    postgresFixture("postgres.js"),
  );
  testTokenStore("PostgresTokenStore (pg)", postgresFixture("pg"));
} else {
  Deno.test({ name: "PostgresTokenStore conformance", ignore: true, fn() {} });
}
