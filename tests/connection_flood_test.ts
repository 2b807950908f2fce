// A flood of 1,000 idle connections against the callback server, from
// another process: the cap of 128 open connections holds (counted from the
// client side, as connections the server closed), the real callback still
// gets through, and a sign-in process limited to 1,024 file descriptors
// neither panics nor gives up.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { Twitch, UserAuthenticator } from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { serveCallback } from "../src/deno/_callback_server.ts";
import { MAX_CONNECTIONS } from "../src/deno/_http_listener.ts";
import { visit } from "./_browser.ts";
import { closedPort } from "./_util.ts";

const FLOOD = new URL("./_conn_flood.ts", import.meta.url).pathname;
const CHILD = new URL("./_sign_in_child.ts", import.meta.url).pathname;

interface Flooded {
  opened: number;
  open: number;
  failed: number;
}

/** 1,000 idle connections from a process of their own, counted after `hold` ms. */
async function flood(port: number, hold = 1000): Promise<Flooded> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", FLOOD, String(port), "1000", String(hold)],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  return JSON.parse(text);
}

Deno.test("callback server: 1,000 idle connections at once, at most 128 still open after 1 s", async () => {
  const server = await serveCallback(
    () => new Response("ok"),
    0,
    "127.0.0.1",
  );
  try {
    const { opened, open } = await flood(server.port);
    assertEquals(opened, 1000);
    assert(open <= MAX_CONNECTIONS, `${open} of 1000 still open after 1 s`);
  } finally {
    await server.close();
  }
});

Deno.test("UserAuthenticator under 1,000 idle connections: at most 128 open after 1 s, and the real callback gets through", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  await using mock = await startMockTwitch({
    consent: "approve",
    clients: [{
      clientId: "app0client0id0000000000000000a",
      clientSecret: "app0client0secret00000000000a",
      redirectUris: [redirect],
    }],
  });
  const twitch = new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
  });
  const auth = new UserAuthenticator(twitch, ["chat:read"], { url: redirect });
  const url = Promise.withResolvers<string>();
  const flow = auth.authenticate({
    useBrowser: false,
    timeout: 60_000,
    authUrlCallback: url.resolve,
  });
  const real = await url.promise;
  const { opened, open } = await flood(port);
  assertEquals(opened, 1000);
  assert(open <= MAX_CONNECTIONS, `${open} of 1000 still open after 1 s`);
  assertEquals((await visit(real)).status, 200);
  assertEquals((await flow).scopes, ["chat:read"]);
});

Deno.test({
  name:
    "a sign-in process limited to 1,024 file descriptors, under the same flood twice: no panic, and the real callback still gets through",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = new Deno.Command("sh", {
      args: [
        "-c",
        `ulimit -n 1024 && exec "$0" run -A "$1"`,
        Deno.execPath(),
        CHILD,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let seen = "";
    while (!seen.includes("\n")) {
      const next = await reader.read();
      if (next.done) throw new Error(`the child ended: ${await stderr}`);
      seen += next.value;
    }
    const { url, redirect } = JSON.parse(seen.slice(0, seen.indexOf("\n")));
    const port = Number(new URL(redirect).port);
    for (let round = 0; round < 2; round++) {
      const { open } = await flood(port);
      assert(open <= MAX_CONNECTIONS, `${open} of 1000 still open after 1 s`);
    }
    assertEquals((await visit(url)).status, 200);
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      seen += next.value;
    }
    const status = await child.status;
    const errors = await stderr;
    assert(!/panic/i.test(errors), errors);
    assertEquals(status.code, 0, `${seen}\n${errors}`);
    assertStringIncludes(seen, "token chat:read");
  },
});
