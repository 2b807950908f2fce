// The CLI on a real pseudo-terminal (util-linux `script`), where stdin,
// stdout and stderr are terminals as for a person typing: the hidden prompt
// for the client secret, with stdout redirected to a file.

import { assertEquals, assertFalse, assertStringIncludes } from "@std/assert";
import { renderUnicodeCompact } from "uqr";
import { startMockTwitch } from "../testing.ts";
import { tempDir } from "./_util.ts";

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
    await using tmp = await tempDir();
    const dir = tmp.path;
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
  },
});

Deno.test({
  name:
    "CLI on a terminal: device shows a QR code of the URL and the progress line on stderr",
  ignore: !hasScript,
  async fn() {
    await using mock = await startMockTwitch({
      deviceInterval: 1,
      clients: [{
        clientId: "pty0public0client0id0000000001",
        redirectUris: [],
      }],
    });
    await using tmp = await tempDir();
    const dir = tmp.path;
    const out = `${dir}/token.json`;
    const command =
      `TWITCH_CLIENT_ID=pty0public0client0id0000000001 NO_COLOR=1 "${Deno.execPath()}" run -A mod.ts device ` +
      `-s chat:read --auth-base-url ${mock.authBaseUrl} --format json --output ${out}`;
    const child = new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await child.stdin.close();
    const stderr = new Response(child.stderr).text();
    const decoder = new TextDecoder();
    let screen = "";
    let approved = false;
    let url = "";
    for await (const chunk of child.stdout) {
      screen += decoder.decode(chunk, { stream: true });
      const code = /enter the code: ([A-Z]{4})-([A-Z]{4})/.exec(screen);
      if (!approved && code && screen.includes("Ctrl+C to cancel")) {
        approved = true;
        url = `${mock.url}/activate?device-code=${code[1]}${code[2]}`;
        mock.approveDevice(code[1] + code[2]);
      }
    }
    const status = await child.status;
    await stderr;
    assertEquals(status.code, 0, screen);
    assertStringIncludes(screen, "Or scan this with the phone's camera:");
    // the QR code of exactly the verification URL
    for (const line of renderUnicodeCompact(url, { border: 2 }).split("\n")) {
      assertStringIncludes(screen, line);
    }
    assertStringIncludes(
      screen,
      "Waiting for you to enter the code on Twitch",
    );
    assertEquals(JSON.parse(await Deno.readTextFile(out)).scope, [
      "chat:read",
    ]);
  },
});

Deno.test({
  name:
    "CLI on a terminal: Ctrl+C at the hidden prompt exits 130 and leaves the terminal echoing",
  ignore: !hasScript,
  async fn() {
    // After the CLI, the same shell prints the exit code and the terminal's
    // settings: a Ctrl+C that killed the CLI by signal would take the shell
    // too, and one that left echo off would show "-echo".
    const command =
      `TWITCH_CLIENT_ID=pty0ctrlc0client0id00000000001 NO_COLOR=1 "${Deno.execPath()}" run -A mod.ts app ` +
      `--auth-base-url http://127.0.0.1:9/oauth2 --format env > /dev/null; echo "exit=$?"; stty -a`;
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
        await writer.write(new TextEncoder().encode("abc\x03"));
        await writer.close();
      }
    }
    await child.status;
    await stderr;
    assertStringIncludes(screen, "exit=130", screen);
    assertStringIncludes(screen, "interrupted; nothing was kept.");
    assertFalse(screen.includes("callback server"), screen); // app has none
    assertFalse(/(^|\s)-echo(\s|$)/m.test(screen), screen);
    assertStringIncludes(screen, " echo ");
  },
});
