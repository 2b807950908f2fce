// Gets the runtimes the edge tests run in (Cloudflare's workerd, Bun) from
// npm into .tmp/runtimes/ (gitignored) on first use, so a clean clone and CI
// need nothing but npm. Outside CI a runtime that cannot be had makes its
// tests skip with the reason; in CI (CI=true) the tests fail instead.

import { assertEquals } from "@std/assert";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { approvingMock } from "./_util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
/** The pinned runtime packages. */
const PACKAGES = [
  "workerd@1.20261117.1",
  "bun@1.4.4",
  // The esbuild recipe (README): esbuild plus the two packages web.ts
  // imports by import-map name, as a Node project would install them.
  "esbuild@0.28.2",
  "jose@6.2.17",
  "deno-std@1.4.0",
];
const PREFIX = `${ROOT}.tmp/runtimes`;

/** Whether this run is CI, where a missing runtime is a failure. */
export const IN_CI = Deno.env.get("CI") === "true";

/** A runtime's binary, or why there is none. */
export type Runtime = { path: string } | { missing: string };

let installed: Promise<string | undefined> | undefined;

/** Runs `npm install` into .tmp/runtimes once; resolves to the failure, if any. */
function install(): Promise<string | undefined> {
  installed ??= (async () => {
    try {
      const out = await new Deno.Command("npm", {
        args: [
          "install",
          "--prefix",
          PREFIX,
          "--no-audit",
          "--no-fund",
          "--no-save",
          "--loglevel=error",
          ...PACKAGES,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return out.success
        ? undefined
        : `npm install ${PACKAGES.join(" ")} failed: ${
          new TextDecoder().decode(out.stderr).trim().slice(-500)
        }`;
    } catch (error) {
      return `npm could not run: ${error}`;
    }
  })();
  return installed;
}

/** The binary of `name` (`"workerd"` or `"bun"`), installed from npm when missing. */
export async function runtime(
  name: "workerd" | "bun" | "esbuild",
): Promise<Runtime> {
  const path = `${PREFIX}/node_modules/.bin/${name}`;
  if (await commandWorks(path)) return { path };
  const failure = await install();
  if (await commandWorks(path)) return { path };
  return { missing: failure ?? `${path} does not run after npm install` };
}

/** Test options: skip (outside CI) with the reason when the runtime is missing. */
export function skipUnless(found: Runtime, what: string): { ignore: boolean } {
  if ("missing" in found && !IN_CI) {
    console.warn(`skipping the ${what} tests: ${found.missing}`);
    return { ignore: true };
  }
  return { ignore: false };
}

/** The path of a runtime, or a failure naming why it is missing (CI). */
export function pathOf(found: Runtime): string {
  if ("missing" in found) {
    throw new Error(`the runtime is missing in CI: ${found.missing}`);
  }
  return found.path;
}

/** A loopback port free right now (for configs that need one up front). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

export { bundle } from "./_bundle.ts";
import { bundleToTemp, commandWorks, runCommand } from "./_bundle.ts";

/**
 * Waits until `url` answers (any status), or the process ends (then throws with its
 * output). Gives up after `attempts` tries 100 ms apart.
 */
export async function waitForServer(
  url: string,
  exited: Promise<Deno.CommandStatus>,
  attempts = 300,
): Promise<void> {
  let done = false;
  const ended = exited.then((status) => {
    done = true;
    return status;
  });
  for (let i = 0; i < attempts && !done; i++) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      return; // any HTTP answer: the server is up
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (done) throw new Error(`the server exited (${(await ended).code})`);
  throw new Error(`${url} did not answer`);
}

/** An app under test: how to start it once the port and the mock are known. */
export type Launch = (app: {
  port: number;
  /** `http://localhost:PORT`; the mock accepts `${base}/callback`. */
  base: string;
  mock: MockTwitch;
}) => Promise<
  { command: string; args: string[]; env?: Record<string, string> }
>;

/**
 * Starts the mock (consent approved, the demo app registered with
 * `${base}/callback`) and the app on a free port, retrying with another port
 * when the app cannot start (the port was taken meanwhile), waits for `ready`
 * to answer, runs `check`, then stops the app and the mock.
 */
export async function withApp(
  launch: Launch,
  check: (base: string, mock: MockTwitch) => Promise<void>,
  ready = "/health",
): Promise<void> {
  let lastFailure = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    const base = `http://localhost:${port}`;
    await using mock = await approvingMock(`${base}/callback`);
    const { command, args, env } = await launch({ port, base, mock });
    const child = new Deno.Command(command, {
      args,
      env,
      cwd: ROOT,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    let started = false;
    try {
      await waitForServer(`http://127.0.0.1:${port}${ready}`, child.status);
      started = true;
      await check(base, mock);
      return;
    } catch (error) {
      if (started) throw error;
      lastFailure = `${error}`;
    } finally {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
      await child.status;
      const output = await stderr;
      if (!started) lastFailure += `\n${output.slice(-2000)}`;
    }
  }
  throw new Error(`the app did not start: ${lastFailure}`);
}

/** Text bindings as a workerd config lists them. */
export function textBindings(bindings: Record<string, string>): string {
  return Object.entries(bindings)
    .map(([name, text]) =>
      `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`
    )
    .join(",\n    ");
}

/**
 * A workerd config serving the ES module `module` (a file name beside the
 * config) on `port` with text `bindings`, its outbound allowed to loopback.
 */
export function workerdConfig(
  port: number,
  module: string,
  bindings: Record<string, string>,
): string {
  const list = textBindings(bindings);
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The default outbound reaches public addresses only; the mock is on loopback.
    (name = "loopback-net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed ${JSON.stringify(module)})],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback-net",
  bindings = [
    ${list}
  ],
);
`;
}

/**
 * Bundles the worker `entry`, serves it in `workerd` with the bindings
 * `env` gives, and runs `check` against it as {@linkcode withApp} does.
 */
export async function withWorkerdApp(
  workerd: Runtime,
  entry: string,
  env: (base: string, mock: MockTwitch) => Record<string, string>,
  check: (base: string, mock: MockTwitch) => Promise<void>,
  ready?: string,
): Promise<void> {
  await using worker = await bundleToTemp(entry, "worker.js");
  await withApp(
    async ({ port, base, mock }) => {
      await Deno.writeTextFile(
        `${worker.dir}/config.capnp`,
        workerdConfig(port, "worker.js", env(base, mock)),
      );
      return {
        command: pathOf(workerd),
        args: ["serve", `${worker.dir}/config.capnp`],
      };
    },
    check,
    ready,
  );
}

/**
 * Runs tests/_node_helpers.mjs under `command` (node, bun) on web.ts bundled,
 * against the mock, and checks what it reports: the token helpers work, and
 * print tokens redacted.
 */
export async function assertHelpersRunUnder(command: string): Promise<void> {
  await using web = await bundleToTemp("web.ts");
  await using mock = await startMockTwitch();
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const run = await runCommand(command, [
    `${ROOT}tests/_node_helpers.mjs`,
    web.path,
    mock.authBaseUrl,
    mock.clientId,
    mock.clientSecret,
    issued.refreshToken,
  ]);
  assertEquals(run.code, 0, run.stderr);
  assertEquals(JSON.parse(run.stdout), {
    appClientId: mock.clientId,
    revoked: true,
    refused: "InvalidRefreshTokenError",
    printedInFull: false,
  });
}

/**
 * A test that needs `found` (skipped outside CI when it is missing, see
 * {@linkcode skipUnless}); `fn` gets the runtime's binary.
 */
export function runtimeTest(
  found: Runtime,
  what: string,
  name: string,
  fn: (bin: string) => Promise<void>,
): void {
  Deno.test({ name, ...skipUnless(found, what), fn: () => fn(pathOf(found)) });
}
