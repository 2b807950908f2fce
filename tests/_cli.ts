// The command line as a subprocess, for the CLI tests: spawn it, wait for a
// line on stderr, collect its output; assertions shared by the CLI tests.

import {
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { type MockTwitch, startMockTwitch } from "../testing.ts";

const ROOT = new URL("..", import.meta.url);

/** The environment every run starts from: no Twitch settings of the machine's. */
export const CLEAN_ENV = {
  TWITCH_CLIENT_ID: "",
  TWITCH_CLIENT_SECRET: "",
  TWITCH_AUTH_BASE_URL: "",
  BROWSER: "",
  NO_COLOR: "",
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Text piped to stdin; stdin is /dev/null without it. */
  stdin?: string;
}

/** A running CLI (or any Deno program) whose output can be waited on. */
export interface RunningCli {
  child: Deno.ChildProcess;
  /** Resolves with the first match of `pattern` in stderr so far. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the first match of `pattern` in stdout so far. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Reads both streams to their end and waits for the exit. */
  finish(): Promise<CliResult>;
}

/** Runs `deno run -A mod.ts ARGS` from the repository's root. */
export function spawnCli(args: string[], options: RunOptions = {}): RunningCli {
  return spawnDeno(["run", "-A", "mod.ts", ...args], options);
}

/**
 * Runs `deno ARGS` from the repository's root with {@linkcode CLEAN_ENV};
 * both streams are read as they come, so a full pipe never stalls it.
 */
export function spawnDeno(
  args: string[],
  options: RunOptions = {},
): RunningCli {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { ...CLEAN_ENV, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const fed = options.stdin === undefined
    ? Promise.resolve()
    : feed(child.stdin, options.stdin);
  const stdout = collect(child.stdout, "stdout");
  const stderr = collect(child.stderr, "stderr");
  return {
    child,
    waitForStderr: stderr.waitFor,
    waitForStdout: stdout.waitFor,
    async finish() {
      const { code } = await child.status;
      await fed;
      return { code, stdout: await stdout.all(), stderr: await stderr.all() };
    },
  };
}

/** A stream read to its end in the background, with waits on what it said so far. */
function collect(stream: ReadableStream<Uint8Array>, name: string): {
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  all(): Promise<string>;
} {
  let text = "";
  let ended = false;
  let grew = Promise.withResolvers<void>();
  const done = (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      grew.resolve();
      grew = Promise.withResolvers<void>();
    }
    ended = true;
    grew.resolve();
  })();
  return {
    async waitFor(pattern) {
      for (;;) {
        const match = text.match(pattern);
        if (match) return match;
        if (ended) throw new Error(`${name} ended without ${pattern}: ${text}`);
        await grew.promise;
      }
    },
    async all() {
      await done;
      return text;
    },
  };
}

/** Writes `text` to the child's stdin and closes it; a child that exits first is fine. */
async function feed(
  stdin: WritableStream<Uint8Array>,
  text: string,
): Promise<void> {
  const writer = stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  } catch {
    // the CLI exited without reading stdin
  }
}

export function runCli(
  args: string[],
  options: RunOptions = {},
): Promise<CliResult> {
  return spawnCli(args, options).finish();
}

export async function followAuthorizeUrl(url: string): Promise<number> {
  const authorize = await fetch(url, { redirect: "manual" });
  await authorize.body?.cancel();
  const callback = await fetch(authorize.headers.get("Location")!);
  await callback.body?.cancel();
  return callback.status;
}

export async function validateOnMock(
  mock: MockTwitch,
  token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${mock.authBaseUrl}/validate`, {
    headers: { Authorization: `OAuth ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

/** No secret of `secrets`, and no token printed on stdout, appears on stderr. */
export function assertUsageError(
  result: CliResult,
  ...fragments: string[]
): void {
  assertEquals(result.code, 2, result.stderr);
  for (const fragment of fragments) {
    assertStringIncludes(result.stderr, fragment);
  }
  assertStringIncludes(result.stderr, "--help");
  assertEquals(result.stdout, "");
}

/** Exit code 1 and a last stderr line saying what to do, no stack trace. */
export function assertFailure(result: CliResult, fragment: string): void {
  assertEquals(result.code, 1, result.stderr);
  const lastLine = result.stderr.trimEnd().split("\n").at(-1)!;
  assertMatch(lastLine, /^twitch-auth: /);
  assertStringIncludes(lastLine, fragment);
  assertFalse(/^\s+at /m.test(result.stderr), result.stderr);
  assertEquals(result.stdout, "");
}

/**
 * Command-line arguments written as in a shell: the literal text splits on
 * whitespace, and each `${value}` is one argument of its own, spaces and
 * all. `argv`-s chat:read --browser ${cmd}`` is
 * `["-s", "chat:read", "--browser", cmd]`.
 */
export function argv(
  strings: TemplateStringsArray,
  ...values: (string | number)[]
): string[] {
  const args: string[] = [];
  strings.forEach((text, i) => {
    args.push(...text.split(/\s+/).filter(Boolean));
    if (i < values.length) args.push(String(values[i]));
  });
  return args;
}

/** Exit code 130 (Ctrl+C), `message` on stderr, nothing on stdout. */
export function assertInterrupted(
  result: CliResult,
  message = "interrupted",
): void {
  assertEquals(result.code, 130, result.stderr);
  assertStringIncludes(result.stderr, message);
  assertEquals(result.stdout, "");
}

/**
 * Signs in by the device flow through the CLI against the mock, approving
 * the code as the user would, and has it write the token to `path` with
 * `--format json --output` (the file a bot starts from).
 */
export async function deviceTokenFile(
  mock: MockTwitch,
  clientId: string,
  path: string,
  scopes = "chat:read",
): Promise<void> {
  const cli = spawnCli(
    argv`device -s ${scopes} --auth-base-url ${mock.authBaseUrl} --format json --output ${path}`,
    { env: { TWITCH_CLIENT_ID: clientId } },
  );
  const [, first, second] = await cli.waitForStderr(
    /enter the code: ([A-Z]{4})-([A-Z]{4})/,
  );
  mock.approveDevice(first + second);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
}

/**
 * Runs `command` in a shell on a pseudo-terminal (util-linux `script`), from
 * the repository's root: stdin, stdout and stderr are terminals, as for a
 * person typing. `watch` sees the screen after each chunk and may `type`
 * once (that ends the input).
 */
export async function runOnTerminal(
  command: string,
  watch: (
    screen: string,
    type: (text: string) => Promise<void>,
  ) => void | Promise<void> = () => {},
): Promise<{ code: number; screen: string }> {
  const child = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  let typed = false;
  const type = async (text: string) => {
    if (typed) return;
    typed = true;
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  };
  const decoder = new TextDecoder();
  let screen = "";
  for await (const chunk of child.stdout) {
    screen += decoder.decode(chunk, { stream: true });
    await watch(screen, type);
  }
  if (!typed) await writer.close().catch(() => {});
  return { code: (await child.status).code, screen };
}

/** The mock with one public client (no secret) polling every second, for `device`. */
export function startPublicClientMock(clientId: string): Promise<MockTwitch> {
  return startMockTwitch({
    deviceInterval: 1,
    clients: [{ clientId, redirectUris: [] }],
  });
}

/**
 * Signs in through the CLI's browser sign-in (the authorization code flow)
 * against the mock, the browser played by tests/_fetch_browser.ts, and has it
 * write the token to `path` with `--format json --output`. The mock must
 * accept `http://localhost:PORT` as a redirect URL of the client.
 */
export async function signInTokenFile(
  mock: MockTwitch,
  app: { clientId: string; clientSecret: string; port: number; path: string },
  scopes = "chat:read",
): Promise<void> {
  mock.consent = "approve";
  const browser = `"${Deno.execPath()}" run -A tests/_fetch_browser.ts`;
  const result = await runCli(
    argv`token -s ${scopes} --auth-base-url ${mock.authBaseUrl} --port ${app.port} --redirect-url ${`http://localhost:${app.port}`} --browser ${browser} --timeout 20 --format json --output ${app.path}`,
    {
      env: {
        TWITCH_CLIENT_ID: app.clientId,
        TWITCH_CLIENT_SECRET: app.clientSecret,
      },
    },
  );
  assertEquals(result.code, 0, result.stderr);
}
