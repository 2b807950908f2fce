/**
 * The two PostgreSQL clients `PostgresTokenStore` takes as they are, told
 * apart by their methods, behind one call: a parameterised query.
 *
 * @module
 */

import { InvalidArgumentError } from "./errors.ts";

/** Runs `text` with `$1`-style `params`; resolves to the rows. */
export type PostgresQuery = (
  text: string,
  params: unknown[],
) => Promise<Record<string, unknown>[]>;

/**
 * The query call on `client`: postgres.js (a `sql` function with `unsafe`)
 * or `pg` (a `Pool` or `Client`, or any client with the same `query`, such
 * as `@neondatabase/serverless`'s `Pool`).
 *
 * @throws {InvalidArgumentError} when `client` is neither.
 */
export function postgresQuery(client: unknown): PostgresQuery {
  const unsafe = (client as { unsafe?: unknown } | null)?.unsafe;
  if (typeof client === "function" && typeof unsafe === "function") {
    return async (text, params) =>
      [...await unsafe.call(client, text, params)] as Record<
        string,
        unknown
      >[];
  }
  const query = (client as { query?: unknown } | null)?.query;
  if (typeof client === "object" && typeof query === "function") {
    return async (text, params) =>
      (await query.call(client, text, params)).rows;
  }
  throw new InvalidArgumentError(
    "PostgresTokenStore needs a PostgreSQL client: a postgres.js sql (postgres(url) from postgres), or a pg Pool or Client (new Pool() from pg)",
  );
}
