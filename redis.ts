/**
 * `RedisTokenStore`: users' tokens on Redis, shared by every process and
 * machine that uses the same Redis, with one refresh per expiry among them.
 * It takes the application's own client (node-redis 4+, ioredis, or
 * Upstash's REST client) and imports none; it runs wherever that client
 * does (Deno, Node, Bun; Upstash's also on edge runtimes).
 *
 * @example Tokens on Redis through ioredis
 * ```ts ignore
 * import Redis from "npm:ioredis";
 * import { TokenProvider } from "@x/twitch-auth";
 * import { RedisTokenStore } from "@x/twitch-auth/redis";
 *
 * const redis = new Redis("redis://127.0.0.1:6379");
 * const provider = new TokenProvider({
 *   clientId: "my_app_id",
 *   store: new RedisTokenStore(redis),
 * });
 * console.log((await provider.getAccessToken("141981764")).accessToken.length);
 * ```
 *
 * @module
 */

export * from "./src/web/redis_token_store.ts";
export { TokenStoreUnavailableError } from "./src/web/errors_token_store.ts";
