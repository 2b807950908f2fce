/**
 * `mock`: the mock Twitch from `@x/twitch-auth/testing` in the foreground
 * until Ctrl+C, so that tokens it issues keep working across commands (and
 * for bots and the examples) while it runs; `mock expire` and `mock revoke`
 * steer a running one from another terminal.
 *
 * @module
 */

import { DEFAULT_REDIRECT_URI } from "../deno/user_authenticator.ts";
import { TwitchAuthError } from "../web/errors.ts";
import type { MockServedRequest } from "../testing/mock_types.ts";
import { EXIT_OK } from "./_exit_codes.ts";
import { readTokenArgument } from "./_input.ts";
import { UsageError } from "./_options.ts";
import type { CliContext } from "./_run.ts";

/**
 * Runs `mock`: starts it on loopback (`--port`, default any free port) with
 * the demo app registered for `http://localhost:17563` and `--redirect-url`,
 * prints where it is and the `export` lines for other terminals, and stops
 * it on Ctrl+C.
 *
 * @param cli The command line (`--port`, `--redirect-url`).
 * @returns The exit code (0 once stopped with Ctrl+C).
 */
export async function runMock(cli: CliContext): Promise<number> {
  if (cli.options.mockAction) return await steerMock(cli);
  return await serveMock(cli);
}

/** Starts the mock and serves until Ctrl+C. */
async function serveMock(cli: CliContext): Promise<number> {
  const { options } = cli;
  const { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER, startMockTwitch } =
    await import("../../testing.ts");
  const { stopMock } = await import("./_demo.ts");
  const redirectUrls = [
    ...new Set([DEFAULT_REDIRECT_URI, ...options.redirectUrls]),
  ];
  const stopped = Promise.withResolvers<void>();
  const stopListening = cli.io.onInterrupt(() => stopped.resolve());
  try {
    const mock = await startMockTwitch({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      consent: "page",
      deviceInterval: 1,
      accessTokenLifetime: options.tokenLifetime,
      onRequest: (served) => cli.io.writeErr(`${requestLine(served)}\n`),
      clients: [{
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        redirectUris: redirectUrls,
        name: "twitch-auth demo",
      }],
    }).catch((error) => {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      throw new TwitchAuthError(
        `Port ${options.port} on 127.0.0.1 is already in use (another mock running?): stop that program, or pick another port with --port`,
        { cause: error },
      );
    });
    try {
      await cli.io.writeOut(
        `Mock Twitch is running on ${mock.url} (Ctrl+C stops it; tokens work while it runs).
  Auth base URL:  ${mock.authBaseUrl}
  Helix base URL: ${mock.helixBaseUrl}
  Client id:      ${DEMO_CLIENT_ID}
  Client secret:  ${DEMO_CLIENT_SECRET} (the demo app's; it works only here)
  Redirect URLs:  ${
          redirectUrls.join(" ")
        } (add one with --redirect-url, repeatable)
  Signed-in user: ${DEMO_USER.login} (user id ${DEMO_USER.id})
  Token lifetime: ${mock.accessTokenLifetime} s (--token-lifetime SECONDS)

Paste these lines into another terminal, then run twitch-auth, a bot or an example there:
export TWITCH_CLIENT_ID=${DEMO_CLIENT_ID} TWITCH_CLIENT_SECRET=${DEMO_CLIENT_SECRET}
export TWITCH_AUTH_BASE_URL=${mock.authBaseUrl} TWITCH_HELIX_BASE_URL=${mock.helixBaseUrl}

From there, "twitch-auth mock expire --all" expires every token (bots refresh),
"twitch-auth mock revoke --all" revokes them (bots must sign in again).
Each request the mock answers is shown below, one line each, on stderr.
`,
      );
      await stopped.promise;
    } finally {
      await stopMock(mock);
    }
  } finally {
    stopListening();
  }
  cli.io.writeErr("Mock Twitch stopped.\n");
  return EXIT_OK;
}

/** One line for a request the mock answered: no token, code or secret. */
export function requestLine(served: MockServedRequest): string {
  const time = new Date().toISOString().slice(11, 19);
  const grant = served.grantType ? ` (${served.grantType})` : "";
  return `${time} ${served.method} ${served.pathname}${grant} -> ${served.status} (${served.duration} ms)`;
}

/**
 * `mock expire` / `mock revoke`: asks the running mock (at `--auth-base-url`
 * or `TWITCH_AUTH_BASE_URL`, as its export lines set) to expire or revoke
 * one token or all of them.
 */
async function steerMock(cli: CliContext): Promise<number> {
  const { options } = cli;
  const action = options.mockAction as string;
  if (options.authBaseUrl === undefined) {
    throw new UsageError(
      `mock ${action} talks to a running mock: paste its export lines (TWITCH_AUTH_BASE_URL) into this terminal, or pass --auth-base-url`,
    );
  }
  const form = new URLSearchParams({ action });
  if (options.all) form.set("all", "true");
  else {
    form.set(
      "token",
      await readTokenArgument(options.tokenArgument, "token", cli.io),
    );
  }
  const url = `${new URL(options.authBaseUrl).origin}/mock/control`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "Mock-Control": "1" },
    body: form,
    signal: AbortSignal.any([
      cli.signal,
      AbortSignal.timeout(options.timeout ?? 10_000),
    ]),
  }).catch((error) => {
    throw new TwitchAuthError(
      `No mock answers at ${url} (${
        error instanceof Error ? error.message : error
      }): is "twitch-auth mock" still running, and is TWITCH_AUTH_BASE_URL its URL?`,
      { cause: error },
    );
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.changed !== "number") {
    throw new TwitchAuthError(
      `The mock at ${url} refused: ${response.status} ${
        typeof body.message === "string" ? body.message : "(not a mock?)"
      }`,
    );
  }
  const what = action === "expire" ? "Expired" : "Revoked";
  await cli.io.writeOut(
    `${what} ${body.changed} token${body.changed === 1 ? "" : "s"}.\n`,
  );
  return EXIT_OK;
}
