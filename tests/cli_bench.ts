// The CLI's cold start. First: from spawning `deno run -A mod.ts token --no-browser`
// to the moment it prints the sign-in URL (its callback server is listening
// then), next to a Deno program that does nothing but listen and print.
// Both are real subprocesses; each run is stopped with SIGINT and awaited.

import { closedPort } from "./_util.ts";
import { timeRun } from "./_timed_run.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const PORT = closedPort();

/** Spawns `args`, resolves when stderr mentions a URL, then interrupts it. */
async function timeUntilUrl(
  b: Deno.BenchContext,
  args: string[],
): Promise<void> {
  b.start();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const decoder = new TextDecoder();
  let seen = "";
  for await (const chunk of child.stderr) {
    seen += decoder.decode(chunk, { stream: true });
    if (seen.includes("http://")) break;
  }
  b.end();
  try {
    child.kill("SIGINT");
  } catch {
    // it ended by itself: the check below says why
  }
  await child.status;
  if (!seen.includes("http://")) throw new Error(`no URL printed: ${seen}`);
}

Deno.bench({
  name: "deno run a program that only listens (floor)",
  group: "CLI cold start until listening",
  baseline: true,
  n: 10,
  warmup: 1,
  fn: async (b) =>
    await timeUntilUrl(b, ["run", "-A", "tests/_listen_floor.ts"]),
});

Deno.bench({
  name: "deno run -A mod.ts token --no-browser",
  group: "CLI cold start until listening",
  n: 10,
  warmup: 1,
  fn: async (b) =>
    await timeUntilUrl(b, [
      "run",
      "-A",
      "mod.ts",
      "token",
      "--no-browser",
      "-s",
      "chat:read",
      "--client-id=bench0client0id00000000000000a",
      "--client-secret=bench0client0secret000000000a",
      `--port=${PORT}`,
      "--auth-base-url=http://127.0.0.1:9/oauth2",
    ]),
});

// The goal: --help and --version within 1.5x of Deno starting at all.
Deno.bench({
  name: "deno eval 0 (floor)",
  group: "CLI cold start: --help and --version",
  baseline: true,
  n: 20,
  warmup: 2,
  fn: async (b) => await timeRun(b, ["eval", "0"]),
});

Deno.bench({
  name: "deno run -A mod.ts --help",
  group: "CLI cold start: --help and --version",
  n: 20,
  warmup: 2,
  fn: async (b) => await timeRun(b, ["run", "-A", "mod.ts", "--help"]),
});

Deno.bench({
  name: "deno run -A mod.ts --version",
  group: "CLI cold start: --help and --version",
  n: 20,
  warmup: 2,
  fn: async (b) => await timeRun(b, ["run", "-A", "mod.ts", "--version"]),
});
