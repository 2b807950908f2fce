// `--for` on the command line, run as a subprocess: `scopes --for` prints the
// minimal scopes and the -s to use, `token`/`device --for` get a token from
// the mock with exactly those scopes, `validate --for` shows what a token
// covers and what it lacks.

import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import {
  argv,
  assertUsageError,
  followAuthorizeUrl,
  runCli,
  spawnCli,
  validateOnMock,
} from "./_cli.ts";
import { closedPort } from "./_util.ts";

const CLIENT_ID = "scopes0cli0client0id0000000001";
const CLIENT_SECRET = "scopes0cli0client0secret000001";
const ENV = {
  TWITCH_CLIENT_ID: CLIENT_ID,
  TWITCH_CLIENT_SECRET: CLIENT_SECRET,
};
// Written by hand from Twitch's reference (Ban User, Unban User, Get Banned
// Users, Delete Chat Messages, Update Chat Settings, Warn Chat User).
const MODERATE_CHAT = [
  "moderator:manage:banned_users",
  "moderator:manage:chat_messages",
  "moderator:manage:chat_settings",
  "moderator:manage:warnings",
];

function startMock(redirectUris: string[] = []): Promise<MockTwitch> {
  return startMockTwitch({
    deviceInterval: 1,
    consent: "approve",
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris,
    }],
  });
}

/** A token from the mock through `device --for`, approved like a user would. */
async function deviceToken(
  mock: MockTwitch,
  args: string[],
): Promise<{ code: number; json: { access_token: string; scope: string[] } }> {
  const cli = spawnCli(
    [
      "device",
      ...args,
      "--auth-base-url",
      mock.authBaseUrl,
      "--format",
      "json",
    ],
    { env: ENV },
  );
  const [, first, second] = await cli.waitForStderr(
    /enter the code: ([A-Z]{4})-([A-Z]{4})/,
  );
  mock.approveDevice(first + second);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  return { code: result.code, json: JSON.parse(result.stdout) };
}

Deno.test("scopes --for prints the minimal scopes, why, and the -s to use", async () => {
  const result = await runCli([
    "scopes",
    "--for",
    "read chat,send chat",
    "--for",
    "channel.follow",
  ]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(
    result.stdout,
    "Scopes: user:read:chat user:write:chat moderator:read:followers\n",
  );
  assertStringIncludes(
    result.stdout,
    'Use: twitch-auth -s "user:read:chat user:write:chat moderator:read:followers"',
  );
  assertStringIncludes(
    result.stdout,
    "user:write:chat: Send Chat Message (POST /chat/messages) requires user:write:chat",
  );
  assertStringIncludes(
    result.stdout,
    "channel.follow (either token; channel.follow@2)",
  );

  const json = await runCli([
    "scopes",
    "--for",
    "GET /polls,Create Poll",
    "--format",
    "json",
  ]);
  assertEquals(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assertEquals(parsed.scopes, ["channel:manage:polls"]);
  assertEquals(parsed.flag, '-s "channel:manage:polls"');
  assertEquals(
    parsed.needs[0].sources,
    ["https://dev.twitch.tv/docs/api/reference/#get-polls"],
  );
});

Deno.test("scopes --for tasks lists the tasks; an unknown need is a usage error naming the closest", async () => {
  const tasks = await runCli(["scopes", "--for", "tasks"]);
  assertEquals(tasks.code, 0, tasks.stderr);
  assertMatch(tasks.stdout, /^moderate chat: moderator:manage:banned_users /m);
  const typo = await runCli(["scopes", "--for", "moderate chta"]);
  assertUsageError(typo, 'Unknown need "moderate chta"', '"moderate chat"');
  const wrong = await runCli(["app", "--for", "clips"], { env: ENV });
  assertUsageError(
    wrong,
    "--for works with token, device, scopes and validate",
  );
  const empty = await runCli(["scopes", "--for", "clips,"]);
  assertUsageError(empty, "--for needs endpoints");
});

Deno.test("device --for: the token carries exactly the needs' minimal scopes (and -s's)", async () => {
  await using mock = await startMock();
  const { json } = await deviceToken(mock, ["--for", "moderate chat"]);
  assertEquals(json.scope.toSorted(), MODERATE_CHAT);
  const validation = await validateOnMock(mock, json.access_token);
  assertEquals((validation.body.scopes as string[]).toSorted(), MODERATE_CHAT);
  const start = mock.requests.find((r) => r.pathname === "/oauth2/device")!;
  assertEquals(start.form!.get("scopes")!.split(" ").toSorted(), MODERATE_CHAT);

  const both = await deviceToken(mock, [
    "-s",
    "bits:read",
    "--for",
    "read chat",
  ]);
  assertEquals(both.json.scope.toSorted(), ["bits:read", "user:read:chat"]);
});

Deno.test("token --for: the browser sign-in asks for exactly the needs' scopes, no picker", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  await using mock = await startMock([redirect]);
  const cli = spawnCli(
    argv`--for ${"polls and predictions,clips"} --no-browser --auth-base-url ${mock.authBaseUrl} --port ${port} --redirect-url ${redirect} --timeout 10 --format json`,
    { env: ENV },
  );
  const [url] = await cli.waitForStderr(/http:\/\/\S+\/oauth2\/authorize\S+/);
  assertEquals(await followAuthorizeUrl(url), 200);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  const expected = [
    "channel:manage:polls",
    "channel:manage:predictions",
    "clips:edit",
  ];
  const json = JSON.parse(result.stdout);
  assertEquals(json.scope.toSorted(), expected);
  const validation = await validateOnMock(mock, json.access_token);
  assertEquals((validation.body.scopes as string[]).toSorted(), expected);
  assert(!result.stderr.includes("scope picker"));
});

Deno.test("validate --for: which needs the token covers, which scopes are missing; exit 1 when any is", async () => {
  await using mock = await startMock();
  const { json } = await deviceToken(mock, ["--for", "read chat"]);
  const validate = (needs: string, ...args: string[]) =>
    runCli(
      [
        "validate",
        "-",
        "--for",
        needs,
        "--auth-base-url",
        mock.authBaseUrl,
        ...args,
      ],
      { env: ENV, stdin: json.access_token },
    );
  const covered = await validate("read chat");
  assertEquals(covered.code, 0, covered.stderr);
  assertStringIncludes(covered.stdout, "  covered  read chat");

  const text = await validate("read chat,send chat,GET /chat/chatters");
  assertEquals(text.code, 1, text.stderr);
  assertStringIncludes(text.stdout, "  covered  read chat\n");
  assertStringIncludes(
    text.stdout,
    "  MISSING  send chat: add user:write:chat\n",
  );
  assertStringIncludes(
    text.stdout,
    "  MISSING  GET /chat/chatters: add moderator:read:chatters\n",
  );
  assertStringIncludes(
    text.stdout,
    'Sign in again with -s "user:read:chat user:write:chat moderator:read:chatters"',
  );
  assertStringIncludes(
    text.stderr,
    "the token lacks user:write:chat, moderator:read:chatters",
  );
  assert(!text.stderr.includes(json.access_token));

  const asJson = await validate("send chat", "--format", "json");
  assertEquals(asJson.code, 1);
  const parsed = JSON.parse(asJson.stdout);
  assertEquals(parsed.missing, ["user:write:chat"]);
  assertEquals(parsed.needs, [{
    need: "send chat",
    covered: false,
    missing: ["user:write:chat"],
  }]);
  assertEquals(parsed.scopes, ["user:read:chat"]);
});
