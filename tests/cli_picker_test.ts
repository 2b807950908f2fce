// The scope picker: `token` without -s opens a local page listing every
// scope; the user ticks some and goes on to Twitch. Driven in real headless
// Chromium through the CLI (skipped only without Chromium), and its guards
// (state, Host, one use) over plain HTTP.

import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { SCOPE_DESCRIPTIONS, Twitch, UserAuthenticator } from "../mod.ts";
import {
  createScopePicker,
  SCOPE_PICKER_PATH,
} from "../src/deno/_scope_picker.ts";
import { startMockTwitch } from "../testing.ts";
import { runCli, validateOnMock } from "./_cli.ts";
import { closedPort, TEST_LOCK_FLAG } from "./_util.ts";

const CHROMIUM = Deno.env.get("TWITCH_AUTH_CHROMIUM") || "/usr/bin/chromium";
const chromiumAvailable = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
const SCRIPT = decodeURIComponent(
  new URL("./_chromium_browser.ts", import.meta.url).pathname,
);
const CLIENT_ID = "picker0client0id00000000000001";
const CLIENT_SECRET = "picker0client0secret0000000001";

async function setup(port: number) {
  return await startMockTwitch({
    consent: "page",
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`http://localhost:${port}`],
    }],
  });
}

/** What the browser script logged, once it has (within its own 35 s limit). */
async function browserLog(log: string): Promise<string> {
  for (let waited = 0; waited < 40_000; waited += 100) {
    const text = (await Deno.readTextFile(log)).trim();
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return "";
}

/** Retries `body` on another port when the callback port was taken meanwhile. */
async function withPort<T>(body: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await body(closedPort());
    } catch (error) {
      if (attempt >= 5 || !/already in use/.test(String(error))) throw error;
    }
  }
}

Deno.test({
  name:
    "picker in Chromium: tick two scopes, sign in with Twitch, the tokens carry exactly those",
  ignore: !chromiumAvailable,
  async fn() {
    const picked = ["chat:read", "moderator:read:followers"];
    const log = await Deno.makeTempFile({ prefix: "twitch-auth-picker-" });
    try {
      const browser = [
        Deno.execPath(),
        "run",
        "-A",
        TEST_LOCK_FLAG,
        SCRIPT,
        `--tick=${picked.join(",")}`,
        `--log=${log}`,
      ].map((word) => `"${word}"`).join(" ");
      const { result, mock } = await withPort(async (port) => {
        const mock = await setup(port);
        const result = await runCli([
          "--browser",
          browser,
          "--port",
          String(port),
          "--auth-base-url",
          mock.authBaseUrl,
          "--format",
          "json",
          "--timeout",
          "60",
        ], {
          env: {
            TWITCH_CLIENT_ID: CLIENT_ID,
            TWITCH_CLIENT_SECRET: CLIENT_SECRET,
          },
        });
        if (result.code !== 0) {
          await mock.close();
          throw new Error(
            `${result.stderr}\n--- browser ---\n${await Deno.readTextFile(
              log,
            )}`,
          );
        }
        return { result, mock };
      });
      await using _ = mock;
      const json = JSON.parse(result.stdout);
      assertEquals(json.scope.toSorted(), picked.toSorted());
      const validation = await validateOnMock(mock, json.access_token);
      assertEquals(
        (validation.body.scopes as string[]).toSorted(),
        picked.toSorted(),
      );
      assertStringIncludes(
        result.stderr,
        "Opening the browser on the scope picker",
      );
      assertStringIncludes(
        result.stderr,
        `Next time, skip the picker with: -s "${json.scope.join(" ")}"`,
      );
      // the CLI may be done before the browser script has closed Chromium
      assertEquals(await browserLog(log), "Signed in with Twitch");
      const authorize = mock.requests.filter((r) =>
        r.pathname === "/oauth2/authorize"
      );
      assertEquals(
        authorize[0].query.get("scope")!.split(" ").toSorted(),
        picked.toSorted(),
      );
    } finally {
      await Deno.remove(log).catch(() => {});
    }
  },
});

/** A GET with any Host header (fetch sets its own), as a DNS-rebound page would send. */
async function rawGet(
  port: number,
  path: string,
  host: string,
): Promise<string> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      ),
    );
    return await new Response(connection.readable).text();
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** An authenticator waiting with the picker; its page URL and a way to end it. */
async function pickerRunning() {
  const port = closedPort();
  const mock = await setup(port);
  const auth = new UserAuthenticator(
    new Twitch(CLIENT_ID, CLIENT_SECRET, { authBaseUrl: mock.authBaseUrl }),
    [],
    { url: `http://localhost:${port}` },
  );
  const page = Promise.withResolvers<string>();
  const picked: string[][] = [];
  const controller = new AbortController();
  const signIn = auth.authenticate({
    useBrowser: false,
    authUrlCallback: (url) => page.resolve(url),
    firstPage: (context) => createScopePicker(context, (s) => picked.push(s)),
    signal: controller.signal,
  }).catch((error) => error);
  return {
    url: await page.promise,
    port,
    picked,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await signIn;
      await mock.close();
    },
  };
}

Deno.test("picker page: every scope by group with what it grants; only with the state, on a loopback Host, GET, once", async () => {
  await using picker = await pickerRunning();
  const url = new URL(picker.url);
  assertEquals(url.pathname, SCOPE_PICKER_PATH);
  const state = url.searchParams.get("state")!;
  assertMatch(state, /^[\w-]{20,}$/);

  const page = await fetch(url);
  assertEquals(page.status, 200);
  assertEquals(page.headers.get("Cache-Control"), "no-store");
  const html = await page.text();
  for (const [scope, grants] of Object.entries(SCOPE_DESCRIPTIONS)) {
    assertStringIncludes(html, `value="${scope}"`);
    assertStringIncludes(html, grants.replaceAll("'", "&#39;"));
  }
  for (
    const group of [
      "Your channel",
      "As a moderator",
      "Your user",
      "Chat over IRC",
    ]
  ) {
    assertStringIncludes(html, `<legend>${group}</legend>`);
  }
  assertStringIncludes(html, "Sign in with Twitch");

  const wrongState = new URL(url);
  wrongState.searchParams.set("state", "x".repeat(32));
  const refused = await fetch(wrongState);
  assertEquals(refused.status, 400);
  assertFalse((await refused.text()).includes(state));
  const noState = await fetch(new URL(SCOPE_PICKER_PATH, url));
  assertEquals(noState.status, 400);
  await noState.body?.cancel();
  const rebound = await rawGet(
    picker.port,
    `${url.pathname}${url.search}`,
    "attacker.example",
  );
  assertMatch(rebound, /^HTTP\/1\.1 403 /);
  assertFalse(rebound.includes(state), "a rebound page must not see the state");
  const posted = await fetch(url, { method: "POST", body: "scope=chat:read" });
  assertEquals(posted.status, 405);
  await posted.body?.cancel();

  const go = new URL(`${SCOPE_PICKER_PATH}/continue`, url);
  go.searchParams.set("state", state);
  go.searchParams.append("scope", "chat:read");
  go.searchParams.append("scope", "<script>alert(1)</script>");
  go.searchParams.append("scope", "bits:read");
  const answer = await fetch(go, { redirect: "manual" });
  await answer.body?.cancel();
  assertEquals(answer.status, 303);
  const twitch = new URL(answer.headers.get("Location")!);
  assertEquals(twitch.searchParams.get("scope"), "chat:read bits:read");
  assertEquals(twitch.searchParams.get("state"), state);
  assertEquals(picker.picked, [["chat:read", "bits:read"]]);

  const twice = await fetch(go, { redirect: "manual" });
  assertEquals(twice.status, 409);
  await twice.body?.cancel();
  const pageAgain = await fetch(url);
  assertEquals(pageAgain.status, 409);
  await pageAgain.body?.cancel();
  assert(picker.picked.length === 1);
});

Deno.test("picker: the callback path still answers as before while the picker is up", async () => {
  await using picker = await pickerRunning();
  const callback = await fetch(
    `http://localhost:${picker.port}/?state=wrong&code=x`,
  );
  assertEquals(callback.status, 400);
  await callback.body?.cancel();
});
