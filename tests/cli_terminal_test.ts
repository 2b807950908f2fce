// The CLI on a real pseudo-terminal (util-linux `script`), where stdin,
// stdout and stderr are terminals as for a person typing: the hidden prompt
// for the client secret, with stdout redirected to a file.

import { assertEquals, assertFalse, assertStringIncludes } from "@std/assert";
import { renderUnicodeCompact } from "uqr";
import { startMockTwitch } from "../testing.ts";
import { commandWorks } from "./_bundle.ts";
import { runOnTerminal } from "./_cli.ts";
import { tempDir } from "./_util.ts";

const hasScript = Deno.build.os === "linux" && await commandWorks("script");

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
    const { code, screen } = await runOnTerminal(command, (screen, type) => {
      if (screen.includes("(hidden): ")) return type(`${mock.clientSecret}\r`);
    });
    assertEquals(code, 0, screen);
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
    let url = "";
    const { code, screen } = await runOnTerminal(command, (screen, type) => {
      const code = /enter the code: ([A-Z]{4})-([A-Z]{4})/.exec(screen);
      if (!url && code && screen.includes("Ctrl+C to cancel")) {
        url = `${mock.url}/activate?device-code=${code[1]}${code[2]}`;
        mock.approveDevice(code[1] + code[2]);
        return type("");
      }
    });
    assertEquals(code, 0, screen);
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
    const { screen } = await runOnTerminal(command, (screen, type) => {
      if (screen.includes("(hidden): ")) return type("abc\x03");
    });
    assertStringIncludes(screen, "exit=130", screen);
    assertStringIncludes(screen, "interrupted; nothing was kept.");
    assertFalse(screen.includes("callback server"), screen); // app has none
    assertFalse(/(^|\s)-echo(\s|$)/m.test(screen), screen);
    assertStringIncludes(screen, " echo ");
  },
});
