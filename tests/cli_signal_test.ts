// Ctrl+C (SIGINT) ends every waiting command of the CLI whatever connections
// a local program holds open: the CLI runs as a subprocess, a raw TCP
// connection sends a request head announcing a body that never comes (issue
// 8's attack), and the CLI must still exit. Each test gives it a generous
// GUARD to exit before killing it and failing; how fast it exits is measured
// outside the suite (tests never assert wall-clock speed).

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { argv, assertInterrupted, type CliResult, spawnCli } from "./_cli.ts";
import { closedPort } from "./_util.ts";

const CLIENT_ID = "signal0test0client0id000000001";
const CLIENT_SECRET = "signal0test0client0secret00001";
/** How long the CLI gets to exit after Ctrl+C before the test kills it and fails. */
const GUARD = 10_000;
const IGNORE = Deno.build.os === "windows"; // no SIGINT to send there

/** A request head that announces 100 bytes of body, and no body. */
function stalledPost(path: string): Uint8Array {
  return new TextEncoder().encode(
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`,
  );
}

/** Connections that send `head` and then hold still; closed by the test. */
async function holdConnections(
  port: number,
  heads: Uint8Array[],
): Promise<Deno.Conn[]> {
  const held: Deno.Conn[] = [];
  for (const head of heads) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    held.push(conn);
    await conn.write(head);
  }
  return held;
}

/**
 * Waits for an answer on another connection: the server accepts
 * connections in order, so by then it has accepted the held ones.
 */
async function answered(url: string): Promise<void> {
  const response = await fetch(url);
  await response.body?.cancel();
}

function closeAll(conns: Deno.Conn[]): void {
  for (const conn of conns) {
    try {
      conn.close();
    } catch {
      // the CLI's side closed it and so did we
    }
  }
}

/**
 * Sends SIGINT and waits for the exit; a process still running after
 * {@linkcode GUARD} is killed and the test fails.
 */
async function interrupt(
  child: Deno.ChildProcess,
  finish: () => Promise<CliResult>,
): Promise<CliResult> {
  child.kill("SIGINT");
  const finishing = finish();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), GUARD);
  });
  const result = await Promise.race([finishing, hung]);
  clearTimeout(timer);
  if (result !== "hung") return result;
  child.kill("SIGKILL");
  const killed = await finishing;
  throw new Error(
    `still running ${GUARD / 1000} s after Ctrl+C; stderr:\n${killed.stderr}`,
  );
}

/** The port is free again: nothing of the CLI listens on it any more. */
function assertPortFree(port: number): void {
  Deno.listen({ hostname: "127.0.0.1", port }).close();
}

function startMock(redirectUris: string[] = []): Promise<MockTwitch> {
  return startMockTwitch({
    consent: "page",
    deviceInterval: 1,
    clients: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris },
    ],
  });
}

Deno.test({
  name:
    "token: Ctrl+C exits 130 while connections to the callback port hold bodies that never come",
  ignore: IGNORE,
  async fn() {
    const port = closedPort();
    const redirect = `http://localhost:${port}`;
    await using mock = await startMock([redirect]);
    const cli = spawnCli(
      argv`token --no-browser -s chat:read --auth-base-url ${mock.authBaseUrl} --port ${
        String(port)
      } --redirect-url ${redirect} --timeout 600`,
      {
        env: {
          TWITCH_CLIENT_ID: CLIENT_ID,
          TWITCH_CLIENT_SECRET: CLIENT_SECRET,
        },
      },
    );
    await cli.waitForStderr(/oauth2\/authorize\S+/);
    const held = await holdConnections(port, [
      stalledPost("/"), // the issue's attack
      new TextEncoder().encode(
        "GET /?code=x&state=y HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n",
      ),
      new TextEncoder().encode("GET / HTTP/1.1\r\nHost: loc"), // a head that never ends
    ]);
    try {
      await answered(`http://localhost:${port}/favicon.ico`);
      assertInterrupted(await interrupt(cli.child, cli.finish));
      assertPortFree(port);
    } finally {
      closeAll(held);
    }
  },
});

Deno.test({
  name:
    "token --demo: Ctrl+C exits 130 while a connection to the demo's mock holds a body that never comes",
  ignore: IGNORE,
  async fn() {
    const dir = await Deno.makeTempDir();
    const opened = `${dir}/opened.json`;
    let held: Deno.Conn[] = [];
    try {
      // A browser that takes the URL and does nothing with it: the sign-in waits.
      const cli = spawnCli(
        argv`token --demo --browser ${`"${Deno.execPath()}" run -A tests/_record_args.ts "${opened}"`}`,
      );
      const [, mockPort] = await cli.waitForStderr(
        /mock Twitch runs at http:\/\/127\.0\.0\.1:(\d+)\//,
      );
      await cli.waitForStderr(/Opening the browser/);
      held = await holdConnections(Number(mockPort), [
        stalledPost("/oauth2/token"),
        stalledPost("/oauth2/device"),
      ]);
      await answered(`http://127.0.0.1:${mockPort}/oauth2/validate`);
      await waitForFile(opened);
      assertInterrupted(await interrupt(cli.child, cli.finish));
      assertPortFree(Number(mockPort));
    } finally {
      closeAll(held);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "device: Ctrl+C exits 130 while a poll is stalled at Twitch (the request is given up)",
  ignore: IGNORE,
  async fn() {
    await using mock = await startMock();
    const deviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    mock.injectFault({ path: "/oauth2/token", delay: 120_000 });
    const cli = spawnCli(
      argv`device -s chat:read --auth-base-url ${mock.authBaseUrl}`,
      { env: { TWITCH_CLIENT_ID: CLIENT_ID } },
    );
    await cli.waitForStderr(/enter the code: [A-Z]{4}-[A-Z]{4}/);
    while (mock.countRequests({ grantType: deviceGrant }) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assertInterrupted(await interrupt(cli.child, cli.finish));
  },
});

Deno.test({
  name:
    "mock: Ctrl+C stops it while a connection holds a body that never comes",
  ignore: IGNORE,
  async fn() {
    const port = closedPort();
    const cli = spawnCli(["mock", "--port", String(port)]);
    await cli.waitForStdout(/export TWITCH_AUTH_BASE_URL=/);
    const held = await holdConnections(port, [
      stalledPost("/oauth2/token"),
      stalledPost("/oauth2/revoke"),
    ]);
    try {
      await answered(`http://127.0.0.1:${port}/oauth2/validate`);
      const result = await interrupt(cli.child, cli.finish);
      assertEquals(result.code, 0, result.stderr);
      assertStringIncludes(result.stderr, "Mock Twitch stopped.");
      assertPortFree(port);
    } finally {
      closeAll(held);
    }
  },
});

async function waitForFile(path: string): Promise<void> {
  await waitUntil(async () => {
    try {
      await Deno.stat(path);
      return true;
    } catch {
      return false;
    }
  });
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert(false, "waited 10 s for a condition");
}
