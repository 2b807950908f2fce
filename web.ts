/**
 * The part of `@x/twitch-auth` that runs on any runtime with web-standard
 * `fetch`, `URL`, `Request`/`Response`, WebCrypto and timers: Cloudflare
 * Workers, Deno Deploy, Bun, Node 18+ and browsers. The token helpers
 * (exchange, refresh, validate, revoke, user info, app tokens), the device
 * code flow, the authorize URL, `AccessToken`, scopes, errors, token keeping
 * (`TokenProvider`, `MemoryTokenStore`, the `TokenStore` contract), the
 * `Twitch` app object, ID token verification and the "Log in with Twitch"
 * handler ({@linkcode createTwitchLoginHandler}). Nothing here touches
 * `Deno.*` or `node:` modules, so
 * edge bundlers take it as is (`deno bundle --platform browser web.ts`, or
 * esbuild on the package installed from JSR, which resolves `jose` and `@std`).
 *
 * For the local browser sign-in, token files and the CLI, import the package
 * root (`@x/twitch-auth`) from Deno instead.
 *
 * @example Validate a token in an edge function
 * ```ts ignore
 * import { validateToken } from "@x/twitch-auth/web";
 *
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     const token = request.headers.get("x-twitch-token") ?? "";
 *     const result = await validateToken(token);
 *     return Response.json("status" in result ? { valid: false } : result);
 *   },
 * };
 * ```
 *
 * @module
 */

export * from "./src/web/access_token.ts";
export * from "./src/web/app_access_token.ts";
export * from "./src/web/app_credentials.ts";
export * from "./src/web/authorize_url.ts";
export * from "./src/web/device_code_flow.ts";
export * from "./src/web/encrypt_tokens.ts";
export * from "./src/web/errors.ts";
export * from "./src/web/errors_helix.ts";
export * from "./src/web/errors_id_token.ts";
export * from "./src/web/errors_lifecycle.ts";
export * from "./src/web/errors_login.ts";
export * from "./src/web/errors_token_store.ts";
export * from "./src/web/eventsub_token.ts";
export * from "./src/web/exchange_code.ts";
export * from "./src/web/id_token.ts";
export * from "./src/web/login_handler.ts";
export * from "./src/web/memory_token_store.ts";
export * from "./src/web/parse_scopes.ts";
export * from "./src/web/redact.ts";
export * from "./src/web/refresh_access_token.ts";
export * from "./src/web/request_options.ts";
export * from "./src/web/revoke_token.ts";
export * from "./src/web/scope_advisor.ts";
export * from "./src/web/scope_requirements.ts";
export * from "./src/web/scopes.ts";
export * from "./src/web/token_provider.ts";
export * from "./src/web/token_provider_options.ts";
export * from "./src/web/token_store.ts";
export * from "./src/web/twitch.ts";
export * from "./src/web/user_info.ts";
export * from "./src/web/validate_token.ts";
