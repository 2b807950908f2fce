// `device`: the device code sign-in through the CLI, run as a subprocess
// against the mock Twitch: the user "types the code" through the mock's
// approveDevice/denyDevice, as on Twitch's activation page.

import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { tempDir, USER_TOKEN_FIELDS } from "./_util.ts";
import {
  argv,
  assertFailure,
  assertInterrupted,
  assertUsageError,
  runCli,
  spawnCli,
  validateOnMock,
} from "./_cli.ts";

const PUBLIC_ID = "device0public0client0id0000001";
const CONFIDENTIAL_ID = "device0conf0client0id000000001";
const CONFIDENTIAL_SECRET = "device0conf0client0secret00001";
const CODE = /enter the code: ([A-Z]{4})-([A-Z]{4})/;

function startMock(now?: () => number): Promise<MockTwitch> {
  return startMockTwitch({
    deviceInterval: 1,
    now,
    clients: [
      { clientId: PUBLIC_ID, redirectUris: [] },
      {
        clientId: CONFIDENTIAL_ID,
        clientSecret: CONFIDENTIAL_SECRET,
        redirectUris: [],
      },
    ],
  });
}

/** Starts `device` against the mock; resolves once the code is shown. */
async function startDevice(
  mock: MockTwitch,
  args: string[] = [],
  clientId = PUBLIC_ID,
) {
  const cli = spawnCli(
    [...argv`device -s chat:read --auth-base-url ${mock.authBaseUrl}`, ...args],
    { env: { TWITCH_CLIENT_ID: clientId } },
  );
  const [, first, second] = await cli.waitForStderr(CODE);
  return { cli, userCode: first + second };
}

Deno.test("device with a public client: URL and code on stderr, the tokens in a 0600 json file a bot reads", async () => {
  await using mock = await startMock();
  await using tmp = await tempDir();
  const dir = tmp.path;
  const file = `${dir}/token.json`;
  const { cli, userCode } = await startDevice(mock, [
    "--format",
    "json",
    "--output",
    file,
  ]);
  mock.approveDevice(userCode);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(
    result.stderr,
    `${mock.url}/activate?device-code=${userCode}`,
  );
  assertFalse(/[█▀▄]/.test(result.stderr), "no QR code off a terminal");
  assertFalse(result.stderr.includes("Ctrl+C"), "no progress line");
  const json = JSON.parse(await Deno.readTextFile(file));
  assertEquals(Object.keys(json), [
    ...USER_TOKEN_FIELDS,
    "obtained_at",
    "grant_type",
  ]);
  assertEquals(json.grant_type, "device_code");
  assertEquals(json.scope, ["chat:read"]);
  assert(Math.abs(json.obtained_at - Date.now()) < 60_000);
  assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  const validation = await validateOnMock(mock, json.access_token);
  assertEquals(validation.body.client_id, PUBLIC_ID);
  const polls = mock.requests.filter((r) => r.pathname === "/oauth2/token");
  assert(polls.every((r) => !r.form?.has("client_secret")));
  assertFalse(result.stderr.includes(json.access_token));
});

Deno.test("device with a confidential client needs no secret either; text names the user", async () => {
  await using mock = await startMock();
  const { cli, userCode } = await startDevice(mock, [], CONFIDENTIAL_ID);
  mock.approveDevice(userCode);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, /^Login: +twitchdev/m);
  assertMatch(result.stdout, /^Scopes: +chat:read$/m);
});

Deno.test("device: the user declines, exit 1 saying so", async () => {
  await using mock = await startMock();
  const { cli, userCode } = await startDevice(mock);
  mock.denyDevice(userCode);
  assertFailure(await cli.finish(), "denied");
});

Deno.test("device: slow_down from Twitch makes the CLI wait 5 s longer between polls", async () => {
  await using mock = await startMock();
  mock.injectFault({
    path: "/oauth2/token",
    status: 400,
    body: JSON.stringify({ status: 400, message: "slow_down" }),
    times: 1,
  });
  const { cli, userCode } = await startDevice(mock, ["--format", "json"]);
  mock.approveDevice(userCode);
  const shownAt = Date.now();
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  // first poll after 1 s gets slow_down; the next one comes 1 + 5 s later
  assert(Date.now() - shownAt >= 5_000, "polled again too soon");
  assertEquals(mock.countRequests({ pathname: "/oauth2/token" }), 2);
});

Deno.test("device: the code expires before it is entered, exit 1 saying to start again", async () => {
  let clock = Date.now();
  await using mock = await startMock(() => clock);
  const { cli } = await startDevice(mock);
  clock += 1801 * 1000; // Twitch's device codes last 1800 s
  const result = await cli.finish();
  assertFailure(result, "expired");
  assertStringIncludes(result.stderr, "start the device sign-in again");
});

Deno.test("device --timeout: exit 1 after that many seconds, said in seconds", async () => {
  await using mock = await startMock();
  const { cli } = await startDevice(mock, ["--timeout", "1.5"]);
  const result = await cli.finish();
  assertFailure(result, "timed out after 1.5 seconds (--timeout)");
});

Deno.test({
  name: "device: Ctrl+C while polling exits 130 and prints nothing on stdout",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using mock = await startMock();
    const { cli } = await startDevice(mock);
    cli.child.kill("SIGINT");
    const result = await cli.finish();
    assertInterrupted(
      result,
      "interrupted; nothing was kept: run device again for a new code.",
    );
    assertFalse(result.stderr.includes("callback server"), result.stderr);
  },
});

Deno.test("device without scopes is a usage error pointing to the scopes command", async () => {
  const result = await runCli(["device"], {
    env: { TWITCH_CLIENT_ID: PUBLIC_ID },
  });
  assertUsageError(result, "device needs the scopes", "scopes command");
});

Deno.test("device --demo: the mock approves by itself, a chat bot's scopes", async () => {
  const result = await runCli(argv`device --demo --format json`);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(JSON.parse(result.stdout).scope, ["chat:read", "chat:edit"]);
});
