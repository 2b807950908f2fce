// The scope picker starts from tasks: driven in real headless Chromium (skipped
// only without Chromium); the no-JavaScript path over plain HTTP.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { Twitch, UserAuthenticator } from "../mod.ts";
import {
  createScopePicker,
  pickerTasks,
  WIDE_SELECTION_EXTRA,
} from "../src/deno/_scope_picker.ts";
import { startMockTwitch } from "../testing.ts";
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
  new URL("./_picker_tasks_browser.ts", import.meta.url).pathname,
);
const CLIENT_ID = "pickertasks0client0id000000001";
const CLIENT_SECRET = "pickertasks0client0secret00001";
// Written by hand from Twitch's reference: Ban User, Unban User, Get Banned
// Users, Delete Chat Messages, Update Chat Settings, Warn Chat User.
const MODERATE_CHAT = [
  "moderator:manage:banned_users",
  "moderator:manage:chat_messages",
  "moderator:manage:chat_settings",
  "moderator:manage:warnings",
].sort();

async function pickerRunning() {
  const port = closedPort();
  const mock = await startMockTwitch({
    consent: "page",
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`http://localhost:${port}`],
    }],
  });
  const auth = new UserAuthenticator(
    new Twitch(CLIENT_ID, CLIENT_SECRET, { authBaseUrl: mock.authBaseUrl }),
    [],
    { url: `http://localhost:${port}` },
  );
  const tasks = await pickerTasks();
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
    mock,
    picked,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await signIn;
      await mock.close();
    },
  };
}

Deno.test({
  name:
    "picker tasks in Chromium: a task ticks its minimal scopes, extras warn, the sign-in asks for exactly the ticked ones",
  ignore: !chromiumAvailable,
  async fn() {
    await using picker = await pickerRunning();
    const report = await Deno.makeTempFile({ prefix: "twitch-auth-tasks-" });
    try {
      const child = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", TEST_LOCK_FLAG, SCRIPT, picker.url, report],
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
  await using picker = await pickerRunning();
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
  const next = new URL("/twitch-auth/scopes/continue", picker.url);
  next.searchParams.set(
    "state",
    new URL(picker.url).searchParams.get("state")!,
  );
  next.searchParams.append("task", "read chat");
  next.searchParams.append("task", "send chat messages");
  next.searchParams.append("scope", "bits:read");
  const redirect = await fetch(next, { redirect: "manual" });
  await redirect.body?.cancel();
  assertEquals(redirect.status, 303);
  assertEquals(
    new URL(redirect.headers.get("Location")!).searchParams.get("scope"),
    "user:read:chat user:write:chat bits:read",
  );
});
