// End to end in a real browser: the authenticator itself opens headless
// Chromium (tests/_chromium_browser.ts, through its `browser` option), which
// goes to the consent page, presses Authorize or Cancel like a user and lands
// on the localhost callback. Skipped only where Chromium is not installed.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import {
  AccessDeniedError,
  type AccessToken,
  PortInUseError,
  Twitch,
  UserAuthenticator,
  validateToken,
} from "../mod.ts";
import { type SignInApp, startSignInApp } from "./_sign_in.ts";
import { startStrictFake } from "./_strict_fake_twitch.ts";
import {
  assertValid,
  CHROMIUM,
  CHROMIUM_SCRIPT,
  chromiumAvailable,
  closedPort,
  TEST_LOCK_FLAG,
} from "./_util.ts";

if (!chromiumAvailable) {
  console.warn(
    `browser_e2e_test: skipped, no Chromium at ${CHROMIUM} (install it, or set TWITCH_AUTH_CHROMIUM)`,
  );
}

const SCOPES = ["chat:read", "user:read:email"];

/**
 * The `browser` command: Deno runs the Chromium script, the authenticator
 * appends the URL. It also gets a log file, since the authenticator discards
 * a browser's output, and a screenshot path when `E2E_SCREENSHOT` is set
 * (`name` goes before the extension, except for the "success" run).
 */
async function chromiumCommand(
  name: string,
  flags: string[] = [],
): Promise<{ browser: string; log: string }> {
  const log = await Deno.makeTempFile({ prefix: "twitch-auth-e2e-" });
  const args = [...flags, `--log=${log}`];
  const shot = Deno.env.get("E2E_SCREENSHOT");
  if (shot) {
    args.push(
      `--screenshot=${
        name === "success" ? shot : shot.replace(/(\.\w+)?$/, `-${name}$1`)
      }`,
    );
  }
  return {
    browser: [
      Deno.execPath(),
      "run",
      "-A",
      TEST_LOCK_FLAG,
      CHROMIUM_SCRIPT,
      ...args,
    ]
      .map((word) => `"${word.replace(/["\\]/g, "\\$&")}"`).join(" "),
    log,
  };
}

/**
 * Runs `body` with a signal that aborts as soon as the browser script reports
 * a failure (else the sign-in would wait for its whole timeout), and adds the
 * browser's log to whatever `body` throws.
 */
async function withLog<T>(
  log: string,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<{ result: T; log: string }> {
  const read = () => {
    try {
      return Deno.readTextFileSync(log);
    } catch {
      return "";
    }
  };
  const failed = new AbortController();
  const watch = setInterval(() => {
    if (read().includes("_chromium_browser:")) {
      failed.abort(new Error("the browser script failed"));
    }
  }, 200);
  try {
    const result = await body(failed.signal);
    // the sign-in may end before the script has logged and closed Chromium
    for (let waited = 0; !read() && waited < 40_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { result, log: read() };
  } catch (error) {
    if (error instanceof Error) {
      error.message += `\n--- the browser's log ---\n${read() || "(empty)"}`;
    }
    throw error;
  } finally {
    clearInterval(watch);
    await Deno.remove(log).catch(() => {});
  }
}

/** Signs in through `auth` in Chromium run as `name` (see {@linkcode chromiumCommand}). */
async function chromiumSignIn(
  auth: UserAuthenticator,
  name: string,
): Promise<{ result: AccessToken; log: string }> {
  const chromium = await chromiumCommand(name);
  return await withLog(
    chromium.log,
    (signal) =>
      auth.authenticate({ browser: chromium.browser, timeout: 60_000, signal }),
  );
}

function assertPortFree(port: number): void {
  Deno.listen({ hostname: "127.0.0.1", port }).close();
}

/**
 * Runs `body` with a free port, again with another one if something else
 * took the port between picking it and the callback server binding it.
 */
async function withFreePort<T>(body: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await body(closedPort());
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= 5) throw error;
    }
  }
}

/**
 * A test in Chromium against the mock on a free port (another one when
 * something took it meanwhile); the callback port must be free after.
 */
function chromiumTest(name: string, body: (app: SignInApp) => Promise<void>) {
  Deno.test({
    name,
    ignore: !chromiumAvailable,
    fn: () =>
      withFreePort(async (port) => {
        await using app = await startSignInApp("page", port);
        await body(app);
        assertPortFree(port);
      }),
  });
}

chromiumTest(
  "e2e: Chromium opened by the authenticator clicks Authorize on the consent page, the token works",
  async (app) => {
    const auth = app.authenticator(SCOPES);
    const { result: token, log } = await chromiumSignIn(auth, "success");
    assertEquals(log.trim(), "Signed in with Twitch");
    assertEquals(token.scopes, SCOPES);
    assert(token.refreshToken);
    const validation = assertValid(
      await validateToken(token.accessToken, {
        authBaseUrl: app.mock.authBaseUrl,
      }),
    );
    assertEquals(validation.client_id, app.mock.clientId);
    assertEquals(validation.scopes.toSorted(), SCOPES.toSorted());
    assertEquals(
      app.mock.countRequests({ grantType: "authorization_code" }),
      1,
    );
  },
);

chromiumTest(
  "e2e: Cancel clicked in Chromium rejects with AccessDeniedError and shows the cancelled page",
  async (app) => {
    const auth = app.authenticator(SCOPES);
    const chromium = await chromiumCommand("cancelled", ["--click=Cancel"]);
    const { log } = await withLog(
      chromium.log,
      (signal) =>
        auth.authenticate({
          browser: chromium.browser,
          timeout: 60_000,
          signal,
        }).then(
          () => assert(false, "the sign-in should have been denied"),
          (error) => {
            if (error instanceof PortInUseError) throw error; // retried
            assertInstanceOf(error, AccessDeniedError);
          },
        ),
    );
    assertEquals(log.trim(), "Sign-in cancelled");
    assertEquals(
      app.mock.countRequests({ grantType: "authorization_code" }),
      0,
    );
  },
);

Deno.test({
  name:
    "e2e: Chromium follows the independent strict fake's redirect, no protocol violations",
  ignore: !chromiumAvailable,
  async fn() {
    await withFreePort(async (port) => {
      const redirect = `http://localhost:${port}`;
      await using fake = await startStrictFake({ redirectUri: redirect });
      const twitch = new Twitch(fake.clientId, fake.clientSecret, {
        authBaseUrl: fake.authBaseUrl,
        helixBaseUrl: fake.helixBaseUrl,
      });
      const auth = new UserAuthenticator(twitch, SCOPES, { url: redirect });
      const { result: token, log } = await chromiumSignIn(auth, "strict");
      assertEquals(log.trim(), "Signed in with Twitch");
      const validation = assertValid(
        await validateToken(token.accessToken, {
          authBaseUrl: fake.authBaseUrl,
        }),
      );
      assertEquals(validation.user_id, fake.userId);
      assertEquals(validation.scopes.toSorted(), SCOPES.toSorted());
      assertEquals(
        fake.authorizeUrlSeen?.searchParams.get("redirect_uri"),
        redirect,
      );
      assertEquals(fake.violations, []);
      assertPortFree(port);
    });
  },
});
