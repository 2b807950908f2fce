// Shared test helpers: get codes the way a browser would, over real HTTP.

import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  type MockClient,
  type MockRequest,
  type MockTwitch,
  startMockTwitch,
} from "../testing.ts";
import { freeLoopbackPort } from "../src/cli/_free_port.ts";

/** Follows Twitch's authorize redirect (consent "approve") and returns the code. */
export async function authorizeCode(
  mock: MockTwitch,
  scopes: string[],
  redirectUri = "http://localhost:17563",
): Promise<string> {
  mock.consent = "approve";
  const url = new URL(`${mock.authBaseUrl}/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: mock.clientId,
    redirect_uri: redirectUri,
    scope: scopes.join(" "),
    state: "s".repeat(32),
  }).toString();
  const response = await fetch(url, { redirect: "manual" });
  await response.body?.cancel();
  const location = response.headers.get("Location") ?? "";
  const code = URL.parse(location)?.searchParams.get("code");
  if (!code) {
    throw new Error(`authorize answered ${response.status} ${location}`);
  }
  return code;
}

/**
 * A loopback port nobody listens on, for a server the test starts later.
 * Picked below the kernel's ephemeral range (32768 and up on Linux), where
 * port-0 listeners and outgoing connections of parallel test runs never land,
 * so it stays free until the test binds it (the CLI's --demo picks its
 * callback port the same way).
 */
export function closedPort(): number {
  return freeLoopbackPort();
}

/** Narrows a `/validate` answer to a valid token's, failing the test otherwise. */
export function assertValid<T extends object>(
  result: T,
): Exclude<T, { status: 401 }> {
  if ("status" in result) {
    throw new Error(`expected a valid token, got ${JSON.stringify(result)}`);
  }
  return result as Exclude<T, { status: 401 }>;
}

/** The fields of Twitch's answer with a user token, in Twitch's order. */
export const USER_TOKEN_FIELDS: readonly string[] = [
  "access_token",
  "expires_in",
  "refresh_token",
  "scope",
  "token_type",
];

/** A temporary folder; disposing it removes it with everything inside. */
export interface TempDir extends AsyncDisposable {
  /** The folder's path. */
  path: string;
}

/** Makes a temporary folder: `await using dir = await tempDir()`. */
export async function tempDir(): Promise<TempDir> {
  const path = await Deno.makeTempDir();
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/**
 * A test of file modes, links or signals, skipped on Windows (which has none
 * of them): `fn` gets a fresh temporary folder, removed after it.
 */
export function posixTest(
  name: string,
  fn: (dir: string) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: Deno.build.os === "windows",
    async fn() {
      await using temp = await tempDir();
      await fn(temp.path);
    },
  });
}

/** `Host` headers that are no host name or address with a valid port. */
export const MALFORMED_HOSTS: readonly string[] = [
  "a b",
  "localhost:99999",
  "[::1",
  ":17563",
  "",
  "localhost:0",
  "localhost:-1",
  "local\u00e9host",
  "local\u00ffhost",
  "localhost:17563:1",
  "localhost:80:80",
  "[::1]x",
  "localhost/x",
  "user@localhost",
  "%00",
  "localhost.",
];

/** The last request the mock saw on `pathname` (such as `/oauth2/token`). */
export function lastRequest(mock: MockTwitch, pathname: string): MockRequest {
  const request = mock.requests.findLast((r) => r.pathname === pathname);
  if (!request) throw new Error(`the mock saw no request on ${pathname}`);
  return request;
}

/**
 * The flag a child `deno run` of a test script takes when the script imports
 * a test-only package: the root deno.lock pins only what users download.
 */
export const TEST_LOCK_FLAG = `--lock=${
  new URL("./deno.lock", import.meta.url).pathname
}`;

/** The Chromium the browser tests drive (`TWITCH_AUTH_CHROMIUM`, else Debian's). */
export const CHROMIUM = Deno.env.get("TWITCH_AUTH_CHROMIUM") ||
  "/usr/bin/chromium";

/** Whether {@linkcode CHROMIUM} is installed: the browser tests skip without it. */
export const chromiumAvailable: boolean = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

/** The script that drives Chromium like a user (the sign-in's `browser` command). */
export const CHROMIUM_SCRIPT: string = decodeURIComponent(
  new URL("./_chromium_browser.ts", import.meta.url).pathname,
);

/**
 * A mock whose user approves at once, with one confidential app (the demo
 * app unless `app` says otherwise) registered for `redirectUri`, and `more`
 * apps beside it.
 */
export function approvingMock(
  redirectUri: string,
  more: MockClient[] = [],
  app: { clientId: string; clientSecret: string } = {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
  },
): Promise<MockTwitch> {
  return startMockTwitch({
    consent: "approve",
    clients: [{ ...app, redirectUris: [redirectUri] }, ...more],
  });
}
