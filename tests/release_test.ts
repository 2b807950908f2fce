// The release task: @std/* pointed at Deno's own JSR packages for the
// publish; where JSR cannot be reached, one line and nothing changed.

import { assertEquals, assertMatch } from "@std/assert";
import { jsrImports } from "../tools/release.ts";
import { closedPort } from "./_util.ts";

const ROOT = new URL("..", import.meta.url);

Deno.test("release: every @std/* import goes to jsr:@std/*, other imports stay", () => {
  assertEquals(
    jsrImports({
      "@std/assert": "npm:deno-std@1.4.0/assert/mod.js",
      "@std/cli/parse-args": "npm:deno-std@1.4.0/cli/parse_args.js",
      "@std/http/status": "npm:deno-std@1.4.0/http/status.js",
      "uqr": "npm:uqr@0.1.3",
    }),
    {
      "@std/assert": "jsr:@std/assert@^1",
      "@std/cli/parse-args": "jsr:@std/cli@^1/parse-args",
      "@std/http/status": "jsr:@std/http@^1/status",
      "uqr": "npm:uqr@0.1.3",
    },
  );
});

Deno.test("release: JSR out of reach stops with one line before changing anything", async () => {
  const config = await Deno.readTextFile(new URL("deno.json", ROOT));
  const lock = await Deno.readTextFile(new URL("deno.lock", ROOT));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "release", "--dry-run"],
    cwd: ROOT,
    env: { TWITCH_AUTH_JSR_URL: `http://127.0.0.1:${closedPort()}` },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assertEquals(output.code, 1, stderr);
  assertEquals(new TextDecoder().decode(output.stdout), "");
  const lines = stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, stderr);
  assertMatch(
    lines[0],
    /^release: cannot reach http:\/\/127\.0\.0\.1:\d+ .*nothing was changed/,
  );
  assertEquals(await Deno.readTextFile(new URL("deno.json", ROOT)), config);
  assertEquals(await Deno.readTextFile(new URL("deno.lock", ROOT)), lock);
});
