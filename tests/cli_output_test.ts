// `--output` as the CLI writes it, run as a subprocess against the mock:
// nothing lost when the file cannot be written after the sign-in (a file
// beside it, or stdout), an existing .env keeps its other lines, and a JSON
// file that is not a token file is not replaced without --force.

import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import {
  argv,
  followAuthorizeUrl,
  runCli,
  spawnCli,
  validateOnMock,
} from "./_cli.ts";
import { approvingMock, closedPort, posixTest, tempDir } from "./_util.ts";

const CLIENT_ID = "cli0output0client0id0000000001";
const CLIENT_SECRET = "cli0output0client0secret000001";

async function namesIn(dir: string): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/**
 * Signs in with `--no-browser --output FILE`; once the URL is printed (the
 * pre-check of FILE passed), `sabotage` runs, then the browser approves.
 */
async function signInThenSabotage(
  file: string,
  sabotage: () => Promise<void>,
): Promise<{ code: number; stdout: string; stderr: string; mock: MockTwitch }> {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  const mock = await approvingMock(redirect, [], {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  const cli = spawnCli(
    argv`--auth-base-url ${mock.authBaseUrl} --port ${port} --redirect-url ${redirect} --timeout 20 --no-browser -s chat:read --format json --output ${file}`,
    {
      env: { TWITCH_CLIENT_ID: CLIENT_ID, TWITCH_CLIENT_SECRET: CLIENT_SECRET },
    },
  );
  const [url] = await cli.waitForStderr(/http:\/\/127\.0\.0\.1:\d+\/\S+/);
  await sabotage();
  assertEquals(await followAuthorizeUrl(url), 200);
  return { ...await cli.finish(), mock };
}

Deno.test("token --output: a file that cannot be written after the sign-in leaves the tokens in a 0600 file beside it, and exit 1 says where", async () => {
  await using temp = await tempDir();
  const file = `${temp.path}/token.json`;
  // someone makes the path a folder between the pre-check and the write
  const result = await signInThenSabotage(file, () => Deno.mkdir(file));
  await using _ = result.mock;
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "");
  const last = result.stderr.trimEnd().split("\n").at(-1)!;
  const saved = last.match(/saved to (\S+) instead/)?.[1] ?? "";
  assert(saved, last);
  assertStringIncludes(last, `Could not write ${file}`);
  assertEquals((await namesIn(temp.path)).length, 2); // the folder, the file
  const token = JSON.parse(await Deno.readTextFile(saved));
  assertEquals((await Deno.stat(saved)).mode! & 0o777, 0o600);
  assertEquals(
    (await validateOnMock(result.mock, token.access_token)).status,
    200,
  );
  assert(!result.stderr.includes(token.access_token), result.stderr);
});

posixTest(
  "token --output: when no file beside it can be written either, the tokens go to stdout (not a terminal here), and exit 1 says so",
  async (dir) => {
    const folder = `${dir}/shared`;
    await Deno.mkdir(folder);
    const file = `${folder}/token.json`;
    // the folder becomes writable by everyone: no secret file goes there
    const result = await signInThenSabotage(
      file,
      () => Deno.chmod(folder, 0o777),
    );
    await using _ = result.mock;
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, "printed on stdout instead");
    const token = JSON.parse(result.stdout);
    assertEquals(
      (await validateOnMock(result.mock, token.access_token)).status,
      200,
    );
    assertEquals(await namesIn(folder), []);
  },
);

/** A mock and the environment of `refresh` against it. */
async function refreshSetup() {
  const mock = await startMockTwitch({
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [],
    }],
  });
  const env = {
    TWITCH_CLIENT_ID: CLIENT_ID,
    TWITCH_CLIENT_SECRET: CLIENT_SECRET,
    TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
  };
  return {
    mock,
    env,
    refreshToken: () =>
      mock.issueUserToken({ scopes: ["chat:read"] }).refreshToken,
  };
}

Deno.test("--format env --output .env updates its TWITCH_* lines and keeps every other line", async () => {
  await using temp = await tempDir();
  const setup = await refreshSetup();
  await using _ = setup.mock;
  const file = `${temp.path}/.env`;
  const before = [
    "# the app's settings",
    "DATABASE_URL=postgres://app@localhost/app",
    "TWITCH_ACCESS_TOKEN=old0access0token",
    "",
    "export PORT=8080",
    "TWITCH_ACCESS_TOKEN=a0second0old0line",
  ];
  await Deno.writeTextFile(file, before.join("\n") + "\n");
  const result = await runCli(
    ["refresh", setup.refreshToken(), "--format", "env", "--output", file],
    { env: setup.env },
  );
  assertEquals(result.code, 0, result.stderr);
  const lines = (await Deno.readTextFile(file)).split("\n");
  assertEquals(lines.slice(0, 2), before.slice(0, 2));
  assertMatch(lines[2], /^TWITCH_ACCESS_TOKEN=[a-z0-9]{30}$/);
  assertEquals(lines.slice(3, 5), ["", "export PORT=8080"]);
  assertEquals(lines[5], `TWITCH_CLIENT_ID=${CLIENT_ID}`);
  assertMatch(lines[6], /^TWITCH_REFRESH_TOKEN=[a-z0-9]{50}$/);
  assertEquals(lines.slice(7), [""]);
  assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  const access = lines[2].split("=")[1];
  assertEquals((await validateOnMock(setup.mock, access)).status, 200);
});

Deno.test("--format json --output: a file that is not a token file is refused before any request (--force replaces it); a token file is replaced", async () => {
  await using temp = await tempDir();
  const setup = await refreshSetup();
  await using _ = setup.mock;
  const file = `${temp.path}/settings.json`;
  const settings = '{"name": "my bot", "channels": ["a", "b"]}\n';
  await Deno.writeTextFile(file, settings);
  const args = [
    "refresh",
    setup.refreshToken(),
    "--format",
    "json",
    "--output",
    file,
  ];
  const refused = await runCli(args, { env: setup.env });
  assertEquals(refused.code, 2, refused.stderr);
  assertStringIncludes(
    refused.stderr,
    `--output ${file} already exists and is not a token file`,
  );
  assertStringIncludes(refused.stderr, "--force");
  assertEquals(await Deno.readTextFile(file), settings);
  assertEquals(setup.mock.countRequests({ grantType: "refresh_token" }), 0);

  const forced = await runCli([...args, "--force"], { env: setup.env });
  assertEquals(forced.code, 0, forced.stderr);
  const first = JSON.parse(await Deno.readTextFile(file));
  assertEquals(first.scope, ["chat:read"]);

  // now a token file: replaced without --force
  const again = await runCli(
    ["refresh", first.refresh_token, "--format", "json", "--output", file],
    { env: setup.env },
  );
  assertEquals(again.code, 0, again.stderr);
  const second = JSON.parse(await Deno.readTextFile(file));
  assert(second.access_token !== first.access_token);
});

posixTest(
  "--output in a folder other users can write, or through a link, is refused before any request",
  async (dir) => {
    const setup = await refreshSetup();
    await using _ = setup.mock;
    const shared = `${dir}/shared`;
    await Deno.mkdir(shared);
    await Deno.chmod(shared, 0o777);
    const link = `${dir}/link.json`;
    await Deno.symlink(`${dir}/elsewhere.json`, link);
    for (
      const [file, reason] of [
        [`${shared}/token.json`, "other users can write to the folder"],
        [link, "it is a symbolic link"],
      ]
    ) {
      const result = await runCli(
        ["refresh", setup.refreshToken(), "--format", "json", "--output", file],
        { env: setup.env },
      );
      assertEquals(result.code, 2, result.stderr);
      assertStringIncludes(result.stderr, `--output ${file}: `);
      assertStringIncludes(result.stderr, reason);
    }
    assertEquals(setup.mock.countRequests({ grantType: "refresh_token" }), 0);
    assertEquals(await namesIn(shared), []);
    assertEquals(await namesIn(dir), ["link.json", "shared"]);
  },
);
