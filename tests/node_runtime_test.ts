// The helpers claim to run unchanged outside Deno (web-standard fetch, URL,
// AbortSignal, crypto only). This bundles web.ts and runs them under Node,
// which every machine of ours has, against the mock over loopback.

import { assertEquals } from "@std/assert";
import { bundle } from "./_bundle.ts";
import { startMockTwitch } from "../testing.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const node = await new Deno.Command("node", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success).catch(() => false);

Deno.test({
  name:
    "the token helpers run under Node, bundled from web.ts, and print tokens redacted",
  ignore: !node,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const bundled = `${dir}/web.mjs`;
      await bundle("web.ts", bundled);
      await using mock = await startMockTwitch();
      const issued = mock.issueUserToken({ scopes: ["chat:read"] });
      const run = await new Deno.Command("node", {
        args: [
          `${ROOT}tests/_node_helpers.mjs`,
          bundled,
          mock.authBaseUrl,
          mock.clientId,
          mock.clientSecret,
          issued.refreshToken,
        ],
      }).output();
      const stderr = new TextDecoder().decode(run.stderr);
      assertEquals(run.code, 0, stderr);
      assertEquals(JSON.parse(new TextDecoder().decode(run.stdout)), {
        appClientId: mock.clientId,
        revoked: true,
        refused: "InvalidRefreshTokenError",
        printedInFull: false,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
