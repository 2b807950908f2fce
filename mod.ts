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

// Everything that runs on any runtime (see `web.ts`), then what needs Deno.
export * from "./web.ts";
export * from "./src/deno/file_token_store.ts";
export * from "./src/deno/kv_token_store.ts";
export * from "./src/deno/token_file.ts";
export * from "./src/deno/user_authenticator.ts";
export * from "./src/deno/user_token_storage.ts";

// `deno run -A jsr:@x/twitch-auth` runs the command line. A dynamic import
// without top-level await: importing this module never loads the CLI, and
// runtimes without top-level await (some edge workers) can still load it.
if (import.meta.main) {
  import("./src/cli/_main.ts").then(async ({ main }) =>
    Deno.exit(await main(Deno.args))
  );
}
