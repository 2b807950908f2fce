/**
 * `mock`: the mock Twitch from `@x/twitch-auth/testing` in the foreground
 * until Ctrl+C, so that tokens it issues keep working across commands (and
 * for bots and the examples) while it runs.
 *
 * @module
 */

import { DEFAULT_REDIRECT_URL } from "../deno/user_authenticator.ts";
import { TwitchAuthError } from "../web/errors.ts";
import { EXIT_OK } from "./_exit_codes.ts";
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
  const { options } = cli;
  const { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER, startMockTwitch } =
    await import("../../testing.ts");
  const { stopMock } = await import("./_demo.ts");
  const redirectUrls = [
    ...new Set([
      DEFAULT_REDIRECT_URL,
      options.redirectUrl ?? DEFAULT_REDIRECT_URL,
    ]),
  ];
  const stopped = Promise.withResolvers<void>();
  const stopListening = cli.io.onInterrupt(() => stopped.resolve());
  try {
    const mock = await startMockTwitch({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      consent: "page",
      deviceInterval: 1,
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
  Redirect URLs:  ${redirectUrls.join(" ")}
  Signed-in user: ${DEMO_USER.login} (user id ${DEMO_USER.id})

Paste these lines into another terminal, then run twitch-auth, a bot or an example there:
export TWITCH_CLIENT_ID=${DEMO_CLIENT_ID} TWITCH_CLIENT_SECRET=${DEMO_CLIENT_SECRET}
export TWITCH_AUTH_BASE_URL=${mock.authBaseUrl} TWITCH_HELIX_BASE_URL=${mock.helixBaseUrl}
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
