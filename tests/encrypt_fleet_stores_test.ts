// encryptTokens over the fleet stores (issue 16, item 7), over real
// connections: the TokenStore contract on encryptTokens(RedisTokenStore) and
// encryptTokens(PostgresTokenStore), and what Redis and PostgreSQL really
// hold (every key under the prefix, every row as text) has no token in it.

import { assert } from "@std/assert";
import { encryptTokens } from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import { testTokenStore, type TokenStoreFixture } from "../testing.ts";
import {
  dropPrefix,
  NO_POSTGRES,
  NO_REDIS,
  openPostgres,
  openRedis,
  uniqueName,
} from "./_servers.ts";
import { newKey, randomToken, secretsOf } from "./_token_keys.ts";

const KEY = newKey("fleet");
const quiet = { onWarning: () => {} };

async function redisFixture(): Promise<TokenStoreFixture> {
  const prefix = `test:${uniqueName()}:`;
  const handles = [await openRedis("ioredis")];
  return {
    store: encryptTokens(
      new RedisTokenStore(handles[0].client, { prefix, ...quiet }),
      KEY,
    ),
    async openAnother() {
      const other = await openRedis("node-redis");
      handles.push(other);
      return encryptTokens(
        new RedisTokenStore(other.client, { prefix, ...quiet }),
        KEY,
      );
    },
    async [Symbol.asyncDispose]() {
      await dropPrefix(handles[0], prefix);
      for (const handle of handles) await handle.close();
    },
  };
}

async function postgresFixture(): Promise<TokenStoreFixture> {
  const table = `test_tokens_${uniqueName()}`;
  const handles = [openPostgres("postgres.js")];
  const inner = new PostgresTokenStore(handles[0].client, { table });
  await inner.migrate();
  return {
    store: encryptTokens(inner, KEY),
    openAnother() {
      const other = openPostgres("pg");
      handles.push(other);
      return Promise.resolve(
        encryptTokens(new PostgresTokenStore(other.client, { table }), KEY),
      );
    },
    async [Symbol.asyncDispose]() {
      await handles[0].query(`DROP TABLE IF EXISTS ${table}`);
      for (const handle of handles) await handle.close();
    },
  };
}

if (!NO_REDIS) testTokenStore("encryptTokens(RedisTokenStore)", redisFixture);
if (!NO_POSTGRES) {
  testTokenStore("encryptTokens(PostgresTokenStore)", postgresFixture);
}

function assertNoSecret(text: string, secrets: string[], what: string): void {
  for (const secret of secrets) {
    assert(!text.includes(secret), `${what} holds a token in the clear`);
  }
}

Deno.test({
  name:
    "encryptTokens(RedisTokenStore): nothing under the prefix holds a token",
  ignore: NO_REDIS,
  async fn() {
    const prefix = `test:${uniqueName()}:`;
    const redis = await openRedis("node-redis");
    try {
      const store = encryptTokens(
        new RedisTokenStore(redis.client, { prefix, ...quiet }),
        KEY,
      );
      const token = randomToken();
      await store.set("6001", token, null);
      assert(
        (await store.get("6001"))?.token.accessToken === token.accessToken,
      );
      const keys = await redis.command("KEYS", `${prefix}*`) as string[];
      assert(keys.length > 0, "nothing stored under the prefix");
      for (const key of keys) {
        const type = await redis.command("TYPE", key);
        const value = type === "hash"
          ? await redis.command("HGETALL", key)
          : type === "string"
          ? await redis.command("GET", key)
          : await redis.command("DUMP", key);
        assertNoSecret(JSON.stringify(value), secretsOf(token), key);
      }
    } finally {
      await dropPrefix(redis, prefix);
      await redis.close();
    }
  },
});

Deno.test({
  name: "encryptTokens(PostgresTokenStore): no row holds a token",
  ignore: NO_POSTGRES,
  async fn() {
    const table = `test_tokens_${uniqueName()}`;
    const pg = openPostgres("pg");
    try {
      const inner = new PostgresTokenStore(pg.client, { table });
      await inner.migrate();
      const store = encryptTokens(inner, KEY);
      const token = randomToken();
      await store.set("6001", token, null);
      assert(
        (await store.get("6001"))?.token.accessToken === token.accessToken,
      );
      const rows = await pg.query(`SELECT t::text AS row FROM ${table} t`);
      assert(rows.length > 0, "no row");
      for (const { row } of rows) {
        assertNoSecret(String(row), secretsOf(token), `a row of ${table}`);
      }
    } finally {
      await pg.query(`DROP TABLE IF EXISTS ${table}`);
      await pg.close();
    }
  },
});
