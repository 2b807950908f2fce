import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import {
  AccessDeniedError,
  AccessToken,
  AuthorizationError,
  CancelledError,
  InvalidArgumentError,
  InvalidClientError,
  PortInUseError,
  TimeoutError,
  Twitch,
  UserAuthenticator,
} from "../mod.ts";
import { type Visit, visit } from "./_browser.ts";
import { signInByHand, startSignInApp } from "./_sign_in.ts";
import { authorizeCode, lastRequest } from "./_util.ts";

/** Catches the authorize URL without opening it. */
function catcher(): { open: (url: string) => void; url: Promise<string> } {
  const seen = Promise.withResolvers<string>();
  return { open: (url) => seen.resolve(url), url: seen.promise };
}

/** A browser that is handed the URL and follows it; `visited` resolves with what it saw. */
function browser(): {
  open: (url: string) => void;
  visited: Promise<Visit>;
  url: Promise<string>;
} {
  const seen = Promise.withResolvers<string>();
  const visited = seen.promise.then((url) => visit(url));
  return { open: (url) => seen.resolve(url), visited, url: seen.promise };
}

function assertPortFree(port: number): void {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  listener.close();
}

Deno.test("authenticate: the browser follows Twitch's redirect, the code is exchanged, the server closes", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator(["chat:read", "bits:read"]);
  const b = browser();
  const token = await signInByHand(auth, {
    authUrlCallback: b.open,
  }).flow;
  const page = await b.visited;
  assertEquals(page.status, 200);
  assertStringIncludes(page.text, "Signed in");
  assert(token instanceof AccessToken);
  assertEquals(token.scopes, ["chat:read", "bits:read"]);
  assert(token.refreshToken);
  assertPortFree(app.port);
  const url = new URL(await b.url);
  assertEquals(url.searchParams.get("client_id"), app.mock.clientId);
  assertEquals(url.searchParams.get("redirect_uri"), app.redirect);
  assertEquals(url.searchParams.get("response_type"), "code");
  assertEquals(url.searchParams.get("force_verify"), "false");
  assertStringIncludes(url.search, "scope=chat%3Aread%20bits%3Aread");
  assertMatch(url.searchParams.get("state")!, /^[A-Za-z0-9_-]{43}$/);
  assertFalse(
    url.href.includes(app.mock.clientSecret),
    "the secret is in the URL",
  );
  const exchange = lastRequest(app.mock, "/oauth2/token");
  assertEquals([...exchange.query.keys()], []);
});

Deno.test("authenticate: every run has a fresh state, and two runs in a row reuse the port", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const states: string[] = [];
  for (let run = 0; run < 2; run++) {
    const b = browser();
    await auth.authenticate({ useBrowser: false, authUrlCallback: b.open });
    await b.visited;
    states.push(new URL(await b.url).searchParams.get("state")!);
  }
  const other = app.authenticator();
  const b = browser();
  await other.authenticate({ useBrowser: false, authUrlCallback: b.open });
  await b.visited;
  states.push(new URL(await b.url).searchParams.get("state")!);
  assertEquals(new Set(states).size, 3);
});

Deno.test("authenticate: Cancel on Twitch rejects with AccessDeniedError and shows why", async () => {
  await using app = await startSignInApp("deny");
  const auth = app.authenticator();
  const b = browser();
  const error = await assertRejects(
    () => auth.authenticate({ useBrowser: false, authUrlCallback: b.open }),
    AccessDeniedError,
  );
  assertEquals(error.description, "The user denied you access");
  const page = await b.visited;
  assertStringIncludes(page.text, "Sign-in cancelled");
  assertStringIncludes(page.text, "The user denied you access");
  assertPortFree(app.port);
});

Deno.test("authenticate: an error description from the URL is HTML-escaped", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const b = catcher();
  const flow = assertRejects(
    () => auth.authenticate({ useBrowser: false, authUrlCallback: b.open }),
    AuthorizationError,
  );
  const state = new URL(await b.url).searchParams.get("state")!;
  const attack = `${app.redirect}/?error=invalid_scope&error_description=${
    encodeURIComponent("<script>alert(1)</script>\u001b[31m: red\u0007")
  }&state=${state}`;
  const page = await visit(attack);
  const error = await flow;
  assertFalse(page.text.includes("<script>alert(1)"), page.text);
  assertEquals(error.description, "<script>alert(1)</script>[31m: red"); // ESC and BEL dropped
  assertStringIncludes(page.text, "&lt;script&gt;alert(1)&lt;/script&gt;");
  assertFalse(page.text.includes("\u001b"));
  assertStringIncludes(
    (await fetch(attack).catch((e) => e)).toString(),
    "Error", // the server is closed: the browser can no longer reach it
  );
});

Deno.test("authenticate: a wrong or missing state gets 400 and the flow waits for the real callback", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const b = signInByHand(auth);
  const flow = b.flow;
  const real = await b.url;
  const forgedCode = await authorizeCode(app.mock, ["chat:read"], app.redirect);
  const forged = await visit(
    `${app.redirect}/?code=${forgedCode}&scope=chat%3Aread&state=guessed`,
  );
  assertEquals(forged.status, 400);
  assertEquals(
    (await visit(`${app.redirect}/?code=${forgedCode}`)).status,
    400,
  );
  const state = new URL(real).searchParams.get("state")!;
  assertEquals((await visit(`${app.redirect}/?state=${state}`)).status, 400); // no code
  assertEquals((await visit(`${app.redirect}/favicon.ico`)).status, 404);
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 0);
  assertEquals((await visit(real)).status, 200);
  assert((await flow)?.accessToken);
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 1);
});

Deno.test("authenticate: a foreign Host header is refused (DNS rebinding)", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const b = signInByHand(auth);
  const flow = b.flow;
  const state = new URL(await b.url).searchParams.get("state")!;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: app.port });
  await conn.write(new TextEncoder().encode(
    `GET /?code=x&state=${state} HTTP/1.1\r\nHost: evil.example:${app.port}\r\nConnection: close\r\n\r\n`,
  ));
  const reply = new TextDecoder().decode(
    await new Response(conn.readable).arrayBuffer(),
  );
  assertStringIncludes(reply.split("\r\n")[0], "403");
  auth.stop();
  await assertRejects(() => flow, CancelledError);
});

Deno.test("authenticate: both loopback addresses answer, whichever localhost resolves to", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const b = signInByHand(auth);
  const flow = b.flow;
  await b.url;
  const v4 = await fetch(`http://127.0.0.1:${app.port}/favicon.ico`);
  await v4.body?.cancel();
  assertEquals(v4.status, 404);
  const v6 = await fetch(`http://[::1]:${app.port}/favicon.ico`).catch(() =>
    undefined
  );
  await v6?.body?.cancel();
  if (v6) assertEquals(v6.status, 404); // machines without IPv6 skip this half
  auth.stop();
  await assertRejects(() => flow, CancelledError);
});

Deno.test("authenticate: a failed code exchange shows what to fix and rejects", async () => {
  await using app = await startSignInApp();
  const twitch = new Twitch(
    app.mock.clientId,
    "wrong0secret000000000000000000",
    {
      authBaseUrl: app.mock.authBaseUrl,
    },
  );
  const auth = new UserAuthenticator(twitch, ["chat:read"], {
    url: app.redirect,
  });
  const b = browser();
  await assertRejects(
    () => auth.authenticate({ useBrowser: false, authUrlCallback: b.open }),
    InvalidClientError,
  );
  const page = await b.visited;
  assertStringIncludes(page.text, "client secret");
  assertFalse(page.text.includes("wrong0secret"));
});

Deno.test("authenticate: timeout rejects with TimeoutError and frees the port", async () => {
  await using app = await startSignInApp();
  const { flow } = signInByHand(app.authenticator(), {
    authUrlCallback: () => {},
    timeout: 100,
  });
  const error = await assertRejects(() => flow, TimeoutError);
  assertEquals(error.timeout, 100);
  assertPortFree(app.port);
});

Deno.test("authenticate: a signal or stop() cancels, and the authenticator can run again", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const controller = new AbortController();
  const cancelled = signInByHand(auth, {
    authUrlCallback: () => controller.abort(new Error("user quit")),
    signal: controller.signal,
  }).flow;
  const error = await assertRejects(() => cancelled, CancelledError);
  assertEquals((error.cause as Error).message, "user quit");
  assertPortFree(app.port);
  const stopped = signInByHand(auth, {
    authUrlCallback: () => auth.stop(),
  }).flow;
  await assertRejects(() => stopped, CancelledError);
  assertPortFree(app.port);
  await assertRejects(
    () => auth.authenticate({ signal: AbortSignal.abort() }),
    CancelledError,
  );
  const b = browser();
  assert(
    await auth.authenticate({ useBrowser: false, authUrlCallback: b.open }),
  );
  await b.visited;
});

Deno.test("authenticate: a taken port rejects at once with PortInUseError naming it", async () => {
  await using app = await startSignInApp();
  using _listener = Deno.listen({ hostname: "127.0.0.1", port: app.port });
  const auth = app.authenticator();
  const error = await assertRejects(
    () => auth.authenticate({ useBrowser: false, authUrlCallback: () => {} }),
    PortInUseError,
  );
  assertEquals(error.port, app.port);
  assertStringIncludes(error.message, String(app.port));
  assertStringIncludes(error.message, "--port");
});

Deno.test("authenticate: userToken exchanges a code without browser or server", async () => {
  await using app = await startSignInApp();
  const code = await authorizeCode(app.mock, ["chat:read"], app.redirect);
  const auth = app.authenticator();
  let called: AccessToken | undefined;
  const result = await auth.authenticate({
    userToken: code,
    callback: (t) => void (called = t),
  });
  assertEquals(result, undefined);
  assertEquals(called?.scopes, ["chat:read"]);
});

Deno.test("returnAuthUrl gives the URL the next authenticate() waits for", async () => {
  await using app = await startSignInApp();
  const auth = new UserAuthenticator(app.twitch, ["chat:read"], {
    url: app.redirect,
    forceVerify: true,
  });
  const url = auth.returnAuthUrl();
  assertEquals(new URL(url).searchParams.get("force_verify"), "true");
  const flow = signInByHand(auth, {
    authUrlCallback: () => {},
  }).flow;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assertEquals(auth.returnAuthUrl(), url);
  assertEquals((await visit(url)).status, 200);
  assert(await flow);
  assertNotEquals(auth.returnAuthUrl(), url);
});

Deno.test("authenticate: the browser option runs that command with the URL", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const script = new URL("./_fetch_browser.ts", import.meta.url).pathname;
  const token = await auth.authenticate({
    browser: `"${Deno.execPath()}" run -A ${script}`,
    timeout: 20_000,
  });
  assert(token?.accessToken);
});

Deno.test("a redirect URL that is not http:// is refused up front, saying why", async () => {
  await using app = await startSignInApp();
  const error = assertThrows(
    () =>
      new UserAuthenticator(app.twitch, [], { url: "https://localhost:17563" }),
    InvalidArgumentError,
  );
  assertStringIncludes(error.message, "http://");
  assertThrows(
    () => new UserAuthenticator(app.twitch, [], { url: "not a url" }),
    InvalidArgumentError,
  );
  assertThrows(
    () => new UserAuthenticator(app.twitch, [], { port: 70000 }),
    InvalidArgumentError,
  );
});

Deno.test("authenticate: a throwing authUrlCallback ends the sign-in with its error", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const error = await assertRejects(
    () =>
      signInByHand(auth, {
        authUrlCallback: () => {
          throw new Error("could not send the URL to the phone");
        },
      }).flow,
    Error,
  );
  assertEquals(error.message, "could not send the URL to the phone");
  assertPortFree(app.port);
});

/** Fails instead of hanging when `promise` does not settle within `ms`. */
async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still pending after ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("authenticate: an authUrlCallback that never settles does not keep the sign-in from ending", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const flow = assertRejects(
    () =>
      signInByHand(auth, {
        authUrlCallback: () => new Promise(() => {}),
        timeout: 100,
      }).flow,
    TimeoutError,
  );
  await settlesWithin(flow, 10_000);
  assertPortFree(app.port);
});

Deno.test("authenticate: a browser that stays open is left running, not waited for", async () => {
  await using app = await startSignInApp();
  const pidFile = await Deno.makeTempFile();
  const script = new URL("./_lingering_browser.ts", import.meta.url).pathname;
  try {
    const auth = app.authenticator();
    const token = await settlesWithin(
      auth.authenticate({
        browser: `"${Deno.execPath()}" run -A ${script} ${pidFile}`,
        timeout: 20_000,
      }),
      30_000,
    );
    assert(token.accessToken);
    let pid = 0;
    for (let i = 0; i < 100 && !pid; i++) {
      pid = Number(await Deno.readTextFile(pidFile)) || 0;
      if (!pid) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert(pid > 0, "the browser never reported its pid");
    Deno.kill(pid, "SIGTERM"); // still running: the sign-in did not wait for it to exit
  } finally {
    await Deno.remove(pidFile);
  }
});

Deno.test("authenticate: stop() during the code exchange aborts the exchange too", async () => {
  await using app = await startSignInApp();
  app.mock.injectFault({ path: "/oauth2/token", delay: 30_000 });
  const auth = app.authenticator();
  const b = browser();
  const flow = assertRejects(
    () => auth.authenticate({ useBrowser: false, authUrlCallback: b.open }),
    CancelledError,
  );
  while (app.mock.countRequests({ grantType: "authorization_code" }) === 0) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  auth.stop();
  await flow;
  const page = await b.visited;
  // the browser's page comes from the aborted exchange, not from a 30 s wait
  assertStringIncludes(page.text, "cancelled");
});

/** The local addresses listening on `port`, read from /proc/net/tcp{,6}. */
async function listeningAddresses(port: number): Promise<string[]> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const addresses: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await Deno.readTextFile(file).catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === "0A" && local?.endsWith(`:${hexPort}`)) {
        addresses.push(local.slice(0, -5));
      }
    }
  }
  return addresses.toSorted();
}

Deno.test({
  name: "authenticate: the callback server listens on loopback addresses only",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using app = await startSignInApp();
    const hasIpv6Loopback = (() => {
      try {
        Deno.listen({ hostname: "::1", port: 0 }).close();
        return true;
      } catch {
        return false;
      }
    })();
    const auth = app.authenticator();
    const b = catcher();
    const flow = assertRejects(
      () => auth.authenticate({ useBrowser: false, authUrlCallback: b.open }),
      CancelledError,
    );
    await b.url;
    const addresses = await listeningAddresses(app.port);
    auth.stop();
    await flow;
    const IPV4_LOOPBACK = "0100007F"; // 127.0.0.1, little-endian hex
    const IPV6_LOOPBACK = "00000000000000000000000001000000"; // ::1
    assertEquals(
      addresses,
      hasIpv6Loopback
        ? [IPV6_LOOPBACK, IPV4_LOOPBACK].toSorted()
        : [IPV4_LOOPBACK],
    );
  },
});
