/**
 * Token keeping for Cloudflare Workers: {@linkcode TwitchTokenObject}, a
 * Durable Object that owns an app's users' tokens, and
 * {@linkcode DurableObjectTokenStore}, the `TokenStore` a `TokenProvider`
 * in a Worker uses on it. A user's token is refreshed once per expiry by
 * every isolate in every location, and validated once per interval between
 * them. Nothing here needs `cloudflare:workers` or Node built-ins.
 *
 * @example A Worker keeping users' tokens in the object
 * ```ts ignore
 * import { DurableObjectTokenStore, TwitchTokenObject } from "@x/twitch-auth/cloudflare";
 * import { TokenProvider } from "@x/twitch-auth/web";
 *
 * export { TwitchTokenObject };
 * export default {
 *   async fetch(request: Request, env: { TOKENS: DurableObjectNamespace }) {
 *     using provider = new TokenProvider({
 *       clientId: "my_app_id",
 *       store: new DurableObjectTokenStore(env.TOKENS),
 *     });
 *     return await provider.fetch("141981764", "users");
 *   },
 * };
 * ```
 *
 * @module
 */

export * from "./src/web/token_object.ts";
export * from "./src/web/durable_object_token_store.ts";
