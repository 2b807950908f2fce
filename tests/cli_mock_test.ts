// `twitch-auth mock` as its own process, used by other CLI processes and by
// an example: tokens it issues keep working across commands while it runs.

import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "../testing.ts";
import { answerPage } from "./_consent_page.ts";
import { argv, runCli, spawnCli, spawnDeno } from "./_cli.ts";
import { closedPort } from "./_util.ts";

interface RunningMock {
  env: Record<string, string>;
  stdout: string;
  stop(): Promise<{ code: number; stderr: string }>;
}

/** Starts `mod.ts mock` and reads its export lines into an environment. */
async function startMockProcess(args: string[]): Promise<RunningMock> {
  const cli = spawnCli(["mock", ...args]);
  const [stdout] = await cli.waitForStdout(
    /^[^]*export TWITCH_AUTH_BASE_URL=.*\n/,
  );
  const env: Record<string, string> = {};
  for (
    const line of stdout.split("\n").filter((l) => l.startsWith("export "))
  ) {
    for (const [, name, value] of line.matchAll(/(\w+)=(\S+)/g)) {
      env[name] = value;
    }
  }
  return {
    env,
    stdout,
    async stop() {
      cli.child.kill("SIGINT");
      const { code, stderr } = await cli.finish();
      return { code, stderr };
    },
  };
}

Deno.test("mock: one process serves token, device, validate, refresh and revoke run as other processes", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  const mock = await startMockProcess(["--redirect-url", redirect]);
  let stopped = false;
  try {
    assertEquals(mock.env.TWITCH_CLIENT_ID, DEMO_CLIENT_ID);
    assertEquals(mock.env.TWITCH_CLIENT_SECRET, DEMO_CLIENT_SECRET);
    assertMatch(
      mock.env.TWITCH_AUTH_BASE_URL,
      /^http:\/\/127\.0\.0\.1:\d+\/oauth2$/,
    );
    assertMatch(
      mock.env.TWITCH_HELIX_BASE_URL,
      /^http:\/\/127\.0\.0\.1:\d+\/helix$/,
    );
    assertStringIncludes(mock.stdout, "Ctrl+C");

    // token: the browser sign-in; the "user" presses Authorize on the mock's page
    const signIn = spawnCli(
      argv`-s chat:read --no-browser --redirect-url ${redirect} --format json --timeout 20`,
      { env: mock.env },
    );
    const [url] = await signIn.waitForStderr(
      /http:\/\/\S+\/oauth2\/authorize\S+/,
    );
    assertEquals(await answerPage(url), 200);
    const signedIn = await signIn.finish();
    assertEquals(signedIn.code, 0, signedIn.stderr);
    assertEquals(JSON.parse(signedIn.stdout).scope, ["chat:read"]);

    // device: the code typed on the mock's activation page
    const device = spawnCli(
      argv`device -s user:read:email --format json --timeout 20`,
      { env: { ...mock.env, TWITCH_CLIENT_SECRET: "" } },
    );
    const [verification] = await device.waitForStderr(
      /http:\/\/\S+\/activate\S+/,
    );
    assertEquals(await answerPage(verification), 200);
    const deviceResult = await device.finish();
    assertEquals(deviceResult.code, 0, deviceResult.stderr);
    const token = JSON.parse(deviceResult.stdout);

    // the same mock knows these tokens in the next processes
    const validated = await runCli(argv`validate - --format json`, {
      env: mock.env,
      stdin: token.access_token,
    });
    assertEquals(validated.code, 0, validated.stderr);
    assertEquals(JSON.parse(validated.stdout).login, "twitchdev");

    const refreshed = await runCli(argv`refresh - --format json`, {
      env: mock.env,
      stdin: token.refresh_token,
    });
    assertEquals(refreshed.code, 0, refreshed.stderr);
    const fresh = JSON.parse(refreshed.stdout).access_token;
    assert(fresh && fresh !== token.access_token);

    const revoked = await runCli(["revoke", "-"], {
      env: mock.env,
      stdin: fresh,
    });
    assertEquals(revoked.code, 0, revoked.stderr);
    const again = await runCli(["validate", "-"], {
      env: mock.env,
      stdin: fresh,
    });
    assertEquals(again.code, 1, again.stderr);

    const { code, stderr } = await mock.stop();
    stopped = true;
    assertEquals(code, 0, stderr);
    assertStringIncludes(stderr, "Mock Twitch stopped.");
  } finally {
    if (!stopped) await mock.stop();
  }
});

Deno.test("mock: examples/headless.ts runs against it with the pasted exports", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  const mock = await startMockProcess(["--redirect-url", redirect]);
  try {
    const example = spawnDeno(["run", "-A", "examples/headless.ts"], {
      env: { ...mock.env, TWITCH_REDIRECT_URL: redirect, NO_COLOR: "1" },
    });
    const [url] = await example.waitForStderr(
      /http:\/\/\S+\/oauth2\/authorize\S+/,
    );
    assertEquals(await answerPage(url), 200);
    const { code, stdout, stderr } = await example.finish();
    assertEquals(code, 0, stderr);
    assertStringIncludes(stdout, "Got a token for chat:read chat:edit");
  } finally {
    await mock.stop();
  }
});

Deno.test("mock --port: a port in use is named", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const result = await runCli(["mock", "--port", String(taken.addr.port)]);
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, `Port ${taken.addr.port}`);
    assertStringIncludes(result.stderr, "--port");
  } finally {
    taken.close();
  }
});

/** A device-flow token from the running mock, as a bot would hold it. */
async function deviceToken(
  env: Record<string, string>,
): Promise<
  { access_token: string; refresh_token: string; expires_in: number }
> {
  const device = spawnCli(
    ["device", "-s", "chat:read", "--format", "json", "--timeout", "20"],
    { env: { ...env, TWITCH_CLIENT_SECRET: "" } },
  );
  const [verification] = await device.waitForStderr(
    /http:\/\/\S+\/activate\S+/,
  );
  assertEquals(await answerPage(verification), 200);
  const result = await device.finish();
  assertEquals(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

Deno.test("mock --token-lifetime and repeated --redirect-url: the tokens live that long, both URLs are accepted and shown", async () => {
  const first = `http://localhost:${closedPort()}/callback`;
  const second = `http://127.0.0.1:${closedPort()}/auth`;
  const mock = await startMockProcess([
    "--token-lifetime",
    "5",
    "--redirect-url",
    first,
    "--redirect-url",
    second,
  ]);
  try {
    assertStringIncludes(mock.stdout, first);
    assertStringIncludes(mock.stdout, second);
    assertStringIncludes(mock.stdout, "Token lifetime: 5 s");
    const token = await deviceToken(mock.env);
    assert(token.expires_in <= 5, `expires_in ${token.expires_in}`);
    // the second URL is registered: Twitch's authorize redirects to it
    const authorize = await fetch(
      `${mock.env.TWITCH_AUTH_BASE_URL}/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: DEMO_CLIENT_ID,
        redirect_uri: second,
        scope: "chat:read",
        state: "s".repeat(32),
      })}`,
    );
    await authorize.body?.cancel();
    assertEquals(authorize.status, 200, "the consent page, not an error");
  } finally {
    await mock.stop();
  }
});

Deno.test("mock expire/revoke steer a running mock from another process; each request is one line on stderr without secrets", async () => {
  const mock = await startMockProcess([]);
  let stopped = false;
  try {
    const token = await deviceToken(mock.env);
    const validate = (access: string) =>
      runCli(["validate", "-"], { env: mock.env, stdin: access });
    assertEquals((await validate(token.access_token)).code, 0);

    const expired = await runCli(["mock", "expire", "--all"], {
      env: mock.env,
    });
    assertEquals(expired.code, 0, expired.stderr);
    assertStringIncludes(expired.stdout, "Expired 1 token.");
    assertEquals((await validate(token.access_token)).code, 1);
    // the refresh path still works after an expiry
    const refreshed = await runCli(["refresh", "-", "--format", "json"], {
      env: mock.env,
      stdin: token.refresh_token,
    });
    assertEquals(refreshed.code, 0, refreshed.stderr);
    const fresh = JSON.parse(refreshed.stdout);

    const revoked = await runCli(["mock", "revoke", "-"], {
      env: mock.env,
      stdin: fresh.refresh_token,
    });
    assertEquals(revoked.code, 0, revoked.stderr);
    assertEquals((await validate(fresh.access_token)).code, 1);
    const refreshAgain = await runCli(["refresh", "-"], {
      env: mock.env,
      stdin: fresh.refresh_token,
    });
    assertEquals(refreshAgain.code, 1, refreshAgain.stderr);

    const { code, stderr } = await mock.stop();
    stopped = true;
    assertEquals(code, 0, stderr);
    assertMatch(stderr, /POST \/oauth2\/token \(refresh_token\) -> 200/);
    assertMatch(stderr, /GET \/oauth2\/validate -> 401/);
    assertMatch(stderr, /POST \/mock\/control -> 200/);
    for (const secret of [token.access_token, token.refresh_token]) {
      assert(!stderr.includes(secret), "a token in the request lines");
    }
    assert(!stderr.includes(DEMO_CLIENT_SECRET), "the secret in the lines");
  } finally {
    if (!stopped) await mock.stop();
  }
});

Deno.test("mock expire: no running mock, no token, or an unknown one are clear errors", async () => {
  const dead = `http://127.0.0.1:${closedPort()}/oauth2`;
  const noMock = await runCli(["mock", "expire", "--all"], {
    env: { TWITCH_AUTH_BASE_URL: dead },
  });
  assertEquals(noMock.code, 1, noMock.stderr);
  assertStringIncludes(noMock.stderr, "No mock answers at");
  assertStringIncludes(noMock.stderr, "still running");

  const unset = await runCli(["mock", "expire", "--all"]);
  assertEquals(unset.code, 2, unset.stderr);
  assertStringIncludes(unset.stderr, "TWITCH_AUTH_BASE_URL");

  const neither = await runCli(["mock", "revoke"], {
    env: { TWITCH_AUTH_BASE_URL: dead },
  });
  assertEquals(neither.code, 2, neither.stderr);
  assertStringIncludes(neither.stderr, "--all");

  const mock = await startMockProcess([]);
  try {
    const unknown = await runCli(["mock", "expire", "-"], {
      env: mock.env,
      stdin: "not-a-token-of-this-mock",
    });
    assertEquals(unknown.code, 1, unknown.stderr);
    assertStringIncludes(unknown.stderr, "did not issue that token");
  } finally {
    await mock.stop();
  }
});

Deno.test("validate -: an empty pipe says the piped variable is not set", async () => {
  const result = await runCli(["validate", "-"], { stdin: "" });
  assertEquals(result.code, 2, result.stderr);
  assertStringIncludes(result.stderr, "stdin was empty");
});
