// createTwitchLoginHandler over real HTTP: the handler served by Deno.serve on
// loopback, the mock Twitch on another port, and a cookie-keeping client that
// follows the redirects as a browser would.

import {
  assert,
  assertEquals,
  assertFalse,
  assertInstanceOf,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import {
  AccessDeniedError,
  createTwitchLoginHandler,
  type IdTokenFailure,
  InvalidArgumentError,
  InvalidIdTokenError,
  LoginStateError,
  type LoginSuccess,
  TwitchApiError,
  type TwitchAuthError,
  type TwitchLoginHandlerOptions,
} from "../web.ts";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USER,
  type MockTwitch,
} from "../testing.ts";
import { approvingMock } from "./_util.ts";
import { hmacKey, sealLoginState } from "../src/web/_login_cookie.ts";
import { secretBytes } from "../src/web/_cookie_secret.ts";
import { CookieClient } from "./_cookie_client.ts";
import { decodeJwt } from "jose";

const SECRET = "test-cookie-secret-of-at-least-32-bytes!";

interface App extends AsyncDisposable {
  base: string;
  mock: MockTwitch;
  successes: LoginSuccess[];
  failures: TwitchAuthError[];
  failedRequests: Request[];
}

/** The handler on a loopback port, the mock registered with its callback. */
async function startApp(
  extra: Partial<TwitchLoginHandlerOptions> = {},
): Promise<App> {
  let handler = (_: Request) =>
    Promise.resolve(new Response(null, { status: 503 }));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => handler(request),
  );
  const base = `http://localhost:${server.addr.port}`;
  const mock = await approvingMock(`${base}/callback`);
  const app: App = {
    base,
    mock,
    successes: [],
    failures: [],
    failedRequests: [],
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await mock.close();
    },
  };
  handler = createTwitchLoginHandler({
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    redirectUri: `${base}/callback`,
    scopes: ["user:read:email"],
    cookieSecret: SECRET,
    authBaseUrl: mock.authBaseUrl,
    onSuccess(success) {
      app.successes.push(success);
      return Response.redirect(`${base}/home`, 303);
    },
    onError(error, request) {
      app.failures.push(error);
      app.failedRequests.push(request);
      return new Response(error.name, { status: 418 });
    },
    ...extra,
  });
  return app;
}

/** Starts a login and stops before the callback: the client holds the cookie. */
async function callbackUrl(app: App, client: CookieClient): Promise<URL> {
  const visit = await client.visit(`${app.base}/login`, {
    stopAt: "/callback",
  });
  assertEquals(visit.status, 0, "the login did not reach the callback");
  return new URL(visit.url);
}

/** Options for a handler that is only created, never reaches Twitch. */
const OFFLINE_OPTIONS = {
  clientId: "app",
  clientSecret: "secret",
  cookieSecret: SECRET,
  onSuccess: () => new Response("ok"),
};

/** The login cookie the client holds, its fields read (not checked) and its MAC. */
function openLoginCookie(client: CookieClient) {
  const held = loginCookie(client)!;
  const [payload, mac] = held.value.split(".");
  const fields = JSON.parse(
    atob(payload.replaceAll("-", "+").replaceAll("_", "/")),
  );
  return { held, fields, mac };
}

function loginCookie(client: CookieClient) {
  return [...client.jar.values()].find((c) => c.name === "twitch_login");
}

Deno.test("a login over real HTTP: redirect, cookie, code exchange, verified ID token, onSuccess", async () => {
  await using app = await startApp();
  const client = new CookieClient();
  const visit = await client.visit(`${app.base}/login`);
  // The app's onSuccess redirected to /home, which the handler does not serve.
  assertEquals(visit.url, `${app.base}/home`);
  assertEquals(visit.status, 404);
  assertEquals(app.failures, []);
  assertEquals(app.successes.length, 1);
  const { token, user, request } = app.successes[0];
  assertEquals(user.sub, DEMO_USER.id);
  assertEquals(user.preferred_username, DEMO_USER.displayName);
  assertEquals(user.email, DEMO_USER.email);
  assertEquals(user.aud, DEMO_CLIENT_ID);
  assertEquals([...token.scopes].sort(), ["openid", "user:read:email"]);
  assert(token.idToken, "the AccessToken lost the id_token");
  assertFalse(Deno.inspect(token).includes(token.idToken!), "id_token printed");
  assertEquals(new URL(request.url).pathname, "/callback");
  assertEquals(visit.hops.length, 4); // /login, Twitch, /callback, /home
  assertEquals(
    loginCookie(client),
    undefined,
    "the login cookie was not cleared",
  );
  // The authorize URL carried state, nonce and claims; the secret went in POST bodies only.
  const authorize = new URL(visit.hops[1]);
  assertEquals(authorize.pathname, "/oauth2/authorize");
  assertMatch(authorize.searchParams.get("state")!, /^[\w-]{43}$/);
  assertMatch(authorize.searchParams.get("nonce")!, /^[\w-]{43}$/);
  assertEquals(JSON.parse(authorize.searchParams.get("claims")!).id_token, {
    preferred_username: null,
    picture: null,
    email: null,
    email_verified: null,
  });
  for (const hop of visit.hops) assertFalse(hop.includes(DEMO_CLIENT_SECRET));
});

Deno.test("the login cookie: HttpOnly, SameSite=Lax, short-lived, on the callback path, Secure except on localhost", async () => {
  const base = OFFLINE_OPTIONS;
  for (
    const [redirectUri, secure] of [
      ["http://localhost:8000/auth/twitch/callback", false],
      ["https://example.com/auth/twitch/callback", true],
    ] as const
  ) {
    const handler = createTwitchLoginHandler({ ...base, redirectUri });
    const response = await handler(
      new Request(new URL("/login", redirectUri)),
    );
    assertEquals(response.status, 302);
    assertEquals(response.headers.get("Cache-Control"), "no-store");
    assertEquals(
      response.headers.get("Content-Type"),
      "text/plain; charset=utf-8",
    );
    await response.body?.cancel();
    const cookie = response.headers.get("Set-Cookie")!;
    assertMatch(cookie, /^twitch_login=[\w-]+\.[\w-]+;/);
    for (
      const attribute of [
        "HttpOnly",
        "SameSite=Lax",
        "Max-Age=600",
        "Path=/auth/twitch/callback",
      ]
    ) {
      assertStringIncludes(cookie, attribute);
    }
    assertEquals(/; Secure/.test(cookie), secure, cookie);
    const location = new URL(response.headers.get("Location")!);
    assertEquals(
      location.origin + location.pathname,
      "https://id.twitch.tv/oauth2/authorize",
    );
    assertEquals(location.searchParams.get("redirect_uri"), redirectUri);
    assertEquals(location.searchParams.get("scope"), "openid");
  }
});

Deno.test("a forged state is refused before any code exchange (403) and leaves the login in progress", async () => {
  await using app = await startApp({ onError: undefined });
  const client = new CookieClient();
  const callback = await callbackUrl(app, client);
  const forged = new URL(callback);
  forged.searchParams.set(
    "state",
    "forged-state-of-an-attacker-0123456789abcde",
  );
  const visit = await client.visit(forged.href);
  assertEquals(visit.status, 403);
  assertStringIncludes(visit.text, "does not match");
  assertEquals(visit.headers.get("Set-Cookie"), null);
  assertEquals(app.successes, []);
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 0);
  assert(loginCookie(client), "a forged callback cleared the login's cookie");
  // The browser's own callback still completes the login.
  assertEquals((await client.visit(callback.href)).status, 404); // /home
  assertEquals(app.successes.length, 1);
});

Deno.test("the default error page: a missing state is refused (403), a missing code is a bad request (400)", async () => {
  await using app = await startApp({ onError: undefined });
  const client = new CookieClient();
  const noState = await callbackUrl(app, client);
  noState.searchParams.delete("state");
  const refused = await client.visit(noState.href);
  assertEquals(refused.status, 403);
  assertStringIncludes(refused.text, "Login refused");
  // No Referer leak, no caching, and (the state being no proof of this
  // login) the login cookie left in place.
  assertEquals(refused.headers.get("Referrer-Policy"), "no-referrer");
  assertEquals(refused.headers.get("Cache-Control"), "no-store");
  assertEquals(refused.headers.get("Set-Cookie"), null);
  assert(loginCookie(client), "a callback without state cleared the cookie");

  const noCode = await callbackUrl(app, client);
  noCode.searchParams.delete("code");
  const bad = await client.visit(noCode.href);
  assertEquals(bad.status, 400);
  assertStringIncludes(bad.text, "Login refused");
  assertStringIncludes(bad.headers.get("Set-Cookie")!, "twitch_login=;");
  assertEquals(app.successes, []);
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 0);
});

Deno.test("a replayed callback is refused: without the cookie (403), and with a captured cookie the used code fails at Twitch (400)", async () => {
  await using app = await startApp({ onError: undefined });
  const client = new CookieClient();
  const callback = await callbackUrl(app, client);
  const captured = client.cookieHeader(callback)!;
  assert(captured.startsWith("twitch_login="));
  assertEquals((await client.visit(callback.href)).status, 404); // /home
  assertEquals(app.successes.length, 1);

  // The same browser (or a history replay): its cookie was cleared.
  const replay = await client.visit(callback.href);
  assertEquals(replay.status, 403);
  assertStringIncludes(replay.text, "no login in progress");

  // Someone who captured the URL and the cookie: Twitch's codes work once.
  const stolen = await fetch(callback, { headers: { Cookie: captured } });
  assertEquals(stolen.status, 400);
  assertStringIncludes(await stolen.text(), "Invalid authorization code");
  assertEquals(app.successes.length, 1);
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 2);
});

Deno.test("a tampered login cookie is refused (403), even when its state is made to match", async () => {
  await using app = await startApp();
  const client = new CookieClient();
  const callback = await callbackUrl(app, client);
  const { held, fields, mac } = openLoginCookie(client);
  fields.s = "attacker-chosen-state-0123456789abcdefghijk";
  held.value = `${
    btoa(JSON.stringify(fields)).replaceAll("+", "-").replaceAll("/", "_")
      .replace(/=+$/, "")
  }.${mac}`;
  callback.searchParams.set("state", fields.s);
  assertEquals((await client.visit(callback.href)).status, 418);
  assertEquals(app.successes, []);
  assertInstanceOf(app.failures[0], LoginStateError);
  assertEquals((app.failures[0] as LoginStateError).reason, "tampered");
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 0);
});

Deno.test("an expired login is refused (403) though its cookie is validly signed", async () => {
  await using app = await startApp();
  const client = new CookieClient();
  const callback = await callbackUrl(app, client);
  const { held, fields } = openLoginCookie(client);
  // What the cookie would hold had the login started eleven minutes ago.
  held.value = await sealLoginState(await hmacKey(secretBytes(SECRET)), {
    state: fields.s,
    nonce: fields.n,
    expiresAt: Date.now() - 60_000,
  });
  assertEquals((await client.visit(callback.href)).status, 418);
  assertEquals(app.successes, []);
  assertEquals((app.failures[0] as LoginStateError).reason, "expired");
});

Deno.test("an ID token with another nonce is refused (403): the code came from another login", async () => {
  await using app = await startApp({ onError: undefined });
  const client = new CookieClient();
  const started = await fetch(`${app.base}/login`, { redirect: "manual" });
  client.store(new URL(`${app.base}/login`), started.headers);
  const authorize = new URL(started.headers.get("Location")!);
  authorize.searchParams.set("nonce", "a-nonce-of-some-other-login");
  const visit = await client.visit(authorize.href);
  assertEquals(visit.status, 403);
  assertStringIncludes(visit.text, "nonce");
  assertEquals(app.successes, []);
});

Deno.test("the user clicking Cancel gets 403, Twitch's other errors 400, and nothing from the URL is reflected unescaped", async () => {
  await using app = await startApp({ onError: undefined });
  app.mock.consent = "deny";
  const client = new CookieClient();
  const denied = await client.visit(`${app.base}/login`);
  assertEquals(denied.status, 403);
  assertStringIncludes(denied.text, "denied");
  assertEquals(loginCookie(client), undefined);

  // An error callback with this browser's state: Twitch's text, escaped.
  const other = new CookieClient();
  const evil = await callbackUrl(app, other);
  evil.searchParams.delete("code");
  evil.searchParams.set("error", "<script>alert(1)</script>");
  evil.searchParams.set("error_description", `<img src=x onerror="alert(2)">`);
  const page = await other.visit(evil.href);
  assertEquals(page.status, 400);
  assertFalse(page.text.includes("<script>alert"), page.text);
  assertFalse(page.text.includes("<img"), page.text);
  assertStringIncludes(page.text, "&lt;script&gt;");
  assertEquals(page.headers.get("Content-Type"), "text/html; charset=utf-8");
});

Deno.test("a forged error callback shows none of its text and leaves the login in progress", async () => {
  await using app = await startApp({ onError: undefined });
  const client = new CookieClient();
  const callback = await callbackUrl(app, client);
  for (const state of [null, "forged-state-of-an-attacker-0123456789abcde"]) {
    const forged = new URL(`${app.base}/callback`);
    forged.searchParams.set("error", "access_denied");
    forged.searchParams.set(
      "error_description",
      "Your account is locked: call +1 555 0100 (attacker text)",
    );
    if (state) forged.searchParams.set("state", state);
    const page = await client.visit(forged.href);
    assertEquals(page.status, 403);
    assertFalse(page.text.includes("attacker"), page.text);
    assertStringIncludes(page.text, "does not match");
    assertEquals(page.headers.get("Set-Cookie"), null);
    assert(loginCookie(client), "a forged error cleared the login's cookie");
  }
  // Without the login's cookie the error is not shown either.
  const stranger = await fetch(
    `${app.base}/callback?error=x&error_description=attacker+text`,
  );
  assertEquals(stranger.status, 403);
  assertFalse((await stranger.text()).includes("attacker"));
  // The real callback still completes the login.
  assertEquals((await client.visit(callback.href)).status, 404); // /home
  assertEquals(app.successes.length, 1);
});

Deno.test("onError gets the typed error and the request; its response leaks no Referer and is not cached", async () => {
  await using app = await startApp();
  const client = new CookieClient();
  const noState = await callbackUrl(app, client);
  noState.searchParams.delete("state");
  const refused = await client.visit(noState.href);
  assertEquals(refused.status, 418);
  assertEquals(refused.headers.get("Referrer-Policy"), "no-referrer");
  assertEquals(refused.headers.get("Cache-Control"), "no-store");
  assertInstanceOf(app.failures[0], LoginStateError);
  assertEquals((app.failures[0] as LoginStateError).reason, "mismatch");

  const noCode = await callbackUrl(app, client);
  noCode.searchParams.delete("code");
  await client.visit(noCode.href);
  assertEquals(app.failures[1]?.name, "InvalidCallbackError");

  app.mock.consent = "deny";
  const visit = await client.visit(`${app.base}/login`);
  assertEquals(visit.status, 418);
  assertInstanceOf(app.failures[2], AccessDeniedError);
  const url = new URL(app.failedRequests[2].url);
  assertEquals(url.pathname, "/callback");
  assertEquals(url.searchParams.get("error"), "access_denied");
  assertEquals(app.successes, []);
});

Deno.test("a failed code exchange answers 502", async () => {
  await using app = await startApp({ onError: undefined });
  app.mock.injectFault({ path: "/oauth2/token", status: 503, times: 1 });
  const visit = await new CookieClient().visit(`${app.base}/login`);
  assertEquals(visit.status, 502);
  assertStringIncludes(visit.text, "Twitch login failed");
  assertEquals(app.successes, []);
});

Deno.test("an ID token replayed from an earlier login reaches onError as InvalidIdTokenError (nonce)", async () => {
  // A fetch that hands every login the first login's ID token.
  let foreign = "";
  await using app = await startApp({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(String(input)).pathname.endsWith("/token")) return response;
      const body = await response.json();
      foreign ||= body.id_token;
      return Response.json({ ...body, id_token: foreign });
    },
  });
  // Log in twice: the second login gets the first one's ID token (wrong nonce).
  await new CookieClient().visit(`${app.base}/login`);
  assertEquals(app.successes.length, 1);
  await new CookieClient().visit(`${app.base}/login`);
  assertInstanceOf(app.failures[0], InvalidIdTokenError);
  assertEquals((app.failures[0] as InvalidIdTokenError).reason, "nonce");
});

Deno.test("without an ID token the user comes from /userinfo", async () => {
  await using app = await startApp({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(String(input)).pathname.endsWith("/token")) return response;
      const { id_token: _, ...body } = await response.json();
      return Response.json(body);
    },
  });
  await new CookieClient().visit(`${app.base}/login`);
  assertEquals(app.failures, []);
  assertEquals(app.successes[0].user.sub, DEMO_USER.id);
  assertEquals(app.successes[0].token.idToken, undefined);
  assertEquals(app.mock.countRequests({ pathname: "/oauth2/userinfo" }), 1);
});

Deno.test("other paths answer 404 and other methods 405", async () => {
  const handler = createTwitchLoginHandler({
    clientId: "app",
    clientSecret: "secret",
    redirectUri: "https://example.com/callback",
    cookieSecret: SECRET,
    onSuccess: () => new Response("ok"),
  });
  assertEquals(
    (await handler(new Request("https://example.com/"))).status,
    404,
  );
  assertEquals(
    (await handler(
      new Request("https://example.com/login", { method: "POST" }),
    ))
      .status,
    405,
  );
  const head = new Request("https://example.com/callback?code=c&state=s", {
    method: "HEAD",
  });
  assertEquals((await handler(head)).status, 405);
});

Deno.test("bad options fail at creation with a typed error", () => {
  const good: TwitchLoginHandlerOptions = {
    ...OFFLINE_OPTIONS,
    redirectUri: "https://example.com/callback",
  };
  for (
    const [bad, says] of [
      [{ cookieSecret: "too-short" }, "at least 32 bytes"],
      [{ cookieSecret: "0".repeat(32) }, "openssl rand -base64 32"],
      [{ cookieSecret: "0".repeat(64) }, "not random enough"],
      [{ cookieSecret: "abcd".repeat(8) }, "not random enough"],
      [{ redirectUri: "https://example.com/cb;Domain=evil" }, ";"],
      [{ redirectUri: "http://example.com/callback" }, "https://"],
      [{ redirectUri: "/callback" }, "absolute URL"],
      [{ loginPath: "/callback" }, "loginPath"],
      [{ clientSecret: "" }, "clientSecret"],
      [{ onSuccess: undefined }, "onSuccess"],
    ] as const
  ) {
    assertThrows(
      () =>
        createTwitchLoginHandler({
          ...good,
          ...bad,
        } as TwitchLoginHandlerOptions),
      InvalidArgumentError,
      says,
    );
  }
});

Deno.test("a failed exchange reaches onError as the exchange's typed error", async () => {
  await using app = await startApp();
  app.mock.injectFault({ path: "/oauth2/token", status: 503, times: 1 });
  await new CookieClient().visit(`${app.base}/login`);
  assertInstanceOf(app.failures[0], TwitchApiError);
});

Deno.test("cookieSecret: what `openssl rand` makes passes, placeholders do not", () => {
  const options = {
    clientId: "app",
    clientSecret: "secret",
    redirectUri: "https://example.com/callback",
    onSuccess: () => new Response("ok"),
  };
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const hex = (bytes: Uint8Array) =>
    [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  for (let i = 0; i < 200; i++) {
    for (const cookieSecret of [base64(random(32)), hex(random(32))]) {
      createTwitchLoginHandler({ ...options, cookieSecret });
    }
  }
  for (
    const cookieSecret of ["0".repeat(32), "ab".repeat(40), "x".repeat(40)]
  ) {
    const error = assertThrows(
      () => createTwitchLoginHandler({ ...options, cookieSecret }),
      InvalidArgumentError,
    );
    assertStringIncludes(error.message, "openssl rand -base64 32");
  }
});

Deno.test("every response carries its Content-Type; the callback's answers are no-store", async () => {
  // The app answers with a text body and no type of its own: the runtime's
  // (text/plain) must reach the browser; a Response.redirect (immutable
  // headers) gets the same treatment through a copy.
  let redirect = false;
  await using app = await startApp({
    onSuccess: (success) => {
      app.successes.push(success);
      return redirect
        ? Response.redirect(`${app.base}/home`, 303)
        : new Response(`Hello ${success.user.preferred_username}`);
    },
  });
  const page = await new CookieClient().visit(`${app.base}/login`);
  assertEquals(page.status, 200);
  assertEquals(page.text, `Hello ${DEMO_USER.displayName}`);
  assertMatch(
    page.headers.get("Content-Type")!,
    /^text\/plain; ?charset=utf-8$/i,
  );
  assertEquals(page.headers.get("Cache-Control"), "no-store");
  assertEquals(page.headers.get("Referrer-Policy"), "no-referrer");
  assertStringIncludes(page.headers.get("Set-Cookie")!, "twitch_login=;");

  redirect = true;
  const client = new CookieClient();
  const callback = await callbackUrl(app, client);
  const answer = await fetch(callback, {
    headers: { Cookie: client.cookieHeader(callback)! },
    redirect: "manual",
  });
  await answer.body?.cancel();
  assertEquals(answer.status, 303);
  assertEquals(answer.headers.get("Location"), `${app.base}/home`);
  assertEquals(answer.headers.get("Cache-Control"), "no-store");
  assertStringIncludes(answer.headers.get("Set-Cookie")!, "twitch_login=;");

  for (
    const [path, method, status] of [["/elsewhere", "GET", 404], [
      "/login",
      "POST",
      405,
    ]] as const
  ) {
    const response = await fetch(`${app.base}${path}`, { method });
    await response.body?.cancel();
    assertEquals(response.status, status);
    assertEquals(
      response.headers.get("Content-Type"),
      "text/plain; charset=utf-8",
    );
  }
});

Deno.test("a malformed, used or foreign code is a bad request (400), not a failure of Twitch (502)", async () => {
  await using app = await startApp({ onError: undefined });
  for (const code of ["not-a-code", "%00%ff<>", "x".repeat(300)]) {
    const client = new CookieClient();
    const callback = await callbackUrl(app, client);
    callback.searchParams.set("code", code);
    const page = await client.visit(callback.href);
    assertEquals(page.status, 400, page.text);
    assertStringIncludes(page.text, "Invalid authorization code");
    assertEquals(page.headers.get("Content-Type"), "text/html; charset=utf-8");
  }
  assertEquals(app.successes, []);
  assertEquals(app.mock.countRequests({ grantType: "authorization_code" }), 3);
});

Deno.test("the ID token from the token endpoint: each wrong claim is refused with its reason, azp included", async () => {
  // The token endpoint's answer with its ID token's claims changed: the
  // handler checks the claims that tie it to this app and this login (its
  // signature is not needed for a token straight from the token endpoint,
  // OpenID Connect Core 3.1.3.7).
  let change: Record<string, unknown> = {};
  await using app = await startApp({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(String(input)).pathname.endsWith("/token")) return response;
      const body = await response.json();
      const [head, payload, signature] = body.id_token.split(".");
      const claims = { ...decodeJwt(body.id_token), ...change };
      const encoded = btoa(JSON.stringify(claims)).replaceAll("+", "-")
        .replaceAll("/", "_").replace(/=+$/, "");
      assert(payload);
      return Response.json({
        ...body,
        id_token: `${head}.${encoded}.${signature}`,
      });
    },
  });
  const now = Math.floor(Date.now() / 1000);
  const cases: [Record<string, unknown>, IdTokenFailure][] = [
    [{ azp: "another-app-id" }, "audience"],
    [{ aud: "another-app-id" }, "audience"],
    [{ iss: "https://evil.example" }, "issuer"],
    [{ exp: now - 3600 }, "expired"],
    [{ exp: undefined }, "expired"],
    [{ iat: now + 3600 }, "issued-at"],
    [{ nonce: "the-nonce-of-another-login" }, "nonce"],
    [{ nonce: undefined }, "nonce"],
    [{ sub: 12345 }, "malformed"],
  ];
  for (const [claims, reason] of cases) {
    change = claims;
    await new CookieClient().visit(`${app.base}/login`);
    const failure = app.failures.at(-1);
    assertInstanceOf(failure, InvalidIdTokenError, JSON.stringify(claims));
    assertEquals(
      (failure as InvalidIdTokenError).reason,
      reason,
      JSON.stringify(claims),
    );
  }
  assertEquals(app.failures.length, cases.length);
  assertEquals(app.successes, []);

  change = { azp: DEMO_CLIENT_ID }; // present and right
  await new CookieClient().visit(`${app.base}/login`);
  change = {}; // absent: aud alone decides
  await new CookieClient().visit(`${app.base}/login`);
  assertEquals(app.successes.length, 2);
  assertEquals(app.failures.length, cases.length);
  assertEquals(app.mock.countRequests({ pathname: "/oauth2/keys" }), 0);
});
