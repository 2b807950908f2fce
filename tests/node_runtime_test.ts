// The helpers claim to run unchanged outside Deno (web-standard fetch, URL,
// AbortSignal, crypto only). This bundles web.ts and runs them under Node,
// which every machine of ours has, against the mock over loopback.

import { commandWorks } from "./_bundle.ts";
import { assertHelpersRunUnder } from "./_runtimes.ts";

const node = await commandWorks("node");

Deno.test({
  name:
    "the token helpers run under Node, bundled from web.ts, and print tokens redacted",
  ignore: !node,
  fn: () => assertHelpersRunUnder("node"),
});
