// `token` fails fast when nothing answers at the OAuth base URL: before the
// browser opens a dead page, with the URL and where it came from, instead of
// waiting for the sign-in's full timeout and blaming the redirect URL.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runCli } from "./_cli.ts";
import { closedPort } from "./_util.ts";

/** A `--browser` command that records whether it was started. */
async function recordingBrowser(): Promise<{ command: string; file: string }> {
  const file = await Deno.makeTempFile({ prefix: "opened-" });
  await Deno.remove(file);
  const script = new URL("./_record_args.ts", import.meta.url).pathname;
  return { command: `"${Deno.execPath()}" run -A ${script} "${file}"`, file };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

for (
  const [from, args, env] of [
    [
      "TWITCH_AUTH_BASE_URL",
      [],
      (url: string) => ({ TWITCH_AUTH_BASE_URL: url }),
    ],
    ["--auth-base-url", (url: string) => ["--auth-base-url", url], () => ({})],
  ] as const
) {
  Deno.test(`token: a dead auth base URL from ${from} fails before any browser opens, naming it`, async () => {
    const dead = `http://127.0.0.1:${closedPort()}/oauth2`;
    const browser = await recordingBrowser();
    const result = await runCli(
      [
        "-s",
        "chat:read",
        "--client-id",
        "some-client-id",
        "--client-secret",
        "some-client-secret-0123456789",
        "--browser",
        browser.command,
        "--redirect-url",
        `http://localhost:${closedPort()}`,
        "--timeout",
        "8",
        ...(typeof args === "function" ? args(dead) : args),
      ],
      { env: env(dead) },
    );
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, `Nothing answers at ${dead}`);
    assertStringIncludes(result.stderr, `from ${from}`);
    assert(!result.stderr.includes("redirect"), result.stderr);
    assert(!(await exists(browser.file)), "the browser was opened");
  });
}
