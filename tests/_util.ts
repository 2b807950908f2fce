// Shared test helpers: get codes the way a browser would, over real HTTP.

import type { MockTwitch } from "../testing.ts";

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
 * so it stays free until the test binds it.
 */
export function closedPort(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // taken: try another
    }
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
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
