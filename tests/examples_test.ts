// The examples run as programs against the mock server, from a fresh clone.

import { assertEquals, assertFalse, assertStringIncludes } from "@std/assert";
import { startMockTwitch } from "../testing.ts";
import { visit } from "./_browser.ts";
import { closedPort } from "./_util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const FETCH_BROWSER = new URL("./_fetch_browser.ts", import.meta.url).pathname;

async function setup() {
  const redirect = `http://localhost:${closedPort()}`;
  const mock = await startMockTwitch({
    consent: "approve",
    clients: [{
      clientId: "example0client0id0000000000000",
      clientSecret: "example0client0secret000000000",
      redirectUris: [redirect],
    }],
  });
  const env = {
    TWITCH_CLIENT_ID: mock.clientId,
    TWITCH_CLIENT_SECRET: mock.clientSecret,
    TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
    TWITCH_HELIX_BASE_URL: mock.helixBaseUrl,
    TWITCH_REDIRECT_URL: redirect,
    NO_COLOR: "1",
  };
  return { mock, env };
}

Deno.test("examples/user_token.ts signs in through the browser and calls Helix", async () => {
  const { mock, env } = await setup();
  await using _ = mock;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "examples/user_token.ts"],
    cwd: ROOT,
    env: { ...env, BROWSER: `"${Deno.execPath()}" run -A ${FETCH_BROWSER}` },
    stdin: "null",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  assertStringIncludes(stdout, "Signed in as twitchdev with bits:read");
  assertEquals(mock.countRequests({ pathname: "/helix/users" }), 1);
});

Deno.test("examples/headless.ts hands over the URL and finishes when it is opened elsewhere", async () => {
  const { mock, env } = await setup();
  await using _ = mock;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "examples/headless.ts"],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  let stderr = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk, { stream: true });
    const url = /http:\/\/\S+\/oauth2\/authorize\S+/.exec(stderr)?.[0];
    if (url) {
      assertEquals((await visit(url)).status, 200);
      break;
    }
  }
  const status = await child.status;
  await child.stderr.cancel().catch(() => {});
  assertEquals(status.code, 0, stderr);
  const printed = await stdout;
  assertStringIncludes(printed, "Got a token for chat:read chat:edit");
  assertFalse(printed.includes(mock.clientSecret));
});

Deno.test("examples/bot.ts signs in once, keeps the tokens in a 0600 file, stops on Ctrl+C", async () => {
  const { mock, env } = await setup();
  await using _ = mock;
  const dir = await Deno.makeTempDir();
  const tokenFile = `${dir}/user_token.json`;
  try {
    for (const run of [1, 2]) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "examples/bot.ts"],
        cwd: ROOT,
        env: {
          ...env,
          TWITCH_TOKEN_FILE: tokenFile,
          BROWSER: `"${Deno.execPath()}" run -A ${FETCH_BROWSER}`,
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stderr = new Response(child.stderr).text();
      const decoder = new TextDecoder();
      let stdout = "";
      let interrupted = false;
      for await (const chunk of child.stdout) {
        stdout += decoder.decode(chunk, { stream: true });
        if (!interrupted && stdout.includes("Bot ready")) {
          interrupted = true; // once: the bot may print more while it stops
          child.kill("SIGINT");
        }
      }
      const status = await child.status;
      assertEquals(status.code, 0, await stderr);
      assertStringIncludes(stdout, "Bot ready as twitchdev");
      assertStringIncludes(stdout, "Bot stopped.");
      assertEquals((await Deno.stat(tokenFile)).mode! & 0o777, 0o600);
      assertEquals(
        mock.countRequests({ grantType: "authorization_code" }),
        1,
        `run ${run}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
