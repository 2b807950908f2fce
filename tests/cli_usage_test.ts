// Usage errors that must name the option and what is wrong with it, checks
// that come before anything else happens (--output), and what the CLI says
// where no browser can open. The CLI runs as a subprocess.

import { assertEquals, assertFalse, assertStringIncludes } from "@std/assert";
import { startMockTwitch } from "../testing.ts";
import { argv, assertUsageError, runCli, spawnCli } from "./_cli.ts";
import { closedPort } from "./_util.ts";

const CREDENTIALS = {
  TWITCH_CLIENT_ID: "usage0client0id00000000000001",
  TWITCH_CLIENT_SECRET: "usage0client0secret0000000001",
};

Deno.test("each wrong option says what is wrong with which option (exit 2)", async (t) => {
  const cases: [string[], string][] = [
    [["app", "--output", ""], "--output needs a value, not an empty one"],
    [["app", "--client-id", ""], "--client-id needs a value"],
    [["-s", ""], "-s/--scopes needs scopes, not an empty value"],
    [["--browser", ""], "--browser needs a command"],
    [
      ["--port", "-1"],
      '--port must be a whole number from 1 to 65535, not "-1"',
    ],
    [["--timeout", "-5"], "--timeout must be a number of seconds from 0.001"],
    [
      ["--timeout", "0.0001"],
      "--timeout must be a number of seconds from 0.001",
    ],
    [["--timeout", "1e12"], "(about 24 days)"],
    [["--timeout", "Infinity"], "--timeout must be a number of seconds"],
    [
      ["--host", "evil.example"],
      '--host must be a loopback address (127.0.0.1, ::1 or localhost), not "evil.example"',
    ],
    [["--host", "8.8.8.8"], "the callback carries your authorization code"],
    [["--host", "0.0.0.0"], "every network interface"],
    [
      ["--redirect-url", "http://localhost:0"],
      "--redirect-url needs a real port from 1 to 65535, not 0",
    ],
    [
      ["--redirect-url", "https://localhost:8443"],
      "--redirect-url must start with http://",
    ],
    [
      ["--redirect-url", "http://example.com:3000"],
      "--redirect-url must point at this machine",
    ],
    [
      ["validate", "--demo", "abc"],
      'run "twitch-auth mock" in another terminal',
    ],
    [["refresh", "--demo", "abc"], "twitch-auth mock"],
    [["revoke", "--demo", "abc"], "twitch-auth mock"],
  ];
  for (const [args, message] of cases) {
    await t.step(JSON.stringify(args), async () => {
      const result = await runCli(args, { env: CREDENTIALS });
      assertUsageError(result, message);
      assertFalse(result.stderr.includes("os error"), result.stderr);
    });
  }
});

Deno.test("--host 127.0.0.1 and ::1 and localhost are accepted", async () => {
  // parsed, then the sign-in stops at the missing scopes: not at --host
  for (const host of ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"]) {
    const result = await runCli(["--host", host, "--no-browser"], {
      env: CREDENTIALS,
    });
    assertUsageError(result, "No scopes given");
  }
});

Deno.test("token without -s and with --no-browser is a usage error pointing to scopes and the picker", async () => {
  const result = await runCli(["--no-browser"], {
    env: { ...CREDENTIALS, DISPLAY: ":0" },
  });
  assertUsageError(
    result,
    "No scopes given",
    "scopes command",
    "a page lets you pick them",
  );
});

Deno.test("token where no browser can open (SSH) says so and suggests device; without -s it is a usage error", async () => {
  const ssh = { ...CREDENTIALS, SSH_CONNECTION: "10.0.0.2 50000 10.0.0.1 22" };
  const noScopes = await runCli([], { env: ssh });
  assertUsageError(
    noScopes,
    "No scopes given",
    "no browser can open here (this is an SSH session)",
  );

  const port = closedPort();
  await using mock = await startMockTwitch({
    clients: [{
      clientId: CREDENTIALS.TWITCH_CLIENT_ID,
      clientSecret: CREDENTIALS.TWITCH_CLIENT_SECRET,
      redirectUris: [`http://localhost:${port}`],
    }],
  });
  const cli = spawnCli(
    argv`-s chat:read --port ${
      String(port)
    } --auth-base-url ${mock.authBaseUrl} --timeout 0.5`,
    { env: ssh },
  );
  await cli.waitForStderr(/oauth2\/authorize\S+/);
  const result = await cli.finish();
  assertStringIncludes(
    result.stderr,
    "No browser can open here (this is an SSH session)",
  );
  assertStringIncludes(result.stderr, '"twitch-auth device"');
  assertStringIncludes(result.stderr, `ssh -L ${port}:localhost:${port}`);
});

Deno.test(
  "token on Linux without DISPLAY or WAYLAND_DISPLAY: no browser, suggests device",
  {
    ignore: Deno.build.os !== "linux",
  },
  async () => {
    const result = await runCli([], {
      env: {
        ...CREDENTIALS,
        DISPLAY: "",
        WAYLAND_DISPLAY: "",
        SSH_CONNECTION: "",
      },
    });
    assertUsageError(result, "neither DISPLAY nor WAYLAND_DISPLAY is set");
  },
);

Deno.test("the sign-in's timeout message says the redirect URL to register, in seconds", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  await using mock = await startMockTwitch({
    clients: [{
      clientId: CREDENTIALS.TWITCH_CLIENT_ID,
      clientSecret: CREDENTIALS.TWITCH_CLIENT_SECRET,
      redirectUris: [redirect],
    }],
  });
  const result = await runCli(
    argv`-s chat:read --no-browser --port ${
      String(port)
    } --auth-base-url ${mock.authBaseUrl} --timeout 0.5`,
    { env: CREDENTIALS },
  );
  assertEquals(result.code, 1, result.stderr);
  const waiting =
    `Waiting for Twitch to send the browser back to ${redirect}. If Twitch showed an error about the redirect URL, register exactly ${redirect}`;
  assertStringIncludes(result.stderr, waiting);
  const last = result.stderr.trimEnd().split("\n").at(-1)!;
  assertStringIncludes(last, "timed out after 0.5 seconds (--timeout)");
  assertStringIncludes(
    last,
    `register exactly ${redirect} as an OAuth Redirect URL`,
  );
  assertFalse(last.includes(" ms"), last);
});

Deno.test("--output is checked before the sign-in: a folder, a missing folder, a folder not writable", async (t) => {
  await using mock = await startMockTwitch();
  const dir = await Deno.makeTempDir();
  try {
    const locked = `${dir}/locked`;
    await Deno.mkdir(locked, { mode: 0o500 });
    const cases: [string, string][] = [
      [dir, "is a folder: give a file name"],
      [`${dir}/missing/token.json`, `the folder ${dir}/missing does not exist`],
      [`${dir}/file.txt/token.json`, "is not a folder"],
    ];
    await Deno.writeTextFile(`${dir}/file.txt`, "");
    if (Deno.uid?.() !== 0) {
      cases.push([`${locked}/token.json`, `cannot create a file in ${locked}`]);
    }
    for (const [output, message] of cases) {
      await t.step(output, async () => {
        for (
          const command of [["token", "-s", "chat:read"], [
            "device",
            "-s",
            "chat:read",
          ], ["app"]]
        ) {
          const result = await runCli(
            [
              ...command,
              ...argv`--auth-base-url ${mock.authBaseUrl} --no-browser --output ${output}`,
            ],
            { env: CREDENTIALS },
          );
          assertUsageError(result, `--output ${output}`, message);
        }
      });
    }
    assertEquals(mock.requests.length, 0, "nothing reached Twitch");
    const left = [];
    for await (const entry of Deno.readDir(dir)) left.push(entry.name);
    assertEquals(left.toSorted(), ["file.txt", "locked"]);
  } finally {
    await Deno.chmod(`${dir}/locked`, 0o700).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a request's timeout is told in seconds, the unit of --timeout", async () => {
  await using mock = await startMockTwitch();
  const { accessToken } = mock.issueUserToken();
  mock.injectFault({ path: "/oauth2/validate", delay: 5_000 });
  const result = await runCli(
    argv`validate - --auth-base-url ${mock.authBaseUrl} --timeout 0.2`,
    { stdin: accessToken },
  );
  assertEquals(result.code, 1, result.stderr);
  const last = result.stderr.trimEnd().split("\n").at(-1)!;
  assertStringIncludes(last, "timed out after 0.2 seconds");
  assertStringIncludes(last, "--timeout SECONDS");
  assertFalse(/\d ms\b/.test(last), last);
});
