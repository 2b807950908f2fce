// The README's local Cloudflare recipe, as written: the committed workerd
// config (examples/workerd/config.capnp) serves the bundled Worker example
// with its Durable Object on a local folder and its settings from the
// environment; a browser-like client logs in against the mock Twitch.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER } from "../testing.ts";
import { CookieClient } from "./_cookie_client.ts";
import { bundle, pathOf, runtime, skipUnless, withApp } from "./_runtimes.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const workerd = await runtime("workerd");

Deno.test({
  name:
    "workerd recipe: examples/workerd/config.capnp serves the Worker example, tokens kept in the object on disk",
  ...skipUnless(workerd, "workerd recipe"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "workerd-recipe-" });
    try {
      // The recipe's files, side by side as in examples/workerd/.
      await Deno.copyFile(
        `${ROOT}examples/workerd/config.capnp`,
        `${dir}/config.capnp`,
      );
      await bundle("examples/cloudflare_worker.ts", `${dir}/worker.js`);
      await Deno.mkdir(`${dir}/do-disk`);
      await withApp(
        ({ port, base, mock }) =>
          Promise.resolve({
            command: pathOf(workerd),
            args: [
              "serve",
              `${dir}/config.capnp`,
              "--directory-path",
              `do-disk=${dir}/do-disk`,
              "--socket-addr",
              `http=127.0.0.1:${port}`,
            ],
            env: {
              TWITCH_CLIENT_ID: DEMO_CLIENT_ID,
              TWITCH_CLIENT_SECRET: DEMO_CLIENT_SECRET,
              TWITCH_REDIRECT_URL: `${base}/callback`,
              COOKIE_SECRET: "workerd-recipe-cookie-secret-Qk7wZp2Xv9Lm4Rt8",
              TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
            },
          }),
        async (base) => {
          const visit = await new CookieClient().visit(`${base}/login`);
          assertEquals(visit.status, 200, visit.text);
          assertStringIncludes(visit.text, `Hello ${DEMO_USER.displayName}`);
          let files = 0;
          for await (const _ of Deno.readDir(`${dir}/do-disk`)) files++;
          assert(files > 0, "nothing in the object's folder");
        },
        "/nothing",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
