// What an edge user pays: a Worker that imports only the login handler from
// web.ts (tests/_login_only_worker.ts), bundled with
// `deno bundle --platform browser --minify` and gzipped, must stay small and
// must not carry what it does not use (the token keeping, the Twitch app
// object, the scopes list, a JWT library). Numbers: tests/import_bench.ts
// prints them.

import { assert, assertFalse } from "@std/assert";
import { bundle } from "./_bundle.ts";
import { gzippedSize } from "./_gzip.ts";

/** The limit for the login-only Worker, gzipped (issue 18: 15 KB). */
const LOGIN_WORKER_LIMIT = 15_000;

Deno.test("a Worker that imports only createTwitchLoginHandler bundles small and without the parts it does not use", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/worker.js`;
    await bundle("tests/_login_only_worker.ts", out, { minify: true });
    const text = await Deno.readTextFile(out);
    // A class with a computed Symbol.for(...) member, or a top-level call,
    // makes bundlers keep its module whole: these must all be gone.
    for (
      const unused of [
        "TokenProvider {", // TokenProvider's inspect rendering
        "Twitch { appId", // the Twitch object's
        "DeviceAuthorization ",
        "moderator:read:chatters", // the scopes list
        "Signed in with Twitch", // the local sign-in's success page
        "ERR_JWS_", // jose: an ID token from the token endpoint needs no signature check
      ]
    ) {
      assertFalse(text.includes(unused), `the bundle holds ${unused}`);
    }
    // The cookies go through @std/http/cookie, as the design asks.
    assert(text.includes("Invalid cookie name"), "no @std/http/cookie");
    const size = await gzippedSize(out);
    assert(
      size <= LOGIN_WORKER_LIMIT,
      `the login-only Worker is ${size} bytes gzipped, over ${LOGIN_WORKER_LIMIT}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
