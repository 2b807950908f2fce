// The command line, run as a subprocess (`deno run -A mod.ts ...`) against the
// mock Twitch, with the browser played by tests/_fetch_browser.ts. A few tests
// call main() in-process with a fake terminal (prompt, progress line, Ctrl+C).

import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import denoJson from "../deno.json" with { type: "json" };
import { SCOPE_DESCRIPTIONS } from "../mod.ts";
import { type CliIo, main } from "../src/cli/_main.ts";
import { ProgressLine, renderProgress } from "../src/cli/_progress.ts";
import {
  type ConsentMode,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  type MockTwitch,
  startMockTwitch,
} from "../testing.ts";
import { closedPort, tempDir, USER_TOKEN_FIELDS } from "./_util.ts";
import {
  argv,
  assertFailure,
  assertInterrupted,
  assertUsageError,
  type CliResult,
  followAuthorizeUrl,
  runCli,
  spawnCli,
  validateOnMock,
} from "./_cli.ts";

const ROOT = new URL("..", import.meta.url);
const CLIENT_ID = "cli0test0client0id000000000001";
const CLIENT_SECRET = "cli0test0client0secret00000001";
const FAKE_BROWSER = `"${Deno.execPath()}" run -A tests/_fetch_browser.ts`;

function startMock(
  consent: ConsentMode,
  redirectUris: string[] = [],
): Promise<MockTwitch> {
  return startMockTwitch({
    consent,
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris,
    }],
  });
}

/** A mock and the arguments and environment of a sign-in against it. */
interface SignInSetup extends AsyncDisposable {
  mock: MockTwitch;
  port: number;
  args: string[];
  env: Record<string, string>;
}

async function signInSetup(consent: ConsentMode): Promise<SignInSetup> {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  const mock = await startMock(consent, [redirect]);
  return {
    mock,
    port,
    args:
      argv`--auth-base-url ${mock.authBaseUrl} --port ${port} --redirect-url ${redirect} --timeout 10`,
    env: cliEnv(),
    [Symbol.asyncDispose]: () => mock.close(),
  };
}

/** The app's client id and secret (unless `secret` is false), and the mock's URL when given. */
function cliEnv(
  mock?: MockTwitch,
  { secret = true } = {},
): Record<string, string> {
  return {
    TWITCH_CLIENT_ID: CLIENT_ID,
    ...(secret ? { TWITCH_CLIENT_SECRET: CLIENT_SECRET } : {}),
    ...(mock ? { TWITCH_AUTH_BASE_URL: mock.authBaseUrl } : {}),
  };
}

/** Does what a browser does with the authorize URL: follow the redirect to the callback. */
function assertNoSecretsOnStderr(result: CliResult, secrets: string[] = []) {
  const printed = result.stdout.match(/\b[a-z0-9]{30,}\b/g) ?? [];
  for (
    const secret of [CLIENT_SECRET, DEMO_CLIENT_SECRET, ...secrets, ...printed]
  ) {
    if (secret === CLIENT_ID || secret === DEMO_CLIENT_ID) continue;
    assertFalse(
      result.stderr.includes(secret),
      `stderr shows the secret ${secret}: ${result.stderr}`,
    );
  }
}

/** Exit code 2, the message on stderr, a pointer to --help, nothing on stdout. */
const ESC = String.fromCharCode(0x1b);

/** The options each command's help lists; the others it must not list. */
const OUTPUT = [
  "--auth-base-url",
  "--format",
  "--output",
  "--force",
  "--timeout",
];
const OPTIONS_OF: Record<string, string[]> = {
  token: [
    "--client-id",
    "--client-secret",
    "-s, --scopes",
    "--for",
    "--force-verify",
    "--port",
    "--host",
    "--redirect-url",
    "--no-browser",
    "--browser",
    ...OUTPUT,
    "--demo",
  ],
  device: ["--client-id", "-s, --scopes", "--for", ...OUTPUT, "--demo"],
  app: ["--client-id", "--client-secret", ...OUTPUT, "--demo"],
  validate: ["--for", ...OUTPUT],
  refresh: ["--client-id", "--client-secret", ...OUTPUT],
  revoke: ["--client-id", ...OUTPUT],
  scopes: ["--for", "--format", "--output", "--force"],
  mock: ["--port", "--redirect-url", "--token-lifetime", "--all"],
};

// -- help and version ----------------------------------------------------------

Deno.test("-h and --help print the commands, every option, examples and exit codes on stdout", async () => {
  for (const flag of ["-h", "--help"]) {
    const result = await runCli([flag]);
    assertEquals(result.code, 0);
    assertEquals(result.stderr, "");
    for (
      const text of [
        "Usage:",
        "Examples:",
        "Exit codes:",
        "token",
        "app",
        "validate [TOKEN]",
        "refresh [REFRESH_TOKEN]",
        "revoke [TOKEN]",
        "scopes",
        "TWITCH_CLIENT_SECRET",
        "--browser CMD",
        ...Object.values(OPTIONS_OF).flat(),
        "-V, --version",
        "https://dev.twitch.tv/console/apps",
      ]
    ) assertStringIncludes(result.stdout, text);
  }
});

Deno.test("COMMAND --help (or -h before it) prints that command's usage, its options only, and examples", async () => {
  const all = [...new Set(Object.values(OPTIONS_OF).flat())];
  const results = await Promise.all(
    Object.keys(OPTIONS_OF).map((command) =>
      runCli(command === "mock" ? ["-h", command] : [command, "--help"])
    ),
  );
  for (const [i, command] of Object.keys(OPTIONS_OF).entries()) {
    const { code, stdout, stderr } = results[i];
    assertEquals([code, stderr], [0, ""], command);
    assertMatch(stdout, new RegExp(`^Usage: twitch-auth ${command} `));
    assertStringIncludes(stdout, "Examples:");
    assertStringIncludes(stdout, "-h, --help");
    for (const option of all) {
      assertEquals(
        stdout.includes(`\n  ${option} `),
        OPTIONS_OF[command].includes(option),
        `${command} --help and ${option}:\n${stdout}`,
      );
    }
  }
});

Deno.test("-V and --version print the version of deno.json", async () => {
  for (const flag of ["-V", "--version"]) {
    const result = await runCli([flag]);
    assertEquals(result.code, 0);
    assertEquals(result.stdout, `twitch-auth ${denoJson.version}\n`);
    assertEquals(result.stderr, "");
  }
});

Deno.test("importing mod.ts does not load the CLI, @std/cli, the mock or jose", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "mod.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: {
        code?: { specifier: string };
        isDynamic?: boolean;
      }[];
    }[];
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const loaded = new Set<string>();
  const visit = (specifier: string) => {
    if (loaded.has(specifier)) return;
    loaded.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dependency.isDynamic && dependency.code) {
        visit(dependency.code.specifier);
      }
    }
  };
  visit(graph.roots[0]);
  assert(loaded.size > 5, [...loaded].join("\n"));
  // The CLI and what only it uses, the whole mock (any src/testing/ file, or
  // testing.ts), and jose (loaded on the first ID token verification): none
  // of it may load with the library, or every start pays for it.
  const notAtStart = [...loaded].filter((s) =>
    /\/src\/cli\/|\/src\/testing\/|\/testing\.ts$|deno-std@[^/]+\/cli\/|prompt|uqr|scope_picker|npm:\/?jose@/
      .test(s)
  );
  assertEquals(notAtStart, []);
  // Not even behind a literal import(): mod.ts computes the CLI's
  // specifier, so Deno's graph never reads it (tests/import_graph_test.ts).
  assertEquals(
    graph.modules.filter((m) => m.specifier.includes("/src/cli/")),
    [],
  );
});

// -- token: the browser sign-in ------------------------------------------------

Deno.test("token --format json: the browser follows the redirect, Twitch's fields come out on stdout", async () => {
  await using setup = await signInSetup("approve");
  const { mock } = setup;
  const result = await runCli([
    "token",
    ...setup.args,
    ...argv`--client-id ${CLIENT_ID} --client-secret ${CLIENT_SECRET} -s ${"chat:read chat:edit"} --scopes bits:read,chat:read --force-verify --browser ${FAKE_BROWSER} --format json`,
  ]);
  assertEquals(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assertEquals(Object.keys(json), [
    ...USER_TOKEN_FIELDS,
    "obtained_at",
    "grant_type",
  ]);
  // The browser sign-in is the code flow: refreshing needs the secret.
  assertEquals(json.grant_type, "authorization_code");
  assertEquals(json.scope, ["chat:read", "chat:edit", "bits:read"]);
  assertEquals(json.token_type, "bearer");
  assert(json.expires_in > 14_390 && json.expires_in <= 14_400);
  const validation = await validateOnMock(mock, json.access_token);
  assertEquals(validation.status, 200);
  assertEquals(validation.body.client_id, CLIENT_ID);
  const authorize = mock.requests.find((r) =>
    r.pathname === "/oauth2/authorize"
  )!;
  assertEquals(authorize.query.get("force_verify"), "true");
  assertEquals(authorize.query.get("scope"), "chat:read chat:edit bits:read");
  assertStringIncludes(result.stderr, "Opening the browser");
  assertNoSecretsOnStderr(result, [json.access_token, json.refresh_token]);
});

Deno.test("token (the default command) --format text: login, tokens, scopes, expiry; settings from the environment", async () => {
  await using setup = await signInSetup("approve");
  const { mock } = setup;
  const args = setup.args.slice(2); // no --auth-base-url: TWITCH_AUTH_BASE_URL
  const result = await runCli([
    ...argv`--browser ${FAKE_BROWSER} -s user:read:email`,
    ...args,
  ], {
    env: { ...setup.env, TWITCH_AUTH_BASE_URL: mock.authBaseUrl },
  });
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, /^Login: +twitchdev \(user id 141981764\)$/m);
  assertMatch(result.stdout, /^Access token: +[a-z0-9]{30}$/m);
  assertMatch(result.stdout, /^Refresh token: +[a-z0-9]{50}$/m);
  assertMatch(result.stdout, /^Scopes: +user:read:email$/m);
  assertMatch(
    result.stdout,
    /^Expires: +in (?:4h 0m|3h 59m) \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/m,
  );
  assertMatch(result.stdout, new RegExp(`^Client id: +${CLIENT_ID}$`, "m"));
  assertNoSecretsOnStderr(result);
});

Deno.test("token --format env --output FILE: .env lines in a 0600 file, nothing on stdout", async () => {
  await using setup = await signInSetup("approve");
  const { mock } = setup;
  await using tmp = await tempDir();
  const dir = tmp.path;
  const file = `${dir}/.env`;
  const result = await runCli(
    [
      ...setup.args,
      ...argv`-s chat:read --browser ${FAKE_BROWSER} --format env --output ${file}`,
    ],
    { env: setup.env },
  );
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, `Wrote the result to ${file}`);
  const text = await Deno.readTextFile(file);
  assertMatch(
    text,
    new RegExp(
      `^TWITCH_CLIENT_ID=${CLIENT_ID}\nTWITCH_ACCESS_TOKEN=[a-z0-9]{30}\nTWITCH_REFRESH_TOKEN=[a-z0-9]{50}\n$`,
    ),
  );
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  }
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  assertEquals(names, [".env"]);
  const accessToken = text.match(/TWITCH_ACCESS_TOKEN=(\w+)/)![1];
  assertEquals((await validateOnMock(mock, accessToken)).status, 200);
  assertNoSecretsOnStderr(result, [accessToken]);
});

Deno.test("token: Cancel on Twitch exits 1 with one line saying what to do", async () => {
  await using setup = await signInSetup("deny");
  const result = await runCli([
    ...setup.args,
    ...argv`-s chat:read --browser ${FAKE_BROWSER}`,
  ], {
    env: setup.env,
  });
  assertFailure(result, "denied");
  assertStringIncludes(result.stderr, "run the sign-in again");
  assertNoSecretsOnStderr(result);
});

Deno.test("token --no-browser prints the URL on stderr; opening it by hand completes the sign-in", async () => {
  await using setup = await signInSetup("approve");
  const cli = spawnCli([
    ...setup.args,
    ...argv`-s chat:read --no-browser --format json`,
  ], {
    env: setup.env,
  });
  const [url] = await cli.waitForStderr(/http:\/\/\S+\/oauth2\/authorize\S+/);
  assertEquals(await followAuthorizeUrl(url), 200);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stderr, "Open this URL in a browser");
  assert(JSON.parse(result.stdout).access_token);
  assertFalse(
    result.stderr.includes("Ctrl+C"),
    "no progress line off a terminal",
  );
  assertNoSecretsOnStderr(result);
});

Deno.test("token --timeout: nobody signs in, exit 1 after the timeout", async () => {
  await using setup = await signInSetup("approve");
  const result = await runCli(
    [...setup.args, ...argv`-s chat:read --no-browser --timeout 0.5`],
    { env: setup.env },
  );
  assertFailure(result, "timed out after 0.5 seconds (--timeout)");
});

Deno.test(
  "token: Ctrl+C (SIGINT) while waiting exits 130 and the callback port is free again",
  {
    ignore: Deno.build.os === "windows",
  },
  async () => {
    await using setup = await signInSetup("approve");
    const cli = spawnCli([...setup.args, ...argv`-s chat:read --no-browser`], {
      env: setup.env,
    });
    await cli.waitForStderr(/oauth2\/authorize\S+/);
    cli.child.kill("SIGINT");
    const result = await cli.finish();
    assertInterrupted(
      result,
      "interrupted; nothing was kept and the callback server is closed.",
    );
    const listener = Deno.listen({ hostname: "127.0.0.1", port: setup.port });
    listener.close();
  },
);

Deno.test("token: the callback port in use exits 1 naming the port and --port", async () => {
  await using setup = await signInSetup("approve");
  const taken = Deno.listen({ hostname: "127.0.0.1", port: setup.port });
  try {
    const result = await runCli([
      ...setup.args,
      ...argv`-s chat:read --no-browser`,
    ], {
      env: setup.env,
    });
    assertFailure(result, `Port ${setup.port}`);
    assertStringIncludes(result.stderr, "already in use");
    assertStringIncludes(result.stderr, "--port");
  } finally {
    taken.close();
  }
});

Deno.test("token --redirect-url with a path: the port comes from the URL", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}/twitch/callback`;
  await using mock = await startMock("approve", [redirect]);
  const result = await runCli(
    argv`-s chat:read --auth-base-url ${mock.authBaseUrl} --redirect-url ${redirect} --browser ${FAKE_BROWSER} --format json --timeout 10`,
    {
      env: {
        TWITCH_CLIENT_ID: CLIENT_ID,
        TWITCH_CLIENT_SECRET: CLIENT_SECRET,
      },
    },
  );
  assertEquals(result.code, 0, result.stderr);
  const exchange = mock.requests.find((r) => r.pathname === "/oauth2/token")!;
  assertEquals(exchange.form?.get("redirect_uri"), redirect);
});

Deno.test("token --port alone: the redirect URL is http://localhost:PORT", async () => {
  const port = closedPort();
  await using mock = await startMock("approve", [`http://localhost:${port}`]);
  const result = await runCli(
    argv`-s chat:read --auth-base-url ${mock.authBaseUrl} --port ${
      String(port)
    } --browser ${FAKE_BROWSER} --format json --timeout 10`,
    {
      env: {
        TWITCH_CLIENT_ID: CLIENT_ID,
        TWITCH_CLIENT_SECRET: CLIENT_SECRET,
      },
    },
  );
  assertEquals(result.code, 0, result.stderr);
});

Deno.test("token --host ::1: the callback server listens there and not on 127.0.0.1", async () => {
  const port = closedPort();
  const redirect = `http://[::1]:${port}`;
  await using mock = await startMock("approve", [redirect]);
  const cli = spawnCli(
    argv`-s chat:read --auth-base-url ${mock.authBaseUrl} --host ::1 --redirect-url ${redirect} --no-browser --format json --timeout 10`,
    {
      env: {
        TWITCH_CLIENT_ID: CLIENT_ID,
        TWITCH_CLIENT_SECRET: CLIENT_SECRET,
      },
    },
  );
  const [url] = await cli.waitForStderr(/http\S+\/oauth2\/authorize\S+/);
  // Without --host the server listens on both loopback addresses.
  assertEquals(await listensOn("::1", port), true);
  assertEquals(await listensOn("127.0.0.1", port), false);
  assertEquals(await followAuthorizeUrl(url), 200);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
  assertMatch(JSON.parse(result.stdout).access_token, /^[a-z0-9]{30}$/);
});

/** Whether a TCP connection to `hostname:port` is accepted. */
async function listensOn(hostname: string, port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname, port })).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return false;
    throw error;
  }
}

Deno.test("token: an unknown scope is a usage error naming it and the closest valid ones", async () => {
  const result = await runCli(["-s", "chat:read,bits:reed"], {
    env: cliEnv(),
  });
  assertUsageError(result, "bits:reed", "did you mean bits:read");
  assertFalse(result.stderr.includes("chat:read,"));
});

Deno.test("token without a client id: usage error saying where to get one", async () => {
  const result = await runCli(["token"]);
  assertUsageError(
    result,
    "set TWITCH_CLIENT_ID or pass --client-id",
    "https://dev.twitch.tv/console/apps",
    "http://localhost:17563",
  );
});

Deno.test("token without a client secret and no terminal: usage error naming TWITCH_CLIENT_SECRET", async () => {
  const result = await runCli(["token"], {
    env: { TWITCH_CLIENT_ID: CLIENT_ID },
  });
  assertUsageError(result, "TWITCH_CLIENT_SECRET");
});

Deno.test("an invalid redirect URL from the authenticator is a usage error", async () => {
  const result = await runCli(["--redirect-url", "ftp://localhost:1"], {
    env: cliEnv(),
  });
  assertUsageError(result, "--redirect-url");
});

// -- usage errors ----------------------------------------------------------------

Deno.test("usage errors exit 2 with the reason and a pointer to --help", async (t) => {
  const cases: [string[], string][] = [
    [["--frobnicate"], "Unknown option --frobnicate"],
    [["--client-id=x", "-x"], "Unknown option -x"],
    [["frobnicate"], 'Unknown command "frobnicate"'],
    [["abcdefghijklmnopqrstuvwxyz0123"], 'Unknown command "abcd…"'],
    [["--format", "yaml"], "--format must be one of text, json, env"],
    [["--port", "99999"], "--port must be a whole number"],
    [["--port", "abc"], "--port must be a whole number"],
    [["--timeout=-1"], "--timeout must be a number of seconds"],
    [["--timeout", "0"], "--timeout must be a number of seconds"],
    [["--timeout", "soon"], "--timeout must be a number of seconds"],
    [["--browser"], "--browser needs a command"],
    [["--auth-base-url", "not a url"], "--auth-base-url must be an http"],
    [["--output"], "--output needs a value"],
    [["app", "extra"], "app takes no arguments"],
    [["validate", "a", "b"], "validate takes one argument"],
    [["scopes", "--format", "env"], "--format env"],
    [["validate"], "No access token given"],
    [["revoke", "-"], "No token given"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      assertUsageError(await runCli(args), message);
    });
  }
});

// -- app -----------------------------------------------------------------------

Deno.test("app: an app access token in json, env and text", async () => {
  await using mock = await startMock("approve");
  const env = cliEnv(mock);
  const json = await runCli(["app", "--format", "json"], { env });
  assertEquals(json.code, 0, json.stderr);
  const body = JSON.parse(json.stdout);
  assertEquals(Object.keys(body), [
    "access_token",
    "expires_in",
    "scope",
    "token_type",
    "obtained_at",
  ]);
  const validation = await validateOnMock(mock, body.access_token);
  assertEquals(validation.status, 200);
  assertEquals(validation.body.login, undefined);
  assertNoSecretsOnStderr(json);

  const envFormat = await runCli(["app", "--format", "env"], { env });
  assertEquals(envFormat.code, 0, envFormat.stderr);
  assertMatch(
    envFormat.stdout,
    new RegExp(
      `^TWITCH_CLIENT_ID=${CLIENT_ID}\nTWITCH_ACCESS_TOKEN=[a-z0-9]{30}\n$`,
    ),
  );

  const text = await runCli(["app"], { env });
  assertEquals(text.code, 0, text.stderr);
  assertMatch(text.stdout, /^Access token: +[a-z0-9]{30}$/m);
  assertMatch(text.stdout, /^Refresh token: +\(none/m);
  assertEquals(text.stderr, "");
});

Deno.test("app with a wrong client secret exits 1: check the credentials", async () => {
  await using mock = await startMock("approve");
  const wrong = "wrong0secret000000000000000000";
  const result = await runCli(["app", "--client-secret", wrong], {
    env: cliEnv(mock, { secret: false }),
  });
  assertFailure(result, "check the client id and client secret");
  assertNoSecretsOnStderr(result, [wrong]);
});

// -- validate ----------------------------------------------------------------------

Deno.test("validate TOKEN: client id, login, user id, scopes, expiry in text, json and env", async () => {
  await using mock = await startMock("approve");
  const { accessToken } = mock.issueUserToken({
    scopes: ["chat:read", "bits:read"],
  });
  const args = ["validate", accessToken, "--auth-base-url", mock.authBaseUrl];

  const text = await runCli(args);
  assertEquals(text.code, 0, text.stderr);
  assertMatch(text.stdout, new RegExp(`^Client id: +${CLIENT_ID}$`, "m"));
  assertMatch(text.stdout, /^Login: +twitchdev$/m);
  assertMatch(text.stdout, /^User id: +141981764$/m);
  assertMatch(text.stdout, /^Scopes: +chat:read bits:read$/m);
  assertMatch(text.stdout, /^Expires: +in 3h 59m|^Expires: +in 4h 0m/m);
  assertEquals(text.stderr, "");

  const json = await runCli([...args, "--format", "json"]);
  assertEquals(json.code, 0, json.stderr);
  assertEquals(
    JSON.parse(json.stdout),
    (await validateOnMock(mock, accessToken)).body,
  );

  const env = await runCli([...args, "--format", "env"]);
  assertEquals(env.code, 0, env.stderr);
  assertMatch(
    env.stdout,
    new RegExp(
      `^TWITCH_CLIENT_ID=${CLIENT_ID}\nTWITCH_LOGIN=twitchdev\nTWITCH_USER_ID=141981764\nTWITCH_SCOPES="chat:read bits:read"\nTWITCH_EXPIRES_IN=\\d+\n$`,
    ),
  );
});

Deno.test("validate - and validate with a pipe read the token from stdin", async () => {
  await using mock = await startMock("approve");
  const { accessToken } = mock.issueUserToken();
  for (const args of [["validate", "-"], ["validate"]]) {
    const result = await runCli(
      [...args, ...argv`--auth-base-url ${mock.authBaseUrl} --format json`],
      { stdin: `${accessToken}\n` },
    );
    assertEquals(result.code, 0, result.stderr);
    assertEquals(JSON.parse(result.stdout).login, "twitchdev");
  }
});

Deno.test("validate an invalid token: exit 1, one line, the token not shown", async () => {
  await using mock = await startMock("approve");
  const { accessToken } = mock.issueUserToken();
  mock.expireAccessToken(accessToken);
  const result = await runCli(
    argv`validate - --auth-base-url ${mock.authBaseUrl}`,
    {
      stdin: accessToken,
    },
  );
  assertFailure(result, "refresh it or sign in again");
  assertEquals(result.stderr.trimEnd().split("\n").length, 1);
  assertNoSecretsOnStderr(result, [accessToken]);
});

Deno.test("--timeout bounds each request to Twitch", async () => {
  await using mock = await startMock("approve");
  // Unbounded, the request would get the mock's answer (401) after the delay.
  mock.injectFault({ path: "/oauth2/validate", delay: 5_000 });
  const result = await runCli(
    argv`validate some0token0000000000000000000x --auth-base-url ${mock.authBaseUrl} --timeout 0.3`,
  );
  assertFailure(result, "timed out after 0.3 seconds");
});

// -- refresh and revoke --------------------------------------------------------------

Deno.test("refresh REFRESH_TOKEN and refresh -: new tokens that work, the refresh token never on stderr", async () => {
  await using mock = await startMock("approve");
  const env = cliEnv(mock);
  const { refreshToken } = mock.issueUserToken({ scopes: ["chat:read"] });
  const json = await runCli(argv`refresh ${refreshToken} --format json`, {
    env,
  });
  assertEquals(json.code, 0, json.stderr);
  const body = JSON.parse(json.stdout);
  assertEquals(body.scope, ["chat:read"]);
  assertEquals((await validateOnMock(mock, body.access_token)).status, 200);
  assertNoSecretsOnStderr(json, [refreshToken]);

  const text = await runCli(["refresh", "-"], {
    env,
    stdin: body.refresh_token,
  });
  assertEquals(text.code, 0, text.stderr);
  assertMatch(text.stdout, /^Login: +twitchdev/m);
  assertNoSecretsOnStderr(text, [body.refresh_token]);
});

Deno.test("refresh with an invalid refresh token: exit 1, sign in again", async () => {
  await using mock = await startMock("approve");
  const bad = "not0a0refresh0token00000000000000000000000000000";
  const env = { ...cliEnv(mock), TWITCH_CLIENT_ID: "" }; // the flag gives it
  const result = await runCli(argv`refresh ${bad} --client-id ${CLIENT_ID}`, {
    env,
  });
  assertFailure(result, "sign in again");
  assertNoSecretsOnStderr(result, [bad]);
});

Deno.test("refresh and revoke need a client id", async () => {
  for (const command of ["refresh", "revoke"]) {
    assertUsageError(
      await runCli([command, "some0token0000000000000000000x"]),
      "TWITCH_CLIENT_ID",
    );
  }
});

Deno.test("revoke TOKEN: the token stops working; json and env formats; revoking again exits 1", async () => {
  await using mock = await startMock("approve");
  const env = cliEnv(mock, { secret: false });
  const first = mock.issueUserToken().accessToken;
  const text = await runCli(["revoke", first], { env });
  assertEquals(text.code, 0, text.stderr);
  assertEquals(text.stdout, "Revoked: the token no longer works.\n");
  assertEquals((await validateOnMock(mock, first)).status, 401);

  const second = mock.issueUserToken().accessToken;
  const json = await runCli(argv`revoke - --format json`, {
    env,
    stdin: second,
  });
  assertEquals(json.code, 0, json.stderr);
  assertEquals(JSON.parse(json.stdout), { revoked: true });

  const third = mock.issueUserToken().accessToken;
  const envFormat = await runCli(argv`revoke ${third} --format env`, {
    env,
  });
  assertEquals(envFormat.code, 0, envFormat.stderr);
  assertMatch(envFormat.stdout, /^# the token was revoked/);

  const again = await runCli(["revoke", first], { env });
  assertFailure(again, "did not revoke");
  assertNoSecretsOnStderr(again, [first]);
});

// -- scopes ------------------------------------------------------------------------

Deno.test("scopes: every scope with what it grants, as text and json", async () => {
  const text = await runCli(["scopes"]);
  assertEquals(text.code, 0);
  const lines = text.stdout.trimEnd().split("\n");
  assertEquals(lines.length, Object.keys(SCOPE_DESCRIPTIONS).length);
  for (const [scope, description] of Object.entries(SCOPE_DESCRIPTIONS)) {
    assert(
      lines.some((line) =>
        line.startsWith(`${scope} `) && line.endsWith(description)
      ),
      scope,
    );
  }
  const json = await runCli(["scopes", "--format", "json"]);
  assertEquals(JSON.parse(json.stdout), SCOPE_DESCRIPTIONS);
});

// -- --demo --------------------------------------------------------------------------

Deno.test("--demo --no-browser: real tokens from the mock, no account, no network", async () => {
  const result = await runCli(
    argv`--demo --no-browser --format json -s chat:read --timeout 10`,
  );
  assertEquals(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assertMatch(json.access_token, /^[a-z0-9]{30}$/);
  assertMatch(json.refresh_token, /^[a-z0-9]{50}$/);
  assertEquals(json.scope, ["chat:read"]);
  assertStringIncludes(result.stderr, "Demo:");
  assertMatch(result.stderr, /http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize/);
  assertNoSecretsOnStderr(result);
});

Deno.test("--demo with the default text format and a browser that does not open: it approves by itself", async () => {
  const port = closedPort();
  const result = await runCli(
    argv`--demo --browser /nonexistent/browser --port ${
      String(port)
    } --timeout 10`,
  );
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stderr, "Could not open a browser");
  assertStringIncludes(
    result.stderr,
    `redirect_uri=http%3A%2F%2Flocalhost%3A${port}`,
  );
  assertMatch(result.stdout, /^Login: +twitchdev/m);
  assertMatch(result.stdout, /^Scopes: +chat:read chat:edit$/m); // a chat bot's, by default
  assertMatch(
    result.stdout,
    new RegExp(`^Client id: +${DEMO_CLIENT_ID}$`, "m"),
  );
});

Deno.test("--demo with a browser: the browser gets the mock's consent page", async () => {
  // the fake browser does not click Authorize: the sign-in waits, then times out
  const result = await runCli(
    argv`--demo --browser ${FAKE_BROWSER} --timeout 1`,
  );
  assertFailure(result, "timed out");
  assertStringIncludes(result.stderr, "Opening the browser");
});

Deno.test("--demo app: an app token from the mock", async () => {
  const result = await runCli(argv`app --demo --format json`);
  assertEquals(result.code, 0, result.stderr);
  assertMatch(JSON.parse(result.stdout).access_token, /^[a-z0-9]{30}$/);
});

Deno.test("--output into a missing directory is a usage error naming the file and folder", async () => {
  const result = await runCli([
    "scopes",
    "--output",
    "/nonexistent-dir/x/scopes.txt",
  ]);
  assertUsageError(
    result,
    "--output /nonexistent-dir/x/scopes.txt",
    "/nonexistent-dir/x does not exist",
  );
});

// -- in-process: the terminal (prompt, progress line, Ctrl+C) ------------------------

interface FakeTerminal {
  io: Partial<CliIo>;
  stdout: () => string;
  stderr: () => string;
  prompts: string[];
  interrupt(): void;
  listening(): boolean;
  /** Resolves with the authorize URL once it is printed. */
  authorizeUrl: Promise<string>;
}

function fakeTerminal(
  options: {
    env?: Record<string, string>;
    terminal?: boolean;
    stdoutTerminal?: boolean;
    stderrTerminal?: boolean;
    answer?: string;
  } = {},
): FakeTerminal {
  let out = "";
  let err = "";
  const prompts: string[] = [];
  let listener: (() => void) | undefined;
  const url = Promise.withResolvers<string>();
  const terminal = options.terminal ?? true;
  return {
    io: {
      writeOut: (text) => {
        out += text;
        return Promise.resolve();
      },
      writeErr: (text) => {
        err += text;
        const match = err.match(/http:\/\/\S+\/oauth2\/authorize\S+/);
        if (match) url.resolve(match[0]);
      },
      readIn: () => Promise.resolve(""),
      stdinIsTerminal: () => terminal,
      stdoutIsTerminal: () => options.stdoutTerminal ?? terminal,
      stderrIsTerminal: () => options.stderrTerminal ?? terminal,
      env: (name) => options.env?.[name] || undefined,
      promptSecret: (message) => {
        prompts.push(message);
        return Promise.resolve(options.answer ?? null);
      },
      onInterrupt: (next) => {
        listener = next;
        return () => (listener = undefined);
      },
    },
    stdout: () => out,
    stderr: () => err,
    prompts,
    interrupt: () => listener?.(),
    listening: () => listener !== undefined,
    authorizeUrl: url.promise,
  };
}

Deno.test("in-process: the client secret is asked with a hidden prompt on a terminal", async () => {
  await using mock = await startMock("approve");
  const terminal = fakeTerminal({
    env: {
      TWITCH_CLIENT_ID: CLIENT_ID,
      TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
    },
    answer: CLIENT_SECRET,
  });
  const code = await main(["app", "--format", "json"], terminal.io);
  assertEquals(code, 0, terminal.stderr());
  assertEquals(terminal.prompts.length, 1);
  assertStringIncludes(terminal.prompts[0], `Client secret of ${CLIENT_ID}`);
  assert(JSON.parse(terminal.stdout()).access_token);
  assertFalse(terminal.stderr().includes(CLIENT_SECRET));
});

Deno.test("in-process: with stdout redirected the secret is still asked (on stderr), never without a terminal", async () => {
  await using mock = await startMock("approve");
  const env = cliEnv(mock, { secret: false });
  const redirected = fakeTerminal({
    env,
    stdoutTerminal: false,
    answer: CLIENT_SECRET,
  });
  assertEquals(
    await main(["app", "--format", "env"], redirected.io),
    0,
    redirected.stderr(),
  );
  assertEquals(redirected.prompts.length, 1);
  assertStringIncludes(redirected.stdout(), "TWITCH_ACCESS_TOKEN=");
  assertFalse(redirected.stdout().includes("Client secret"));
  const noTerminal = fakeTerminal({
    env,
    stdoutTerminal: false,
    stderrTerminal: false,
    answer: CLIENT_SECRET,
  });
  assertEquals(await main(["app"], noTerminal.io), 2);
  assertEquals(noTerminal.prompts, []);
  assertStringIncludes(noTerminal.stderr(), "TWITCH_CLIENT_SECRET");
});

Deno.test("in-process: a token left out on a terminal is asked with a hidden prompt", async () => {
  await using mock = await startMock("approve");
  const { accessToken } = mock.issueUserToken();
  const terminal = fakeTerminal({ answer: accessToken });
  const code = await main(
    ["validate", "--auth-base-url", mock.authBaseUrl, "--format", "json"],
    terminal.io,
  );
  assertEquals(code, 0, terminal.stderr());
  assertEquals(terminal.prompts, ["Access token (hidden):"]);
});

async function signInOnTerminal(
  env: Record<string, string>,
): Promise<FakeTerminal> {
  const port = closedPort();
  await using mock = await startMock("approve", [`http://localhost:${port}`]);
  const terminal = fakeTerminal({
    env: {
      TWITCH_CLIENT_ID: CLIENT_ID,
      TWITCH_CLIENT_SECRET: CLIENT_SECRET,
      ...env,
    },
  });
  const running = main(
    argv`-s chat:read --auth-base-url ${mock.authBaseUrl} --port ${port} --no-browser --format json`,
    terminal.io,
  );
  const url = await terminal.authorizeUrl;
  await new Promise((resolve) => setTimeout(resolve, 250)); // a few frames
  assertEquals(await followAuthorizeUrl(url), 200);
  assertEquals(await running, 0, terminal.stderr());
  assertFalse(terminal.listening(), "the Ctrl+C listener is removed");
  return terminal;
}

Deno.test("in-process: a progress line on a terminal, cleared at the end", async () => {
  const terminal = await signInOnTerminal({});
  const err = terminal.stderr();
  assertStringIncludes(
    err,
    "Waiting for you to approve on Twitch in the browser",
  );
  assertStringIncludes(err, "Ctrl+C to cancel");
  assertMatch(err, /0:00/);
  assertStringIncludes(err, "\x1b[36m");
  assert(err.endsWith("\r\x1b[2K"), JSON.stringify(err.slice(-40)));
  assert(JSON.parse(terminal.stdout()).access_token);
});

Deno.test("in-process: NO_COLOR keeps the progress line free of colours", async () => {
  const terminal = await signInOnTerminal({ NO_COLOR: "1" });
  const err = terminal.stderr();
  assertStringIncludes(err, "Ctrl+C to cancel");
  assertFalse(
    new RegExp(`${ESC}\\[(?:\\d+;)*\\d+m`).test(err),
    "no SGR colour codes",
  );
});

Deno.test("in-process: Ctrl+C stops the sign-in, closes the callback server, returns 130", async () => {
  const port = closedPort();
  await using mock = await startMock("approve", [`http://localhost:${port}`]);
  const terminal = fakeTerminal({
    env: cliEnv(),
  });
  const running = main(
    argv`-s chat:read --auth-base-url ${mock.authBaseUrl} --port ${port} --no-browser`,
    terminal.io,
  );
  await terminal.authorizeUrl;
  assert(terminal.listening());
  terminal.interrupt();
  assertEquals(await running, 130);
  assertFalse(terminal.listening());
  assertEquals(terminal.stdout(), "");
  assertStringIncludes(terminal.stderr(), "interrupted");
  // the server is closed: the port can be taken again at once
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  listener.close();
  assertNotEquals(terminal.stderr().indexOf("Ctrl+C to cancel"), -1);
});

// -- the progress line on its own ----------------------------------------------------

Deno.test("renderProgress: spinner, message, elapsed m:ss and the Ctrl+C hint; colours only when asked", () => {
  assertEquals(
    renderProgress(0, 65_400, "Waiting", false),
    "⠋ Waiting 1:05 · Ctrl+C to cancel",
  );
  assertEquals(
    renderProgress(1, 0, "Waiting", true),
    `${ESC}[36m⠙${ESC}[0m Waiting ${ESC}[2m0:00 · Ctrl+C to cancel${ESC}[0m`,
  );
});

Deno.test("ProgressLine off a terminal draws nothing and logs plain lines", () => {
  let written = "";
  const progress = new ProgressLine({
    write: (text) => (written += text),
    enabled: false,
    color: true,
    message: "Waiting",
  });
  progress.start();
  progress.log("Open this URL");
  progress.stop();
  assertEquals(written, "Open this URL\n");
});

Deno.test("ProgressLine logs above the line, redraws it, and stop() clears it once", () => {
  let written = "";
  let now = 1_000;
  const progress = new ProgressLine({
    write: (text) => (written += text),
    enabled: true,
    color: false,
    message: "Waiting",
    interval: 60_000,
    now: () => now,
  });
  progress.start();
  now += 2_000;
  progress.log("a message");
  progress.stop();
  progress.stop();
  assertEquals(
    written,
    `\r${ESC}[2K⠋ Waiting 0:00 · Ctrl+C to cancel` +
      `\r${ESC}[2Ka message\n` +
      `\r${ESC}[2K⠙ Waiting 0:02 · Ctrl+C to cancel` +
      `\r${ESC}[2K`,
  );
});
