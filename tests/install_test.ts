// Installing the CLI from a clone, as the README says, and the files a user
// creates by following it staying out of git.

import { assertEquals, assertStringIncludes } from "@std/assert";
import denoJson from "../deno.json" with { type: "json" };

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("deno task install puts a working twitch-auth on the PATH, usable from any folder", async () => {
  const root = await Deno.makeTempDir();
  const elsewhere = await Deno.makeTempDir();
  try {
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["task", "install"],
      cwd: ROOT,
      env: { DENO_INSTALL_ROOT: root },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(install.stderr);
    assertEquals(install.code, 0, said);
    for (const args of [["--version"], ["mock", "--help"]]) {
      const run = await new Deno.Command(`${root}/bin/twitch-auth`, {
        args,
        cwd: elsewhere, // no deno.json here: the installed one must serve
        env: { PATH: `${root}/bin:${Deno.env.get("PATH")}` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(run.stdout);
      assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
      assertStringIncludes(
        stdout,
        args[0] === "--version"
          ? `twitch-auth ${denoJson.version}\n`
          : "Usage: twitch-auth mock",
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test("the token files and .env the README and examples create are ignored by git", async () => {
  const created = [
    ".env",
    "bot_token.json",
    "token.json",
    "tokens.json",
    "user_token.json",
    "bot_token.json.lock", // FileTokenStore's lock beside the file
    "bot_token.json.tmp", // FileTokenStore's file while it is written
    "token.json.0123456789abcdef.tmp", // writeSecretFile's
  ];
  const check = await new Deno.Command("git", {
    args: ["check-ignore", "--no-index", ...created],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  assertEquals(
    new TextDecoder().decode(check.stdout).trim().split("\n"),
    created,
  );
  const kept = await new Deno.Command("git", {
    args: ["check-ignore", "--no-index", "deno.json", "examples/bot.ts"],
    cwd: ROOT,
  }).output();
  assertEquals(kept.code, 1, "deno.json and the examples stay tracked");
});
