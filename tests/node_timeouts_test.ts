// Timeouts under Node: a timer over 2^31-1 ms fires at once there, with a
// TimeoutOverflowWarning on stderr. The helpers, bundled from web.ts, must
// honour Infinity and refuse what a timer cannot hold, without a warning.

import { assertEquals } from "@std/assert";
import { bundleToTemp, commandWorks, runCommand } from "./_bundle.ts";
import { startMockTwitch } from "../testing.ts";

const node = await commandWorks("node");

const SCRIPT = `
const [bundle, authBaseUrl, token] = process.argv.slice(1);
const m = await import(bundle);
const seen = {};
for (const timeout of [Infinity, 2 ** 31 - 1, 2 ** 31, 1e12, 0.0001]) {
  try {
    const result = await m.validateToken(token, { authBaseUrl, timeout });
    seen[String(timeout)] = "client_id" in result ? "ok" : "invalid";
  } catch (error) {
    seen[String(timeout)] = error.constructor.name;
  }
}
console.log(JSON.stringify(seen));
`;

Deno.test({
  name:
    "under Node, Infinity and 2^31-1 ms are honoured, larger and sub-millisecond timeouts refused, no TimeoutOverflowWarning",
  ignore: !node,
  async fn() {
    await using web = await bundleToTemp("web.ts");
    await using mock = await startMockTwitch();
    const token = mock.issueUserToken({ scopes: ["chat:read"] });
    const run = await runCommand("node", [
      "--input-type=module",
      "-e",
      SCRIPT,
      `file://${web.path}`,
      mock.authBaseUrl,
      token.accessToken,
    ]);
    assertEquals(run.stderr, "");
    assertEquals(run.code, 0);
    assertEquals(JSON.parse(run.stdout), {
      "Infinity": "ok",
      "2147483647": "ok",
      "2147483648": "InvalidArgumentError",
      "1000000000000": "InvalidArgumentError",
      "0.0001": "InvalidArgumentError",
    });
  },
});
