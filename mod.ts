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

// `deno run -A jsr:@x/twitch-auth` runs the command line. Its modules are
// named by a computed specifier: Deno's module graph reads and resolves, on
// every import of this module, whatever a literal `import("./x.ts")` leads
// to (for the CLI: some 40 modules and two npm packages, ~1.5 ms of CPU), but
// does not follow a computed one. `--help` or `--version` alone loads only
// the help text. No top-level await, so runtimes without it (some edge
// workers) still load this module.
if (import.meta.main) {
  const quick = Deno.args.length === 1 &&
    ["-h", "--help", "-V", "--version"].includes(Deno.args[0]);
  const cli = quick ? "./src/cli/_help.ts" : "./src/cli/_main.ts";
  import(new URL(cli, import.meta.url).href).then(
    async ({ main }: { main(args: string[]): Promise<number> }) =>
      Deno.exit(await main(Deno.args)),
  );
}
