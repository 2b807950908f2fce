/**
 * `--demo`: the mock Twitch from `./testing`, on loopback, with the demo app
 * registered for the CLI's redirect URL. Loaded only in demo mode.
 *
 * @module
 */

import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  type MockTwitch,
  startMockTwitch,
} from "../../testing.ts";

/** A running demo: the mock and the demo app's credentials. */
export interface Demo {
  /** The demo app's client id. */
  clientId: string;
  /** The demo app's client secret (it only works against the mock). */
  clientSecret: string;
  /** The mock's OAuth base URL. */
  authBaseUrl: string;
  /**
   * Approves the sign-in with no browser: sets the mock to approve, then
   * follows the authorize URL and its redirect to the callback with `fetch`.
   */
  approve(authorizeUrl: string): Promise<void>;
  /** Approves a device sign-in, as the user would on the activation page. */
  approveDevice(userCode: string): void;
  /** Stops the mock (see {@linkcode stopMock}). */
  close(): Promise<void>;
}

/**
 * How long stopping the mock waits for requests still open, in
 * milliseconds.
 */
export const MOCK_CLOSE_GRACE = 250;

/**
 * Stops the mock, waiting at most {@linkcode MOCK_CLOSE_GRACE} for requests
 * still open. The listener closes at once, but `Deno.serve`'s shutdown waits
 * for every request under way, and a request whose body never arrives is
 * under way forever: one local program could keep the CLI from exiting on
 * Ctrl+C. The CLI exits right after this, which drops what is still open.
 *
 * @param mock The running mock.
 */
export async function stopMock(mock: MockTwitch): Promise<void> {
  const closing = mock.close();
  closing.catch(() => {}); // awaited below unless the grace runs out first
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      closing,
      new Promise((resolve) => timer = setTimeout(resolve, MOCK_CLOSE_GRACE)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the mock on a free loopback port, with the demo app registered for
 * `redirectUrl` only. Its consent page waits for a click until
 * {@linkcode Demo.approve}; device sign-ins poll every second.
 *
 * @param redirectUrl The redirect URL the CLI's callback server answers.
 * @returns The running demo.
 */
export async function startDemo(redirectUrl: string): Promise<Demo> {
  const mock = await startMockTwitch({
    hostname: "127.0.0.1",
    port: 0,
    consent: "page",
    deviceInterval: 1,
    clients: [{
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUris: [redirectUrl],
      name: "twitch-auth demo",
    }],
  });
  return {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    authBaseUrl: mock.authBaseUrl,
    approve: (url) => approveOnMock(mock, url),
    approveDevice: (userCode) => mock.approveDevice(userCode),
    close: () => stopMock(mock),
  };
}

async function approveOnMock(mock: MockTwitch, url: string): Promise<void> {
  mock.consent = "approve";
  const authorize = await fetch(url, { redirect: "manual" });
  await authorize.body?.cancel();
  const location = authorize.headers.get("Location");
  if (!location) {
    throw new Error(
      `the mock answered the authorize URL with HTTP ${authorize.status}, not a redirect`,
    );
  }
  const callback = await fetch(location);
  await callback.body?.cancel();
}
