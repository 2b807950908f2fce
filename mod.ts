/**
 * Get a Twitch user access token on the user's own machine, and keep it
 * alive: the browser sign-in against a localhost callback, the token helpers
 * (refresh, validate, revoke, user info, app tokens) on web-standard `fetch`,
 * and every Twitch scope.
 *
 * @example Validate a token
 * ```ts ignore
 * import { validateToken } from "@x/twitch-auth";
 *
 * const result = await validateToken("the-access-token");
 * console.log("status" in result ? "invalid" : result.login);
 * ```
 *
 * @module
 */

export * from "./src/access_token.ts";
export * from "./src/app_access_token.ts";
export * from "./src/authorize_url.ts";
export * from "./src/device_code_flow.ts";
export * from "./src/errors.ts";
export * from "./src/exchange_code.ts";
export * from "./src/parse_scopes.ts";
export * from "./src/redact.ts";
export * from "./src/refresh_access_token.ts";
export * from "./src/revoke_token.ts";
export * from "./src/scopes.ts";
export * from "./src/token_file.ts";
export * from "./src/twitch.ts";
export * from "./src/user_authenticator.ts";
export * from "./src/user_info.ts";
export * from "./src/user_token_storage.ts";
export * from "./src/validate_token.ts";
export type { RequestOptions } from "./src/_request.ts";

// `deno run -A jsr:@x/twitch-auth` runs the command line. A dynamic import
// without top-level await: importing this module never loads the CLI, and
// runtimes without top-level await (some edge workers) can still load it.
if (import.meta.main) {
  import("./src/cli.ts").then(async ({ main }) =>
    Deno.exit(await main(Deno.args))
  );
}
