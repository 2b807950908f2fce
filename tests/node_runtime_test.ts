// The helpers claim to run unchanged outside Deno (web-standard fetch, URL,
// AbortSignal, crypto only). This bundles web.ts and runs them under Node,
// which every machine of ours has, against the mock over loopback.

import { assertEquals } from "@std/assert";
import { bundleToTemp, commandWorks, runCommand } from "./_bundle.ts";
import { startMockTwitch } from "../testing.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const node = await commandWorks("node");

Deno.test({
  name:
    "the token helpers run under Node, bundled from web.ts, and print tokens redacted",
  ignore: !node,
  async fn() {
    await using web = await bundleToTemp("web.ts");
    await using mock = await startMockTwitch();
    const issued = mock.issueUserToken({ scopes: ["chat:read"] });
    const run = await runCommand("node", [
      `${ROOT}tests/_node_helpers.mjs`,
      web.path,
      mock.authBaseUrl,
      mock.clientId,
      mock.clientSecret,
      issued.refreshToken,
    ]);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(JSON.parse(run.stdout), {
      appClientId: mock.clientId,
      revoked: true,
      refused: "InvalidRefreshTokenError",
      printedInFull: false,
    });
  },
});
