// The README's local Cloudflare recipe, as written: the committed workerd
// config (examples/workerd/config.capnp) serves the bundled Worker example
// with its Durable Object on a local folder and its settings from the
// environment; a browser-like client logs in against the mock Twitch.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USER,
  startMockTwitch,
} from "../testing.ts";
import { CookieClient } from "./_cookie_client.ts";
import {
  bundle,
  freePort,
  pathOf,
  runtime,
  skipUnless,
  waitForServer,
} from "./_runtimes.ts";

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
      const port = freePort();
      const base = `http://localhost:${port}`;
      await using mock = await startMockTwitch({
        consent: "approve",
        clients: [{
          clientId: DEMO_CLIENT_ID,
          clientSecret: DEMO_CLIENT_SECRET,
          redirectUris: [`${base}/callback`],
        }],
      });
      const child = new Deno.Command(pathOf(workerd), {
        args: [
          "serve",
          "config.capnp",
          "--directory-path",
          "do-disk=do-disk",
          "--socket-addr",
          `http=127.0.0.1:${port}`,
        ],
        cwd: dir,
        env: {
          TWITCH_CLIENT_ID: DEMO_CLIENT_ID,
          TWITCH_CLIENT_SECRET: DEMO_CLIENT_SECRET,
          TWITCH_REDIRECT_URL: `${base}/callback`,
          COOKIE_SECRET: "workerd-recipe-cookie-secret-Qk7wZp2Xv9Lm4Rt8",
          TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
        },
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const stderr = new Response(child.stderr).text();
      try {
        await waitForServer(`http://127.0.0.1:${port}/nothing`, child.status);
        const visit = await new CookieClient().visit(`${base}/login`);
        assertEquals(visit.status, 200, visit.text + (await peek(stderr)));
        assertStringIncludes(visit.text, `Hello ${DEMO_USER.displayName}`);
        let files = 0;
        for await (const _ of Deno.readDir(`${dir}/do-disk`)) files++;
        assert(files > 0, "nothing in the object's folder");
      } finally {
        child.kill("SIGTERM");
        await child.status;
        await stderr;
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** What workerd said so far, for a failure message (never awaited long). */
async function peek(text: Promise<string>): Promise<string> {
  const said = await Promise.race([
    text,
    new Promise<string>((resolve) => setTimeout(() => resolve(""), 100)),
  ]);
  return said ? `\nworkerd: ${said.slice(-1000)}` : "";
}
