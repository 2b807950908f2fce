// The scope picker: `token` without -s opens a local page starting from tasks
// and listing every scope; the user ticks some and goes on to Twitch. Driven
// in real headless Chromium through the CLI and on its own (skipped only
// without Chromium), and its guards (state, Host, one use) and the
// no-JavaScript path over plain HTTP.

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
  type PickerTask,
  pickerTasks,
  SCOPE_PICKER_PATH,
  WIDE_SELECTION_EXTRA,
} from "../src/deno/_scope_picker.ts";
import { startMockTwitch } from "../testing.ts";
import { argv, runCli, validateOnMock } from "./_cli.ts";
import {
  CHROMIUM_SCRIPT,
  chromiumAvailable,
  closedPort,
  TEST_LOCK_FLAG,
} from "./_util.ts";

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
        CHROMIUM_SCRIPT,
        `--tick=${picked.join(",")}`,
        `--log=${log}`,
      ].map((word) => `"${word}"`).join(" ");
      const { result, mock } = await withPort(async (port) => {
        const mock = await setup(port);
        const result = await runCli(
          argv`--browser ${browser} --port ${
            String(port)
          } --auth-base-url ${mock.authBaseUrl} --format json --timeout 60`,
          {
            env: {
              TWITCH_CLIENT_ID: CLIENT_ID,
              TWITCH_CLIENT_SECRET: CLIENT_SECRET,
            },
          },
        );
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
async function pickerRunning(tasks: readonly PickerTask[] = []) {
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
    firstPage: (context) =>
      createScopePicker(context, (s) => picked.push(s), tasks),
    signal: controller.signal,
  }).catch((error) => error);
  return {
    url: await page.promise,
    port,
    mock,
    picked,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await signIn;
      await mock.close();
    },
  };
}

/**
 * The picker's form as a browser without JavaScript sends it: the continue
 * address (spelled out: it is what users see) with the page's state and
 * `fields`.
 */
function continueUrl(pickerUrl: string, fields: [string, string][]): URL {
  const go = new URL("/twitch-auth/scopes/continue", pickerUrl);
  go.searchParams.set("state", new URL(pickerUrl).searchParams.get("state")!);
  for (const [name, value] of fields) go.searchParams.append(name, value);
  return go;
}

/** Sends the picker's form; asserts the 303 and returns where it sends the browser. */
async function sendPicked(go: URL): Promise<URL> {
  const answer = await fetch(go, { redirect: "manual" });
  await answer.body?.cancel();
  assertEquals(answer.status, 303);
  return new URL(answer.headers.get("Location")!);
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

  const go = continueUrl(picker.url, [
    ["scope", "chat:read"],
    ["scope", "<script>alert(1)</script>"],
    ["scope", "bits:read"],
  ]);
  const twitch = await sendPicked(go);
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

// -- tasks ---------------------------------------------------------------------

const TASKS_SCRIPT = decodeURIComponent(
  new URL("./_picker_tasks_browser.ts", import.meta.url).pathname,
);
// Written by hand from Twitch's reference: Ban User, Unban User, Get Banned
// Users, Delete Chat Messages, Update Chat Settings, Warn Chat User.
const MODERATE_CHAT = [
  "moderator:manage:banned_users",
  "moderator:manage:chat_messages",
  "moderator:manage:chat_settings",
  "moderator:manage:warnings",
].sort();

Deno.test({
  name:
    "picker tasks in Chromium: a task ticks its minimal scopes, extras warn, the sign-in asks for exactly the ticked ones",
  ignore: !chromiumAvailable,
  async fn() {
    await using picker = await pickerRunning(await pickerTasks());
    const report = await Deno.makeTempFile({ prefix: "twitch-auth-tasks-" });
    try {
      const child = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", TEST_LOCK_FLAG, TASKS_SCRIPT, picker.url, report],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(child.stderr);
      assert(child.success, stderr);
      const steps = JSON.parse(await Deno.readTextFile(report)) as {
        step: string;
        ticked: string[];
        warning: string | null;
        errors?: string[];
      }[];
      const at = (step: string) => steps.find((s) => s.step === step)!;
      assertEquals(at("start").ticked, []);
      assertEquals(at("task").ticked.sort(), MODERATE_CHAT);
      assertEquals(at("task").warning, null);
      assertEquals(at("two extra").warning, null);
      assertStringIncludes(
        at("three extra").warning!,
        "3 scopes the ticked tasks do not need (bits:read, channel:read:ads, clips:edit)",
      );
      // the task's scopes go; the ones ticked by hand stay
      assertEquals(at("task off").ticked.sort(), [
        "bits:read",
        "channel:read:ads",
        "clips:edit",
      ]);
      assertEquals(at("task again").ticked.sort(), MODERATE_CHAT);
      assertEquals(at("task again").errors, []);
      assertEquals(picker.picked.map((s) => s.toSorted()), [MODERATE_CHAT]);
      const authorize = picker.mock.requests.filter((r) =>
        r.pathname === "/oauth2/authorize"
      );
      assertEquals(
        authorize[0].query.get("scope")!.split(" ").toSorted(),
        MODERATE_CHAT,
      );
    } finally {
      await Deno.remove(report).catch(() => {});
    }
  },
});

Deno.test("picker tasks without JavaScript: a ticked task sends its scopes; the page shows why each is there", async () => {
  await using picker = await pickerRunning(await pickerTasks());
  const page = await fetch(picker.url);
  const html = await page.text();
  assertStringIncludes(html, "What will the app do?");
  assertStringIncludes(
    html,
    "Send Chat Message (POST /chat/messages) requires user:write:chat",
  );
  const csp = page.headers.get("Content-Security-Policy")!;
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  assertStringIncludes(html, `<script nonce="${nonce}">`);
  assert(WIDE_SELECTION_EXTRA > 1);
  const twitch = await sendPicked(
    continueUrl(picker.url, [
      ["task", "read chat"],
      ["task", "send chat messages"],
      ["scope", "bits:read"],
    ]),
  );
  assertEquals(
    twitch.searchParams.get("scope"),
    "user:read:chat user:write:chat bits:read",
  );
});
