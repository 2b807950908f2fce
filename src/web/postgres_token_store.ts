/**
 * A token store on PostgreSQL, through the application's own client.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import { InvalidArgumentError } from "./errors.ts";
import { type PostgresQuery, postgresQuery } from "./_postgres_client.ts";
import {
  boundedCall,
  checkStoreTimeout,
  DEFAULT_STORE_TIMEOUT,
} from "./_store_call.ts";
import { checkClaim } from "./_claim.ts";
import {
  checkToken,
  checkTtl,
  checkUserId,
  randomHex,
  secretsOf,
} from "./_store_checks.ts";
import { storedFromRecord } from "./_token_record.ts";
import { toTwitchJson } from "./_token_json.ts";
import type { StoredToken, TokenLease, TokenStore } from "./token_store.ts";

/**
 * Options of a {@linkcode PostgresTokenStore}.
 *
 * @example Keep the tokens in a table of a schema of their own
 * ```ts ignore
 * import type { PostgresTokenStoreOptions } from "@x/twitch-auth/postgres";
 *
 * const options: PostgresTokenStoreOptions = { table: "bot.twitch_tokens", timeout: 2_000 };
 * ```
 */
export interface PostgresTokenStoreOptions {
  /**
   * The table, default `"twitch_auth_tokens"`; `schema.table` works too.
   * Letters, digits and `_` only.
   */
  table?: string;
  /**
   * Milliseconds each query may take before it fails with
   * `TokenStoreUnavailableError`, default 5 000.
   */
  timeout?: number;
}

/** A table name part; 56 characters leave room for the `_claims` table. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,55}$/;

/**
 * A {@linkcode TokenStore} on PostgreSQL, for bots and services on several
 * machines: they share users' tokens and one refresh per expiry.
 *
 * It takes the client the application already has, as it is: postgres.js
 * (`postgres(url)` from `postgres`) or a `pg` `Pool` or `Client` (or a
 * driver with `pg`'s `query`, such as Neon's serverless `Pool` on edge
 * runtimes); it imports none of them. Closing the client stays the caller's
 * job. Run {@linkcode PostgresTokenStore.migrate} once to create the table.
 *
 * One row per user: the token as `jsonb` in Twitch's spelling
 * (`access_token`, `refresh_token`, `expires_in`, `scope`, `token_type`,
 * `obtained_at`), a random version, the lease's owner and its end, computed
 * with the database's clock (`now()`), so machines' clocks need not agree.
 * `set` is an `UPDATE ... WHERE version = $expected` (an `INSERT ... ON
 * CONFLICT DO NOTHING` for a new user) that also ends the lease; the lease
 * is an `UPDATE` that succeeds only when the version matches and no lease
 * is live. One statement, one round trip, per call; every call is bounded
 * by `timeout` and fails with `TokenStoreUnavailableError` when the
 * database is down.
 *
 * @example Share tokens between instances through PostgreSQL
 * ```ts ignore
 * import postgres from "npm:postgres";
 * import { TokenProvider } from "@x/twitch-auth";
 * import { PostgresTokenStore } from "@x/twitch-auth/postgres";
 *
 * const sql = postgres("postgres://bot@127.0.0.1:5432/bot");
 * const store = new PostgresTokenStore(sql);
 * await store.migrate(); // creates twitch_auth_tokens if missing
 * const provider = new TokenProvider({ clientId: "my_app_id", clientSecret: "my_app_secret", store });
 * const token = await provider.getAccessToken("141981764");
 * ```
 */
export class PostgresTokenStore implements TokenStore {
  #query: PostgresQuery;
  #table: string;
  #claims: string;
  #timeout: number;

  /**
   * Creates the store on a PostgreSQL client.
   *
   * @param sql A postgres.js `sql`, or a `pg` `Pool` or `Client`.
   * @param options The table and the query timeout.
   * @throws {InvalidArgumentError} when `sql` is neither client, or the
   * table name is not `name` or `schema.name` of letters, digits and `_`.
   */
  constructor(sql: unknown, options: PostgresTokenStoreOptions = {}) {
    this.#query = postgresQuery(sql);
    const table = options.table ?? "twitch_auth_tokens";
    const parts = typeof table === "string" ? table.split(".") : [];
    if (
      parts.length < 1 || parts.length > 2 ||
      !parts.every((p) => IDENTIFIER.test(p))
    ) {
      throw new InvalidArgumentError(
        `table must be a name or schema.name of letters, digits and _, such as "twitch_auth_tokens", got ${
          JSON.stringify(table)
        }`,
      );
    }
    this.#table = parts.map((p) => `"${p}"`).join(".");
    this.#claims = parts.map((p, i) =>
      i === parts.length - 1 ? `"${p}_claims"` : `"${p}"`
    ).join(".");
    this.#timeout = checkStoreTimeout(options.timeout ?? DEFAULT_STORE_TIMEOUT);
  }

  /**
   * Creates the table (and its `<table>_claims` table) when it does not
   * exist; safe to run at every start, from several processes at once.
   *
   * @throws {TokenStoreUnavailableError} when the database fails or does not
   * answer.
   *
   * @example Migrate at start
   * ```ts ignore
   * import pg from "npm:pg";
   * import { PostgresTokenStore } from "@x/twitch-auth/postgres";
   *
   * const store = new PostgresTokenStore(new pg.Pool({ connectionString: "postgres://127.0.0.1/bot" }));
   * await store.migrate();
   * ```
   */
  async migrate(): Promise<void> {
    const create = `CREATE TABLE IF NOT EXISTS ${this.#table} (
  user_id text PRIMARY KEY,
  token jsonb NOT NULL,
  version text NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;
    const claims = `CREATE TABLE IF NOT EXISTS ${this.#claims} (
  key text PRIMARY KEY,
  until timestamptz NOT NULL
)`;
    try {
      await this.#run("migrate", create, []);
      await this.#run("migrate", claims, []);
    } catch (error) {
      // Two processes creating the table at once: one wins, the other gets
      // unique_violation (23505) on the catalog; the table is there.
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      if (code !== "23505" && code !== "42P07") throw error;
    }
  }

  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id.
   * @returns The token and its version, or `null` when none is stored.
   * @throws {TokenStoreUnavailableError} when the database fails or does
   * not answer (a missing table too: run `migrate()`).
   * @throws {CorruptTokenStoreError} when the row holds no token.
   */
  async get(userId: string): Promise<StoredToken | null> {
    checkUserId(userId);
    const rows = await this.#run(
      "get",
      `SELECT token, version FROM ${this.#table} WHERE user_id = $1`,
      [userId],
    );
    if (rows.length === 0) return null;
    return storedFromRecord(
      rows[0].version,
      rows[0].token,
      `PostgreSQL row ${this.#table} user_id=${JSON.stringify(userId)}`,
    );
  }

  /**
   * Writes a user's token if the stored version is still `expected`, and
   * ends the user's lease, in one statement.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when the stored version was not
   * `expected`.
   * @throws {TokenStoreUnavailableError} when the database fails or does
   * not answer.
   */
  async set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    checkUserId(userId);
    checkToken(token);
    const version = randomHex(16);
    const json = JSON.stringify(toTwitchJson(token));
    const rows = expected === null
      ? await this.#run(
        "set",
        `INSERT INTO ${this.#table} (user_id, token, version)
VALUES ($1, $2::jsonb, $3) ON CONFLICT (user_id) DO NOTHING RETURNING 1 AS ok`,
        [userId, json, version],
        secretsOf(token),
      )
      : await this.#run(
        "set",
        `UPDATE ${this.#table} SET token = $2::jsonb, version = $3,
lease_owner = NULL, lease_until = NULL, updated_at = now()
WHERE user_id = $1 AND version = $4 RETURNING 1 AS ok`,
        [userId, json, version, String(expected)],
        secretsOf(token),
      );
    return rows.length === 1 ? { token, version } : null;
  }

  /**
   * Removes a user's row, token and lease; removing a user that is not
   * stored does nothing.
   *
   * @param userId The Twitch user id.
   * @throws {TokenStoreUnavailableError} when the database fails or does
   * not answer.
   */
  async delete(userId: string): Promise<void> {
    checkUserId(userId);
    await this.#run(
      "delete",
      `DELETE FROM ${this.#table} WHERE user_id = $1`,
      [userId],
    );
  }

  /**
   * Lists the users that have a token stored; the reserved `app:` keys
   * (app tokens) are left out.
   *
   * @returns Their user ids.
   * @throws {TokenStoreUnavailableError} when the database fails or does
   * not answer.
   */
  async list(): Promise<string[]> {
    const rows = await this.#run(
      "list",
      `SELECT user_id FROM ${this.#table} WHERE user_id NOT LIKE 'app:%'`,
      [],
    );
    return rows.map((row) => String(row.user_id));
  }

  /**
   * Takes the lease to refresh `userId`'s token at `version`: one `UPDATE`
   * that succeeds only when the row is at `version` and its lease is free or
   * over by the database's clock.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held or the
   * stored version is no longer `version`.
   * @throws {TokenStoreUnavailableError} when the database fails or does
   * not answer.
   */
  async acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    checkUserId(userId);
    checkTtl(ttl);
    const owner = randomHex(16);
    const rows = await this.#run(
      "acquireLease",
      `UPDATE ${this.#table}
SET lease_owner = $3, lease_until = now() + $4::bigint * interval '1 millisecond'
WHERE user_id = $1 AND version = $2
AND (lease_until IS NULL OR lease_until <= now()) RETURNING 1 AS ok`,
      [userId, String(version), owner, String(Math.ceil(ttl))],
    );
    if (rows.length !== 1) return null;
    return {
      release: async () => {
        await this.#run(
          "release",
          `UPDATE ${this.#table} SET lease_owner = NULL, lease_until = NULL
WHERE user_id = $1 AND lease_owner = $2`,
          [userId, owner],
        );
      },
    };
  }

  /**
   * Claims `key` for `ttl` milliseconds across every process sharing the
   * database: one `INSERT ... ON CONFLICT DO UPDATE ... WHERE until <= now()`
   * on the claims table, by the database's clock. `true` for one caller,
   * `false` while that claim lives.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   * @throws {TokenStoreUnavailableError} when the database fails or does
   * not answer.
   */
  async claim(key: string, ttl: number): Promise<boolean> {
    checkClaim(key, ttl);
    const rows = await this.#run(
      "claim",
      `INSERT INTO ${this.#claims} AS c (key, until)
VALUES ($1, now() + $2::bigint * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET until = EXCLUDED.until WHERE c.until <= now()
RETURNING 1 AS ok`,
      [key, String(Math.ceil(ttl))],
    );
    return rows.length === 1;
  }

  #run(
    operation: string,
    text: string,
    params: unknown[],
    secrets: string[] = [],
  ): Promise<Record<string, unknown>[]> {
    return boundedCall(
      "PostgreSQL",
      operation,
      this.#timeout,
      () => this.#query(text, params),
      secrets,
    );
  }
}
