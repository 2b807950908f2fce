// The command line as a subprocess, for the CLI tests: spawn it, wait for a
// line on stderr, collect its output; assertions shared by the CLI tests.

import {
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import type { MockTwitch } from "../testing.ts";

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

/** A running CLI whose stderr can be waited on. */
export interface RunningCli {
  child: Deno.ChildProcess;
  /** Resolves with the first match of `pattern` in stderr so far. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Reads both streams to their end and waits for the exit. */
  finish(): Promise<CliResult>;
}

export function spawnCli(args: string[], options: RunOptions = {}): RunningCli {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", ...args],
    cwd: ROOT,
    env: { ...CLEAN_ENV, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const fed = options.stdin === undefined
    ? Promise.resolve()
    : feed(child.stdin, options.stdin);
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  let ended = false;
  const readMore = async () => {
    const { value, done } = await reader.read();
    if (done) ended = true;
    else stderr += value;
  };
  return {
    child,
    async waitForStderr(pattern) {
      while (!pattern.test(stderr)) {
        if (ended) {
          throw new Error(`stderr ended without ${pattern}: ${stderr}`);
        }
        await readMore();
      }
      return stderr.match(pattern)!;
    },
    async finish() {
      while (!ended) await readMore();
      const { code } = await child.status;
      await fed;
      return { code, stdout: await stdout, stderr };
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
  const cli = spawnCli([
    "device",
    "-s",
    scopes,
    "--auth-base-url",
    mock.authBaseUrl,
    "--format",
    "json",
    "--output",
    path,
  ], { env: { TWITCH_CLIENT_ID: clientId } });
  const [, first, second] = await cli.waitForStderr(
    /enter the code: ([A-Z]{4})-([A-Z]{4})/,
  );
  mock.approveDevice(first + second);
  const result = await cli.finish();
  assertEquals(result.code, 0, result.stderr);
}
