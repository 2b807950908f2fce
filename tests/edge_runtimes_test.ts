// The web entry on real non-Deno runtimes: the login handler and the token
// helpers, bundled from web.ts with `deno bundle`, serve a whole "Log in with
// Twitch" inside Cloudflare's workerd, Bun and Node 20, against the mock
// Twitch on loopback, driven by a cookie-keeping HTTP client that follows the
// redirects. After the login the app validates, refreshes and revokes the
// token from inside the runtime and reports what it saw.
// workerd and Bun come from npm (see _runtimes.ts); they skip with a reason
// outside CI when npm cannot install them, and fail in CI.

import { assertEquals, assertMatch } from "@std/assert";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USER,
  type MockTwitch,
} from "../testing.ts";
import { bundleToTemp } from "./_bundle.ts";
import { CookieClient } from "./_cookie_client.ts";
import type { EdgeAppEnv } from "./_edge_app.ts";
import {
  assertHelpersRunUnder,
  type Launch,
  runtime,
  runtimeTest,
  withApp,
  withWorkerdApp,
} from "./_runtimes.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const workerd = await runtime("workerd");
const bun = await runtime("bun");

/** What the app reports after a login (see _edge_app.ts). */
const EXPECTED_REPORT = {
  user: DEMO_USER.id,
  name: DEMO_USER.displayName,
  email: DEMO_USER.email,
  hadIdToken: true,
  validatedLogin: DEMO_USER.login,
  refreshed: true,
  revoked: true,
  validAfterRevoke: false,
  badRefresh: "InvalidRefreshTokenError",
};

/** The edge app's settings for an app at `base` against `mock`. */
function appEnv(base: string, mock: MockTwitch): EdgeAppEnv {
  return {
    AUTH_BASE_URL: mock.authBaseUrl,
    CLIENT_ID: DEMO_CLIENT_ID,
    CLIENT_SECRET: DEMO_CLIENT_SECRET,
    REDIRECT_URI: `${base}/callback`,
    COOKIE_SECRET: "edge-runtime-test-cookie-secret-0123456789",
  };
}

/** Serves the bundled edge app with `bin` (Bun or Node) through _serve_edge_app.mjs. */
function served(bin: string, bundlePath: string): Launch {
  return ({ port, base, mock }) =>
    Promise.resolve({
      command: bin,
      args: [`${ROOT}tests/_serve_edge_app.mjs`, bundlePath],
      env: { ...appEnv(base, mock), PORT: String(port) },
    });
}

/** The whole login through the app, then a forged callback. */
async function loginThrough(base: string, mock: MockTwitch): Promise<void> {
  const client = new CookieClient();
  const visit = await client.visit(`${base}/login`);
  assertEquals(visit.status, 200, visit.text);
  assertEquals(new URL(visit.url).pathname, "/callback");
  assertEquals(JSON.parse(visit.text), EXPECTED_REPORT);
  // The runtime's type for the app's text body, and no caching.
  assertMatch(
    visit.headers.get("Content-Type")!,
    /^text\/plain; ?charset=utf-8$/i,
  );
  assertEquals(visit.headers.get("Cache-Control"), "no-store");
  assertEquals(client.jar.size, 0, "the login cookie was not cleared");
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 2);
  // The ID token came straight from the token endpoint: no key set fetch.
  assertEquals(mock.countRequests({ pathname: "/oauth2/keys" }), 0);

  const forged = await client.visit(`${base}/callback?code=abc&state=forged`);
  assertEquals(forged.status, 400);
  assertEquals(JSON.parse(forged.text).error, "LoginStateError");
  assertMatch(forged.headers.get("Content-Type")!, /^application\/json/);

  // The handler's own answers say their type in every runtime.
  const missing = await client.visit(`${base}/not-a-route`);
  assertEquals(missing.status, 404);
  const start = await fetch(`${base}/login`, { redirect: "manual" });
  await start.body?.cancel();
  assertEquals(start.status, 302);
  assertEquals(start.headers.get("Content-Type"), "text/plain; charset=utf-8");
  assertEquals(
    missing.headers.get("Content-Type"),
    "text/plain; charset=utf-8",
  );
}

runtimeTest(
  workerd,
  "workerd",
  "Cloudflare workerd: a worker bundled from web.ts serves the whole login, then validates, refreshes and revokes",
  async (_bin) => {
    await withWorkerdApp(
      workerd,
      "tests/_workerd_worker.ts",
      (base, mock) => ({ ...appEnv(base, mock) }),
      loginThrough,
    );
  },
);

runtimeTest(
  bun,
  "Bun",
  "Bun: the token helpers and the login handler, bundled from web.ts, run under Bun",
  async (bin) => {
    await assertHelpersRunUnder(bin);
    await using app = await bundleToTemp("tests/_edge_app.ts");
    await withApp(served(bin, app.path), loginThrough);
  },
);

Deno.test("Node: the login handler, bundled from web.ts, serves the whole login under node:http", async () => {
  await using app = await bundleToTemp("tests/_edge_app.ts");
  await withApp(served("node", app.path), loginThrough);
});
