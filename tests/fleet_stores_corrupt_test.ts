// A Redis key or a PostgreSQL row that holds no token (hand-edited, written
// by another program) gives a CorruptTokenStoreError naming where, never a
// crash or a half-read token: both stores read through storedFromRecord.

import { assertRejects, assertStringIncludes } from "@std/assert";
import { CorruptTokenStoreError } from "../mod.ts";
import { PostgresTokenStore } from "../postgres.ts";
import { RedisTokenStore } from "../redis.ts";
import {
  dropPrefix,
  NO_POSTGRES,
  NO_REDIS,
  openPostgres,
  openRedis,
  uniqueName,
} from "./_servers.ts";

/** What a corrupt record holds, and the reason the error must give. */
const CORRUPT: [version: string, token: string, reason: string][] = [
  ["", '{"access_token":"a"}', "no version"],
  ["v1", "{not json", "not JSON"],
  ["v1", "[1,2]", "not an object"],
  ["v1", '{"access_token":7}', "access"],
];

Deno.test({
  name:
    "RedisTokenStore: a key holding no token is a CorruptTokenStoreError naming the key",
  ignore: NO_REDIS,
  async fn() {
    const redis = await openRedis("ioredis");
    const prefix = `test:${uniqueName()}:`;
    try {
      const store = new RedisTokenStore(redis.client, {
        prefix,
        onWarning() {},
      });
      for (const [i, [version, token, reason]] of CORRUPT.entries()) {
        const user = String(100 + i);
        await redis.command(
          "HSET",
          `${prefix}token:${user}`,
          "version",
          version,
          "token",
          token,
        );
        const error = await assertRejects(
          () => store.get(user),
          CorruptTokenStoreError,
        );
        assertStringIncludes(error.message, reason);
        assertStringIncludes(error.message, `${prefix}token:${user}`);
      }
    } finally {
      await dropPrefix(redis, prefix);
      await redis.close();
    }
  },
});

Deno.test({
  name:
    "PostgresTokenStore: a row holding no token is a CorruptTokenStoreError naming the row",
  ignore: NO_POSTGRES,
  async fn() {
    const sql = openPostgres("pg");
    const table = `test_corrupt_${uniqueName()}`;
    try {
      const store = new PostgresTokenStore(sql.client, { table });
      await store.migrate();
      for (const [i, [version, token, reason]] of CORRUPT.entries()) {
        if (reason === "not JSON") continue; // a jsonb column refuses it
        const user = String(100 + i);
        await sql.query(
          `INSERT INTO ${table} (user_id, token, version) VALUES ($1, $2::jsonb, $3)`,
          [user, token, version],
        );
        const error = await assertRejects(
          () => store.get(user),
          CorruptTokenStoreError,
        );
        assertStringIncludes(error.message, reason);
        assertStringIncludes(error.message, `user_id="${user}"`);
      }
    } finally {
      await sql.query(`DROP TABLE IF EXISTS ${table}`);
      await sql.query(`DROP TABLE IF EXISTS ${table}_claims`).catch(() => {});
      await sql.close();
    }
  },
});
