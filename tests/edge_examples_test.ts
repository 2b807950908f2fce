// The edge examples run as they would be deployed, against the mock Twitch:
// examples/edge_login.ts under `deno run` (as on Deno Deploy). The Worker
// example, with its Durable Object, runs in workerd in cloudflare_test.ts.

import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { DenoKvTokenStore } from "../mod.ts";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER } from "../testing.ts";
import { CookieClient } from "./_cookie_client.ts";
import { withApp } from "./_runtimes.ts";

const COOKIE_SECRET = "example-test-cookie-secret-0123456789abcdef";

Deno.test("examples/edge_login.ts: log in, then /me finds the user again from the session; tokens in KV, refreshed once after an expiry", async () => {
  const dir = await Deno.makeTempDir();
  const kvPath = `${dir}/kv.sqlite`;
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
          TWITCH_HELIX_BASE_URL: mock.helixBaseUrl,
          COOKIE_SECRET,
          PORT: String(port),
          KV_PATH: kvPath,
          NO_COLOR: "1",
        },
      }), async (base, mock) => {
      const browser = new CookieClient();
      const login = await browser.visit(`${base}/login`);
      assertEquals(new URL(login.url).pathname, "/me");
      const me = {
        id: DEMO_USER.id,
        name: DEMO_USER.displayName, // display_name from Helix /users
        scopes: ["openid", "user:read:email"],
      };
      assertEquals(JSON.parse(login.text), me);
      // A later request: only the session cookie travels.
      const again = await browser.visit(`${base}/me`);
      assertEquals(JSON.parse(again.text), me);

      // The user's tokens are in KV, as a DenoKvTokenStore reads them.
      using kv = await Deno.openKv(kvPath);
      const store = new DenoKvTokenStore(kv);
      assertEquals(await store.list(), [DEMO_USER.id]);
      const before = (await store.get(DEMO_USER.id))!;
      assertEquals(before.token.scopes, me.scopes);
      assert(before.token.idToken, "the login's ID token is kept");
      // Twitch ends the access token early: the next /me gets a 401 from
      // Helix, refreshes once, writes the new token to KV and answers.
      mock.expireAccessToken(before.token.accessToken);
      const refreshes = mock.countRequests({ grantType: "refresh_token" });
      const afterExpiry = await browser.visit(`${base}/me`);
      assertEquals(afterExpiry.status, 200, afterExpiry.text);
      assertEquals(JSON.parse(afterExpiry.text), me);
      assertEquals(
        mock.countRequests({ grantType: "refresh_token" }),
        refreshes + 1,
      );
      const after = (await store.get(DEMO_USER.id))!;
      assertNotEquals(after.version, before.version);
      assertNotEquals(after.token.accessToken, before.token.accessToken);
      const validation = await fetch(`${mock.authBaseUrl}/validate`, {
        headers: { Authorization: `OAuth ${after.token.accessToken}` },
      });
      assertEquals((await validation.json()).user_id, DEMO_USER.id);
      // The fresh token serves the next request with no further refresh.
      assertEquals(JSON.parse((await browser.visit(`${base}/me`)).text), me);
      assertEquals(
        mock.countRequests({ grantType: "refresh_token" }),
        refreshes + 1,
      );

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
