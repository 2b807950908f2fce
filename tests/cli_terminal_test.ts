// The CLI on a real pseudo-terminal (util-linux `script`), where stdin,
// stdout and stderr are terminals as for a person typing: the hidden prompt
// for the client secret, with stdout redirected to a file.

import { assertEquals, assertFalse, assertStringIncludes } from "@std/assert";
import { startMockTwitch } from "../testing.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const hasScript = Deno.build.os === "linux" &&
  await new Deno.Command("script", {
    args: ["--version"],
    stdout: "null",
    stderr: "null",
  })
    .output().then((o) => o.success).catch(() => false);

Deno.test({
  name:
    "CLI on a terminal: the secret is asked on stderr without echo when stdout goes to a file",
  ignore: !hasScript,
  async fn() {
    await using mock = await startMockTwitch();
    const dir = await Deno.makeTempDir();
    try {
      const out = `${dir}/.env`;
      const command =
        `TWITCH_CLIENT_ID=${mock.clientId} NO_COLOR=1 "${Deno.execPath()}" run -A mod.ts app ` +
        `--auth-base-url ${mock.authBaseUrl} --format env > ${out}`;
      const child = new Deno.Command("script", {
        args: ["-qec", command, "/dev/null"],
        cwd: ROOT,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stderr = new Response(child.stderr).text();
      const writer = child.stdin.getWriter();
      const decoder = new TextDecoder();
      let screen = "";
      let typed = false;
      for await (const chunk of child.stdout) {
        screen += decoder.decode(chunk, { stream: true });
        if (!typed && screen.includes("(hidden): ")) {
          typed = true;
          await writer.write(
            new TextEncoder().encode(`${mock.clientSecret}\r`),
          );
          await writer.close();
        }
      }
      const status = await child.status;
      await stderr;
      assertEquals(status.code, 0, screen);
      assertStringIncludes(
        screen,
        `Client secret of ${mock.clientId} (hidden):`,
      );
      assertFalse(screen.includes(mock.clientSecret), "the secret was echoed");
      const written = await Deno.readTextFile(out);
      assertStringIncludes(written, "TWITCH_ACCESS_TOKEN=");
      assertFalse(
        written.includes("Client secret"),
        "the prompt went into the file",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
