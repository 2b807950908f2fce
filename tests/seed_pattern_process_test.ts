// The seed's pattern across real processes: `new Twitch(id)` + `await new
// UserTokenStorage(twitch, scopes, { path }).bind()` + five
// `twitch.fetch("users")` in 2 and in 4 processes at once on one token file,
// with a public client (one-time refresh tokens) whose token the CLI got by
// the device flow from the mock and wrote with `--format json --output`.
// The token is expired at the mock before each round: the processes must
// make exactly one refresh request between them per expiry, every process
// must keep working, the file must keep Twitch's spelling (what `jq -r
// .access_token` reads), and the stored refresh token must still work.
// The workers are tests/_seed_pattern_worker.ts.

import { assert, assertEquals, assertNotEquals } from "@std/assert";
import {
  AccessToken,
  FileTokenStore,
  refreshAccessToken,
  Twitch,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { deviceTokenFile } from "./_cli.ts";

const WORKER = new URL("./_seed_pattern_worker.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;
const PUBLIC_ID = "seed0pattern0public0client0001";

interface Env extends AsyncDisposable {
  mock: MockTwitch;
  path: string;
}

/** The mock, and a token file the CLI wrote through the device flow. */
async function setup(): Promise<Env> {
  const mock = await startMockTwitch({
    deviceInterval: 1,
    clients: [{ clientId: PUBLIC_ID, redirectUris: [] }],
  });
  const dir = await Deno.makeTempDir({ prefix: "seed_pattern_" });
  const path = `${dir}/bot_token.json`;
  await deviceTokenFile(mock, PUBLIC_ID, path);
  return {
    mock,
    path,
    async [Symbol.asyncDispose]() {
      await mock.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** `jq -r FIELD path`, as a user's script reads the token file. */
async function jq(field: string, path: string): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command("jq", {
    args: ["-r", field, path],
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  return new TextDecoder().decode(stdout).trim();
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `count` workers of the seed's pattern, all started at once. */
async function runWorkers(env: Env, count: number): Promise<Outcome[]> {
  const job = JSON.stringify({
    path: env.path,
    clientId: PUBLIC_ID,
    authBaseUrl: env.mock.authBaseUrl,
    helixBaseUrl: env.mock.helixBaseUrl,
  });
  const children = Array.from(
    { length: count },
    () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", WORKER, job],
        cwd: ROOT,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn(),
  );
  const outputs = children.map((child) => ({
    stdout: child.stdout.pipeThrough(new TextDecoderStream()).getReader(),
    stderr: new Response(child.stderr).text(),
  }));
  // Wait until every worker has loaded the module, then start them together.
  const firstLines = await Promise.all(outputs.map(async ({ stdout }) => {
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await stdout.read();
      if (done) break;
      text += value;
    }
    return text;
  }));
  firstLines.forEach((line) => assertEquals(line.split("\n")[0], "ready"));
  const go = new TextEncoder().encode("go\n");
  await Promise.all(children.map(async (child) => {
    const writer = child.stdin.getWriter();
    await writer.write(go);
    await writer.close();
  }));
  return await Promise.all(children.map(async (child, i) => {
    let rest = firstLines[i].slice(firstLines[i].indexOf("\n") + 1);
    for (;;) {
      const { value, done } = await outputs[i].stdout.read();
      if (done) break;
      rest += value;
    }
    const { code } = await child.status;
    return { code, stdout: rest, stderr: await outputs[i].stderr };
  }));
}

for (const count of [2, 4]) {
  Deno.test(`the seed's pattern in ${count} processes on one file: one refresh per expiry, every process works, Twitch's spelling kept`, async () => {
    await using env = await setup();
    const refreshes = () =>
      env.mock.countRequests({ grantType: "refresh_token" });
    let accessToken = await jq(".access_token", env.path);
    assertEquals(accessToken.length > 0 && accessToken !== "null", true);
    for (let round = 1; round <= 3; round++) {
      env.mock.expireAccessToken(accessToken);
      const outcomes = await runWorkers(env, count);
      for (const outcome of outcomes) {
        assertEquals(outcome.code, 0, outcome.stderr);
        const { statuses, logins } = JSON.parse(outcome.stdout);
        assertEquals(statuses, [200, 200, 200, 200, 200]);
        assertEquals(new Set(logins).size, 1);
      }
      assertEquals(refreshes(), round, `refreshes after round ${round}`);
      const now = await jq(".access_token", env.path);
      assertNotEquals(now, accessToken);
      assertNotEquals(now, "null");
      accessToken = now;
      const data = JSON.parse(await Deno.readTextFile(env.path));
      assert(!("accessToken" in data), "no second spelling in the file");
      assertEquals(data.scope, ["chat:read"]);
    }
    assertEquals(
      env.mock.countRequests({ grantType: "authorization_code" }),
      0,
    );
    // The refresh token the file holds is the live one.
    const fresh = await refreshAccessToken(
      await jq(".refresh_token", env.path),
      PUBLIC_ID,
      undefined,
      { authBaseUrl: env.mock.authBaseUrl },
    );
    assert(fresh.accessToken);
  });
}

Deno.test("the CLI's token file keeps Twitch's spelling through refreshes by a Twitch on a FileTokenStore", async () => {
  await using env = await setup();
  const cliText = JSON.parse(await Deno.readTextFile(env.path));
  using twitch = new Twitch(PUBLIC_ID, undefined, {
    authBaseUrl: env.mock.authBaseUrl,
    helixBaseUrl: env.mock.helixBaseUrl,
    store: new FileTokenStore(env.path),
  });
  assertEquals(await twitch.getUserAuthToken(), cliText.access_token);
  for (let i = 0; i < 4; i++) {
    const before = await jq(".access_token", env.path);
    const refreshed = await twitch.refreshUserToken();
    assertNotEquals(refreshed.accessToken, before);
    assertEquals(await jq(".access_token", env.path), refreshed.accessToken);
    assertEquals(await jq(".refresh_token", env.path), refreshed.refreshToken);
    const data = JSON.parse(await Deno.readTextFile(env.path));
    assertEquals(
      AccessToken.fromJSON(data).toJSON(),
      (await twitch.getUserToken())!.toJSON(),
    );
    // The CLI's fields, in its order, then the store's own.
    assertEquals(Object.keys(data), [...Object.keys(cliText), "version"]);
  }
  assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 4);
  assertEquals((await twitch.fetch("users")).status, 200);
});
