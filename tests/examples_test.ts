// The examples run as programs against the mock server, from a fresh clone.

import {
  assert,
  assertEquals,
  assertFalse,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { AccessToken } from "../mod.ts";
import { visit } from "./_browser.ts";
import {
  deviceTokenFile,
  signInTokenFile,
  spawnDeno,
  startPublicClientMock,
} from "./_cli.ts";
import { startMockTwitch } from "../testing.ts";
import { startSignInApp } from "./_sign_in.ts";
import { closedPort } from "./_util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const FETCH_BROWSER = new URL("./_fetch_browser.ts", import.meta.url).pathname;

/** The mock with an app for the examples, and the environment they read. */
async function setup() {
  const app = await startSignInApp();
  const { mock } = app;
  const env = {
    TWITCH_CLIENT_ID: mock.clientId,
    TWITCH_CLIENT_SECRET: mock.clientSecret,
    TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
    TWITCH_HELIX_BASE_URL: mock.helixBaseUrl,
    TWITCH_REDIRECT_URL: app.redirect,
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

const BOT_CLIENT_ID = "example0public0client0id000001";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Runs examples/bot.ts; sends Ctrl+C once it is ready, then collects it. */
async function runBot(env: Record<string, string>) {
  const bot = spawnDeno(["run", "-A", "examples/bot.ts"], {
    env: { NO_COLOR: "1", ...env },
  });
  // A bot that fails at start ends without "Bot ready": nothing to stop.
  await bot.waitForStdout(/Bot ready/).then(
    () => bot.child.kill("SIGINT"),
    () => {},
  );
  return await bot.finish();
}

Deno.test("examples/bot.ts starts from the CLI's device token file, keeps it refreshed there, stops on Ctrl+C", async () => {
  // A public client, as on a machine without a browser: no secret, and each
  // refresh token works once, so the bot must write every refresh back.
  await using mock = await startPublicClientMock(BOT_CLIENT_ID);
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bot_token.json`;
  const env = {
    TWITCH_CLIENT_ID: BOT_CLIENT_ID,
    TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
    TWITCH_HELIX_BASE_URL: mock.helixBaseUrl,
    TWITCH_TOKEN_FILE: file,
  };
  try {
    const none = await runBot(env);
    assertEquals(none.code, 1, none.stdout);
    assertStringIncludes(none.stderr, `No token in ${file}`);
    assertStringIncludes(
      none.stderr,
      "twitch-auth device -s chat:read,chat:edit",
    );

    // The hand-off, as the README shows it: the real CLI writes the file.
    await deviceTokenFile(mock, BOT_CLIENT_ID, file, "chat:read,chat:edit");

    let handed = AccessToken.fromJSON(await Deno.readTextFile(file));
    for (const run of [1, 2]) {
      // Twitch ends the access token early: the bot's check at start finds
      // it refused, refreshes it with the file's refresh token, and writes
      // the new tokens to the same file.
      mock.expireAccessToken(handed.accessToken);
      const before = mock.requests.length;
      const sentWith = (pathname: string) =>
        mock.requests.slice(before).filter((r) =>
          r.pathname === pathname &&
          r.headers.get("authorization")?.endsWith(` ${handed.accessToken}`)
        ).length;
      const bot = await runBot(env);
      assertEquals(bot.code, 0, bot.stderr);
      assertStringIncludes(
        bot.stdout,
        `Bot ready as twitchdev; tokens kept in ${file}`,
      );
      assertStringIncludes(bot.stdout, "Bot stopped.");
      assertEquals(mock.countRequests({ grantType: "refresh_token" }), run);
      const used = mock.requests.filter((r) =>
        r.form?.get("refresh_token") === handed.refreshToken
      );
      assertEquals(used.length, 1, `run ${run}: the file's refresh token`);
      // Found by the validation at start, before any Helix call used it.
      assertEquals(sentWith("/oauth2/validate"), 1);
      assertEquals(sentWith("/helix/users"), 0);
      const kept = AccessToken.fromJSON(await Deno.readTextFile(file));
      assertNotEquals(kept.accessToken, handed.accessToken);
      assertNotEquals(kept.refreshToken, handed.refreshToken); // rotated
      assertEquals(kept.scopes, ["chat:read", "chat:edit"]);
      const validation = await fetch(`${mock.authBaseUrl}/validate`, {
        headers: { Authorization: `OAuth ${kept.accessToken}` },
      });
      assertEquals((await validation.json()).client_id, BOT_CLIENT_ID);
      assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
      handed = kept;
    }
    // The bot never signed in itself: the CLI's device sign-in was the one.
    assertEquals(mock.countRequests({ grantType: "authorization_code" }), 0);
    assert(mock.countRequests({ grantType: DEVICE_GRANT }) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("examples/bot.ts on a browser sign-in's token without TWITCH_CLIENT_SECRET stops at start and says which secret", async () => {
  // A confidential app: `twitch-auth token` (the code flow) made the file,
  // and only the client secret refreshes its tokens.
  const port = closedPort();
  await using mock = await startMockTwitch({
    clients: [{
      clientId: "example0client0id0000000000000",
      clientSecret: "example0client0secret000000000",
      redirectUris: [`http://localhost:${port}`],
    }],
  });
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bot_token.json`;
  const env = {
    TWITCH_CLIENT_ID: mock.clientId,
    TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
    TWITCH_HELIX_BASE_URL: mock.helixBaseUrl,
    TWITCH_TOKEN_FILE: file,
  };
  const stopsAtStart = (
    bot: { code: number; stdout: string; stderr: string },
  ) => {
    assertEquals(bot.code, 1, bot.stdout);
    assertFalse(bot.stdout.includes("Bot ready"), bot.stdout);
    assertStringIncludes(bot.stderr, "TWITCH_CLIENT_SECRET");
    assertStringIncludes(bot.stderr, mock.clientId);
    assertFalse(bot.stderr.includes("will retry"), bot.stderr);
    assertFalse(bot.stderr.includes(mock.clientSecret));
    assertFalse(/^\s+at /m.test(bot.stderr), bot.stderr);
  };
  try {
    await signInTokenFile(mock, {
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      port,
      path: file,
    }, "chat:read,chat:edit");
    const onDisk = await Deno.readTextFile(file);

    // The file says the code flow made it: told before any request.
    const before = mock.requests.length;
    const early = await runBot(env);
    stopsAtStart(early);
    assertStringIncludes(early.stderr, "authorization code flow");
    assertEquals(mock.requests.length, before, "the bot asked nothing");
    assertEquals(await Deno.readTextFile(file), onDisk);

    // A file from before the field, its access token ended by Twitch: the
    // refresh at start gets Twitch's "missing client secret", once, and the
    // bot stops saying so (not "will retry").
    const old = JSON.parse(onDisk);
    delete old.grant_type;
    await Deno.writeTextFile(file, JSON.stringify(old), { mode: 0o600 });
    mock.expireAccessToken(old.access_token);
    const late = await runBot(env);
    stopsAtStart(late);
    assertStringIncludes(late.stderr, "missing client secret");
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);

    // With the secret, the same bot starts.
    const ok = await runBot({
      ...env,
      TWITCH_CLIENT_SECRET: mock.clientSecret,
    });
    assertEquals(ok.code, 0, ok.stderr);
    assertStringIncludes(ok.stdout, "Bot ready as twitchdev");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
