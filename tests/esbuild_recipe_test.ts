// The README's esbuild recipe, as written: a Node project that installed
// esbuild, jose and deno-std bundles web.ts from a clone of this repository,
// mapping the two import-map names web.ts uses, and the bundle runs in Node
// against the mock Twitch (a token validated, a login started).

import { assert, assertEquals } from "@std/assert";
import { startMockTwitch } from "../testing.ts";
import { runtime, runtimeTest } from "./_runtimes.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const esbuild = await runtime("esbuild");

/** The recipe's aliases, relative to the Node project (esbuild's cwd). */
export const ESBUILD_ALIASES = [
  "--alias:jose=./node_modules/jose",
  "--alias:@std/http/cookie=./node_modules/deno-std/http/cookie.js",
];

runtimeTest(
  esbuild,
  "esbuild recipe",
  "esbuild recipe: web.ts from a clone bundles with two aliases and runs in Node",
  async (bin) => {
    const project = `${bin}/../../..`; // .tmp/runtimes: node_modules/.bin/esbuild
    const dir = await Deno.makeTempDir({ prefix: "esbuild-recipe-" });
    await using mock = await startMockTwitch();
    try {
      const out = `${dir}/twitch-auth.mjs`;
      const built = await new Deno.Command(bin, {
        args: [
          `${ROOT}web.ts`,
          "--bundle",
          "--format=esm",
          "--platform=neutral",
          "--main-fields=module,main",
          ...ESBUILD_ALIASES,
          `--outfile=${out}`,
        ],
        cwd: project,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(built.code, 0, new TextDecoder().decode(built.stderr));

      const { accessToken } = mock.issueUserToken({ scopes: ["chat:read"] });
      const script = `
      import { createTwitchLoginHandler, validateToken } from ${
        JSON.stringify(out)
      };
      const [authBaseUrl, token, clientId, clientSecret] = process.argv.slice(1);
      const valid = await validateToken(token, { authBaseUrl });
      const login = createTwitchLoginHandler({
        clientId, clientSecret,
        redirectUri: "http://localhost:3000/callback",
        cookieSecret: "esbuild-recipe-cookie-secret-5Gq9zX2mWv7Lr",
        authBaseUrl,
        onSuccess: () => new Response("signed in"),
      });
      const res = await login(new Request("http://localhost:3000/login"));
      console.log(JSON.stringify({
        login: valid.login,
        status: res.status,
        location: res.headers.get("location"),
      }));
    `;
      const ran = await new Deno.Command("node", {
        args: [
          "--input-type=module",
          "-e",
          script,
          mock.authBaseUrl,
          accessToken,
          mock.clientId,
          mock.clientSecret,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(ran.stderr);
      assertEquals(ran.code, 0, stderr);
      const report = JSON.parse(new TextDecoder().decode(ran.stdout));
      assertEquals(report.login, "twitchdev");
      assertEquals(report.status, 302);
      assert(
        String(report.location).startsWith(`${mock.authBaseUrl}/authorize?`),
        report.location,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
