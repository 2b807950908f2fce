/**
 * `PostgresTokenStore`: users' tokens in a PostgreSQL table, shared by every
 * process and machine that uses the same database, with one refresh per
 * expiry among them. It takes the application's own client (postgres.js,
 * or a `pg` `Pool`/`Client`) and imports none; it runs wherever that client
 * does.
 *
 * @example Tokens in PostgreSQL through postgres.js
 * ```ts ignore
 * import postgres from "npm:postgres";
 * import { TokenProvider } from "@x/twitch-auth";
 * import { PostgresTokenStore } from "@x/twitch-auth/postgres";
 *
 * const store = new PostgresTokenStore(postgres("postgres://127.0.0.1/bot"));
 * await store.migrate();
 * const provider = new TokenProvider({ clientId: "my_app_id", store });
 * console.log((await provider.getAccessToken("141981764")).accessToken.length);
 * ```
 *
 * @module
 */

export * from "./src/web/postgres_token_store.ts";
export { TokenStoreUnavailableError } from "./src/web/errors_token_store.ts";
