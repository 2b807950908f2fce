// A flood of 1,000 idle connections against the callback server, from
// another process: the cap of 128 open connections holds (counted from the
// client side, as connections the server closed), and a sign-in process
// limited to 1,024 file descriptors neither panics nor gives up. The same
// flood through UserAuthenticator in this process is in
// callback_server_test.ts.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { serveCallback } from "../src/deno/_callback_server.ts";
import { MAX_CONNECTIONS } from "../src/deno/_http_listener.ts";
import { visit } from "./_browser.ts";
import { startSignInChild } from "./_child.ts";
import { floodIdle } from "./_raw_http.ts";

Deno.test("callback server: 1,000 idle connections at once, at most 128 still open after 1 s", async () => {
  const server = await serveCallback(
    () => new Response("ok"),
    0,
    "127.0.0.1",
  );
  try {
    const { opened, open } = await floodIdle(server.port);
    assertEquals(opened, 1000);
    assert(open <= MAX_CONNECTIONS, `${open} of 1000 still open after 1 s`);
  } finally {
    await server.close();
  }
});

Deno.test({
  name:
    "a sign-in process limited to 1,024 file descriptors, under the same flood twice: no panic, and the real callback still gets through",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = await startSignInChild(1024);
    for (let round = 0; round < 2; round++) {
      const { open } = await floodIdle(child.port);
      assert(open <= MAX_CONNECTIONS, `${open} of 1000 still open after 1 s`);
    }
    assertEquals((await visit(child.url)).status, 200);
    const { code, stdout, stderr } = await child.finish();
    assert(!/panic/i.test(stderr), stderr);
    assertEquals(code, 0, `${stdout}\n${stderr}`);
    assertStringIncludes(stdout, "token chat:read");
  },
});
