// The edge examples run as they would be deployed, against the mock Twitch:
// examples/edge_login.ts under `deno run` (as on Deno Deploy), and
// examples/cloudflare_worker.ts bundled into Cloudflare's workerd.

import { assertEquals, assertStringIncludes } from "@std/assert";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER } from "../testing.ts";
import { CookieClient } from "./_cookie_client.ts";
import {
  bundle,
  pathOf,
  runtime,
  skipUnless,
  withApp,
  workerdConfig,
} from "./_runtimes.ts";

const workerd = await runtime("workerd");
const COOKIE_SECRET = "example-test-cookie-secret-0123456789abcdef";

Deno.test("examples/edge_login.ts: log in, then /me finds the user again from the session and KV", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withApp(({ port, base, mock }) =>
      Promise.resolve({
        command: Deno.execPath(),
        args: ["run", "-A", "--unstable-kv", "examples/edge_login.ts"],
        env: {
          TWITCH_CLIENT_ID: DEMO_CLIENT_ID,
          TWITCH_CLIENT_SECRET: DEMO_CLIENT_SECRET,
          TWITCH_REDIRECT_URL: `${base}/callback`,
          TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
          COOKIE_SECRET,
          PORT: String(port),
          KV_PATH: `${dir}/kv.sqlite`,
          NO_COLOR: "1",
        },
      }), async (base) => {
      const browser = new CookieClient();
      const login = await browser.visit(`${base}/login`);
      assertEquals(new URL(login.url).pathname, "/me");
      const me = {
        id: DEMO_USER.id,
        name: DEMO_USER.displayName, // preferred_username from /userinfo
        scopes: ["openid", "user:read:email"],
      };
      assertEquals(JSON.parse(login.text), me);
      // A later request: only the session cookie travels.
      const again = await browser.visit(`${base}/me`);
      assertEquals(JSON.parse(again.text), me);

      assertEquals((await new CookieClient().visit(`${base}/me`)).status, 401);
      const forged = await fetch(`${base}/me`, {
        headers: { Cookie: `session=${DEMO_USER.id}.9999999999999.forged` },
      });
      assertEquals(forged.status, 401);
      await forged.body?.cancel();
    }, "/");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "examples/cloudflare_worker.ts: bundled, it serves the login in workerd",
  ...skipUnless(workerd, "workerd"),
  async fn() {
    const bin = pathOf(workerd);
    const dir = await Deno.makeTempDir();
    try {
      await bundle("examples/cloudflare_worker.ts", `${dir}/worker.js`);
      await withApp(async ({ port, base, mock }) => {
        await Deno.writeTextFile(
          `${dir}/config.capnp`,
          workerdConfig(port, "worker.js", {
            TWITCH_CLIENT_ID: DEMO_CLIENT_ID,
            TWITCH_CLIENT_SECRET: DEMO_CLIENT_SECRET,
            TWITCH_REDIRECT_URL: `${base}/callback`,
            TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
            COOKIE_SECRET,
          }),
        );
        return { command: bin, args: ["serve", `${dir}/config.capnp`] };
      }, async (base) => {
        const visit = await new CookieClient().visit(`${base}/login`);
        assertEquals(visit.status, 200, visit.text);
        assertStringIncludes(visit.text, `Hello ${DEMO_USER.displayName}`);
      }, "/nothing-here");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
