// Token keeping when Twitch, the store or a neighbour misbehaves (issue 15):
// 401s that no refresh fixes, a failing token endpoint, a store that cannot
// write, redirects from endpoints that get secrets, short-lived tokens,
// secrets in disguise in Twitch's messages, and a failing key set. Every
// test counts the requests that reach a real server on loopback.

import {
  assert,
  assertEquals,
  assertFalse,
  assertInstanceOf,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import {
  AccessToken,
  DenoKvTokenStore,
  exchangeCode,
  FileTokenStore,
  getAppAccessToken,
  InvalidResponseError,
  MemoryTokenStore,
  MissingScopeError,
  RedirectRefusedError,
  refreshAccessToken,
  RefreshBackoffError,
  revokeToken,
  startDeviceAuthorization,
  type StoredToken,
  TokenNotSavedError,
  TokenProvider,
  type TokenStore,
  Twitch,
  TwitchApiError,
  verifyIdToken,
  waitForDeviceToken,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";

const PUBLIC_CLIENT = "public0client000000000000000000";

function providerFor(
  mock: MockTwitch,
  store?: TokenStore,
  clientSecret: string | undefined = mock.clientSecret || undefined,
): TokenProvider {
  return new TokenProvider({
    clientId: mock.clientId,
    clientSecret,
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
    store,
  });
}

/** The mock's token as held after a sign-in, already past its expiry. */
function expired(issued: { accessToken: string; refreshToken: string }) {
  return new AccessToken({
    ...issued,
    expiresIn: 60,
    scopes: [],
    tokenType: "bearer",
    obtainedAt: Date.now() - 3_600_000,
  });
}

// 1. A 401 that says a scope is missing, or that the token is another
// app's, is not a reason to refresh.

Deno.test("100 calls to an endpoint the token lacks the scope for: 100 untouched 401s, 0 refreshes", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const failures: Error[] = [];
  provider.onRefreshFailure((error) => failures.push(error));
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const userId = await provider.addUser(
    new AccessToken({ ...expired(issued), expiresIn: 0 }),
  );
  const path = `chat/chatters?broadcaster_id=${userId}&moderator_id=${userId}`;
  for (let call = 0; call < 100; call++) {
    const response = await provider.fetch(userId, path);
    assertEquals(response.status, 401);
    assertEquals(await response.json(), {
      error: "Unauthorized",
      status: 401,
      message: "Missing scope: moderator:read:chatters",
    });
  }
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 0);
  assertEquals(mock.countRequests({ pathname: "/helix/chat/chatters" }), 100);
  assertEquals(failures, []);
  // The token with the scope gets the chatters: the route really checks.
  const scoped = mock.issueUserToken({ scopes: ["moderator:read:chatters"] });
  await provider.setToken(userId, expired(scoped));
  await provider.refresh(userId);
  const ok = await provider.fetch(userId, path);
  assertEquals(ok.status, 200);
  assertEquals((await ok.json()).data[0].user_id, userId);
});

Deno.test("an invalid token's 401 still refreshes once and retries; a missing-scope 401 through Twitch.fetch does not", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const userId = await provider.addUser(expired(issued));
  mock.expireAccessToken((await provider.getAccessToken(userId)).accessToken);
  const response = await provider.fetch(userId, "users");
  assertEquals(response.status, 200);
  await response.body?.cancel();
  const refreshes = mock.countRequests({ grantType: "refresh_token" });
  assertEquals(refreshes, 1); // the 401's

  using twitch = new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
  const other = mock.issueUserToken({ scopes: [] });
  await twitch.setUserAuthentication(other.accessToken, [], other.refreshToken);
  for (let call = 0; call < 20; call++) {
    const refused = await twitch.fetch(
      `chat/chatters?broadcaster_id=1&moderator_id=${mock.currentUser.id}`,
    );
    assertEquals(refused.status, 401);
    await refused.body?.cancel();
  }
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), refreshes);
});

Deno.test("a token sent with another app's client id: 401 'Client ID and OAuth token do not match' comes back, 0 refreshes", async () => {
  const other = {
    clientId: "other0client000000000000000000",
    clientSecret: "other0secret000000000000000000",
    redirectUris: ["http://localhost:17563"],
  };
  await using mock = await startMockTwitch({
    clients: [{
      clientId: "first0client000000000000000000",
      clientSecret: "first0secret000000000000000000",
      redirectUris: ["http://localhost:17563"],
    }, other],
  });
  using provider = providerFor(mock);
  const issued = mock.issueUserToken({ clientId: other.clientId });
  await provider.setToken(
    "u1",
    new AccessToken({ ...expired(issued), expiresIn: 0 }),
  );
  for (let call = 0; call < 50; call++) {
    const response = await provider.fetch("u1", "users");
    assertEquals(response.status, 401);
    assertEquals(
      (await response.json()).message,
      "Client ID and OAuth token do not match",
    );
  }
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 0);
});

Deno.test("MissingScopeError names the endpoint and the scope, says what to do, and holds no token", () => {
  const error = new MissingScopeError(
    "GET /chat/chatters",
    "moderator:read:chatters",
    { tokenScopes: ["chat:read"] },
  );
  assertEquals(error.endpoint, "GET /chat/chatters");
  assertEquals(error.scope, "moderator:read:chatters");
  assertEquals(error.status, 401);
  assertEquals(error.missing, ["moderator:read:chatters"]);
  assertEquals(error.twitchMessage, "Missing scope: moderator:read:chatters");
  assertStringIncludes(error.message, "GET /chat/chatters");
  assertStringIncludes(error.message, "sign the user in again");
  assertStringIncludes(error.message, "chat:read moderator:read:chatters");
  assertInstanceOf(error, TwitchApiError);
  const unnamed = new MissingScopeError("GET /users", undefined);
  assertEquals(unnamed.missing, []);
  assertStringIncludes(unnamed.message, "a scope it needs");
});

// 2. A failing token endpoint is tried again only after a backoff.

Deno.test("3 s of getAccessToken against a token endpoint answering 503: a handful of refresh requests, each heard once", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/token", status: 503, times: 1_000_000 });
  using provider = providerFor(mock);
  const heard: Error[] = [];
  provider.onRefreshFailure((error) => heard.push(error));
  await provider.setToken("u1", expired(mock.issueUserToken()));
  const errors = new Map<string, number>();
  let calls = 0;
  let lastRetryAt = 0;
  const end = Date.now() + 3_000;
  while (Date.now() < end) {
    calls++;
    const error: Error = await provider.getAccessToken("u1").then(
      () => new Error("the refresh cannot succeed"),
      (e: Error) => e,
    );
    errors.set(error.name, (errors.get(error.name) ?? 0) + 1);
    if (error instanceof RefreshBackoffError) {
      assert(error.retryAt > Date.now() - 50);
      assertInstanceOf(error.cause, TwitchApiError);
      assertStringIncludes(error.message, "the next try is not before");
      lastRetryAt = error.retryAt;
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const refreshes = mock.countRequests({ grantType: "refresh_token" });
  // 1 s doubling with jitter (0.5-1x): tries at 0, 0.5-1, 1.5-3 s: 2 to 4.
  assert(refreshes >= 2 && refreshes <= 4, `${refreshes} refresh requests`);
  assert(calls > 100, `${calls} calls`);
  assertEquals(heard.length, refreshes);
  assertEquals(errors.get("TwitchApiError"), refreshes);
  assertEquals(errors.get("RefreshBackoffError"), calls - refreshes);
  assert(lastRetryAt > 0);
});

Deno.test("the backoff ends with its time, and at once with a new token for the user", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  await provider.setToken("u1", expired(mock.issueUserToken()));
  mock.injectFault({ path: "/oauth2/token", status: 503, times: 1 });
  await assertRejects(() => provider.getAccessToken("u1"), TwitchApiError);
  const waiting = await assertRejects(
    () => provider.getAccessToken("u1"),
    RefreshBackoffError,
  );
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  // A new version (a new sign-in) clears it: no wait.
  const fresh = mock.issueUserToken();
  await provider.setToken("u1", expired(fresh));
  const token = await provider.getAccessToken("u1");
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 2);
  assertNotEquals(token.accessToken, fresh.accessToken);
  // And the backoff's end lets the next try through.
  mock.injectFault({ path: "/oauth2/token", status: 503, times: 1 });
  await provider.setToken("u1", expired(mock.issueUserToken()));
  await assertRejects(() => provider.getAccessToken("u1"), TwitchApiError);
  const second = await assertRejects(
    () => provider.getAccessToken("u1"),
    RefreshBackoffError,
  );
  assert(second.retryAt - Date.now() <= 1_000);
  await new Promise((resolve) =>
    setTimeout(resolve, second.retryAt - Date.now() + 10)
  );
  await provider.getAccessToken("u1");
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 4);
  assert(waiting.retryAt > 0);
});

// 3. A token Twitch gave is kept when the store cannot write it.

/** A store that fails its next `failSets` writes, as a full disk would. */
class FlakyStore implements TokenStore {
  failSets = 0;
  constructor(readonly inner: TokenStore) {}
  get(userId: string): Promise<StoredToken | null> {
    return this.inner.get(userId);
  }
  set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    if (this.failSets > 0) {
      this.failSets--;
      return Promise.reject(new Error("No space left on device (os error 28)"));
    }
    return this.inner.set(userId, token, expected);
  }
  delete(userId: string): Promise<void> {
    return this.inner.delete(userId);
  }
  list(): Promise<string[]> {
    return this.inner.list();
  }
  acquireLease(userId: string, version: string, ttl: number) {
    return this.inner.acquireLease(userId, version, ttl);
  }
}

const STORES: [string, () => Promise<[TokenStore, () => Promise<void>]>][] = [
  ["memory", () => Promise.resolve([new MemoryTokenStore(), async () => {}])],
  ["file", async () => {
    const dir = await Deno.makeTempDir();
    return [
      new FileTokenStore(`${dir}/tokens.json`),
      () => Deno.remove(dir, { recursive: true }),
    ];
  }],
  ["Deno KV", async () => {
    const kv = await Deno.openKv(":memory:");
    return [new DenoKvTokenStore(kv), () => Promise.resolve(kv.close())];
  }],
];

for (const [name, open] of STORES) {
  Deno.test(`a public client on the ${name} store whose write fails once after the refresh: 0 of 5 sessions lost`, async () => {
    await using mock = await startMockTwitch({
      clients: [{ clientId: PUBLIC_CLIENT, redirectUris: [] }],
    });
    const [inner, cleanup] = await open();
    try {
      const store = new FlakyStore(inner);
      using provider = providerFor(mock, store, undefined);
      const heard: Error[] = [];
      provider.onRefreshFailure((error) => heard.push(error));
      const users = ["u1", "u2", "u3", "u4", "u5"];
      for (const user of users) {
        await provider.setToken(user, expired(mock.issueUserToken()));
      }
      let lost = 0;
      for (const user of users) {
        const before = (await store.get(user))!;
        store.failSets = 1;
        const served = await provider.getAccessToken(user).catch(() => null);
        if (served) {
          assertNotEquals(served.refreshToken, before.token.refreshToken);
          // Served again from memory, no second refresh.
          assertEquals(
            (await provider.getAccessToken(user)).accessToken,
            served.accessToken,
          );
        }
        // The write is tried again and lands (else the spent one stays).
        const written = await waitFor(async () => {
          const now = await store.get(user);
          return now && now.version !== before.version ? now : undefined;
        }, 3_000).catch(() => before);
        // The session lives when the stored refresh token works at Twitch.
        const next = await refreshAccessToken(
          written.token.refreshToken!,
          PUBLIC_CLIENT,
          undefined,
          { authBaseUrl: mock.authBaseUrl },
        ).catch(() => undefined);
        if (!next) lost++;
        else await provider.setToken(user, next);
      }
      assertEquals(lost, 0);
      assertEquals(mock.countRequests({ grantType: "refresh_token" }), 10);
      assertEquals(heard.length, 5);
      for (const error of heard) {
        assertInstanceOf(error, TokenNotSavedError);
        assertStringIncludes(error.message, "No space left on device");
      }
    } finally {
      await cleanup();
    }
  });
}

Deno.test("a token kept in memory is refreshed from its own refresh token, and a write by someone else wins over it", async () => {
  await using mock = await startMockTwitch({
    clients: [{ clientId: PUBLIC_CLIENT, redirectUris: [] }],
  });
  const store = new FlakyStore(new MemoryTokenStore());
  using provider = providerFor(mock, store, undefined);
  await provider.setToken("u1", expired(mock.issueUserToken()));
  const base = (await store.get("u1"))!;
  store.failSets = 1;
  const kept = await provider.getAccessToken("u1");
  // Twitch calls the kept token invalid before its write was retried: the
  // refresh spends the kept refresh token (the stored one is already spent)
  // and writes over the version it replaced.
  mock.expireAccessToken(kept.accessToken);
  const response = await provider.fetch("u1", "users");
  assertEquals(response.status, 200);
  await response.body?.cancel();
  const stored = (await store.get("u1"))!;
  assertNotEquals(stored.version, base.version);
  assertNotEquals(stored.token.refreshToken, kept.refreshToken);
  assertEquals(
    (await provider.getAccessToken("u1")).accessToken,
    stored.token.accessToken,
  );
  // Someone else's write (a new sign-in elsewhere) before the retry wins.
  store.failSets = 1;
  mock.expireAccessToken(stored.token.accessToken);
  const again = await provider.fetch("u1", "users");
  assertEquals(again.status, 200);
  await again.body?.cancel();
  const signIn = mock.issueUserToken();
  await store.set(
    "u1",
    new AccessToken({ ...expired(signIn), obtainedAt: Date.now() }),
    stored.version,
  );
  const served = await waitFor(async () => {
    const token = await provider.getAccessToken("u1");
    return token.accessToken === signIn.accessToken ? token : undefined;
  });
  assertEquals(served.refreshToken, signIn.refreshToken);
  assertEquals((await store.get("u1"))!.token.accessToken, signIn.accessToken);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 3);
});

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeout = 5_000,
): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// 4. Secrets never follow a redirect.

Deno.test("token, revoke and device endpoints answering 307/308 to another server: a typed error, 0 bodies received there", async () => {
  const received: string[] = [];
  await using sink = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      received.push(`${request.method} ${await request.text()}`);
      return Response.json({ access_token: "x", expires_in: 1 });
    },
  );
  const sinkUrl = `http://127.0.0.1:${sink.addr.port}`;
  let status = 307;
  let redirects = 0;
  await using redirector = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      redirects++;
      await request.body?.cancel();
      const url = new URL(request.url);
      return new Response(null, {
        status,
        headers: { Location: `${sinkUrl}${url.pathname}?stolen=1` },
      });
    },
  );
  const options = {
    authBaseUrl: `http://127.0.0.1:${redirector.addr.port}/oauth2`,
  };
  const device = {
    deviceCode: "device0code000000000000000000000",
    userCode: "ABCDEFGH",
    verificationUri: "https://www.twitch.tv/activate",
    expiresIn: 1800,
    interval: 0,
    scopes: [],
    obtainedAt: Date.now(),
  };
  const helpers: [string, () => Promise<unknown>][] = [
    ["exchangeCode", () =>
      exchangeCode(
        "app0id",
        "app0secret0000000000000",
        "code0000000000000000",
        "http://localhost:17563",
        options,
      )],
    ["refreshAccessToken", () =>
      refreshAccessToken(
        "refresh0token000000000000000",
        "app0id",
        "app0secret0000000000000",
        options,
      )],
    ["refreshAccessToken (public)", () =>
      refreshAccessToken(
        "refresh0token000000000000000",
        "app0id",
        undefined,
        options,
      )],
    [
      "getAppAccessToken",
      () => getAppAccessToken("app0id", "app0secret0000000000000", options),
    ],
    [
      "revokeToken",
      () => revokeToken("app0id", "access0token00000000000000", options),
    ],
    [
      "startDeviceAuthorization",
      () => startDeviceAuthorization("app0id", ["chat:read"], options),
    ],
    [
      "waitForDeviceToken",
      () =>
        waitForDeviceToken("app0id", device, { ...options, timeout: 5_000 }),
    ],
  ];
  for (status of [307, 308, 302, 301]) {
    for (const [name, call] of helpers) {
      const error = await assertRejects(call, RedirectRefusedError, undefined);
      assertEquals(error.status, status, name);
      assertEquals(
        error.location,
        `${sinkUrl}${new URL(error.location).pathname}`,
      );
      assertFalse(error.message.includes("secret0"), name);
      assertFalse(error.message.includes("stolen"), name);
    }
  }
  assertEquals(redirects, helpers.length * 4);
  assertEquals(received, []);
});

// 5. A short-lived token is not refreshed on every call.

Deno.test("100 calls on a token that lives 30 s: no refresh (the margin is a quarter of the lifetime)", async () => {
  await using mock = await startMockTwitch({ accessTokenLifetime: 30 });
  using provider = providerFor(mock);
  const userId = await provider.addUser(
    new AccessToken({ ...expired(mock.issueUserToken()), expiresIn: 0 }),
  );
  const first = await provider.getAccessToken(userId);
  assert(first.expiresIn <= 30);
  for (let call = 0; call < 100; call++) {
    assertEquals(
      (await provider.getAccessToken(userId)).accessToken,
      first.accessToken,
    );
  }
  assert(mock.countRequests({ grantType: "refresh_token" }) <= 1);
  // Inside its last quarter it is refreshed.
  await provider.setToken(
    userId,
    new AccessToken({
      ...first.toJSON(),
      expiresIn: 30,
      obtainedAt: Date.now() - 24_000,
    }),
  );
  const before = mock.countRequests({ grantType: "refresh_token" });
  await provider.getAccessToken(userId);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), before + 1);
});

// 6. Secrets in Twitch's messages are caught in any disguise.

Deno.test("a secret echoed back upper-cased, lower-cased or with invisible characters inside never reaches the message", async () => {
  await using mock = await startMockTwitch();
  const secret = "Ab3dEf6hIj9lMn2pQr5tUv8xYz1cDe";
  const disguises = [
    ["as is", secret],
    ["upper-cased", secret.toUpperCase()],
    ["lower-cased", secret.toLowerCase()],
    ["soft hyphen", `${secret.slice(0, 10)}\u00ad${secret.slice(10)}`],
    ["zero-width space", `${secret.slice(0, 5)}\u200b${secret.slice(5)}`],
    ["zero-width joiner", `${secret.slice(0, 7)}\u200d${secret.slice(7)}`],
    ["word joiner", `${secret.slice(0, 3)}\u2060${secret.slice(3)}`],
    ["BOM", `${secret.slice(0, 12)}\ufeff${secret.slice(12)}`],
    ["mixed", `${secret.slice(0, 4).toUpperCase()}\u00ad${secret.slice(4)}`],
  ];
  for (const [name, disguise] of disguises) {
    mock.injectFault({
      path: "/oauth2/token",
      status: 400,
      body: JSON.stringify({ status: 400, message: `bad: ${disguise}!` }),
    });
    const error = await assertRejects(
      () =>
        refreshAccessToken(secret, mock.clientId, mock.clientSecret, {
          authBaseUrl: mock.authBaseUrl,
        }),
      TwitchApiError,
    );
    const text = `${error.message} ${error.twitchMessage}`.toLowerCase();
    assertFalse(text.includes(secret.toLowerCase()), name);
    assertFalse(text.includes(secret.slice(0, 10).toLowerCase()), name);
    assertStringIncludes(error.twitchMessage, "bad: [redacted]!", name);
  }
});

// 7. The key set of ID tokens: capped, and not fetched in a storm.

/** A syntactically valid RS256 JWT, so that jose asks for the key set. */
function unsignedJwt(): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-")
      .replace(/\//g, "_");
  return `${part({ alg: "RS256", kid: "k1", typ: "JWT" })}.${
    part({ sub: "1", aud: "app", iss: "https://id.twitch.tv/oauth2" })
  }.c2ln`;
}

Deno.test("50 verifications against a key set answering 500: a few fetches, each failing with the typed error", async () => {
  let fetches = 0;
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => {
      fetches++;
      return Response.json({ status: 500, message: "down" }, { status: 500 });
    },
  );
  const options = {
    clientId: "app",
    authBaseUrl: `http://127.0.0.1:${server.addr.port}/oauth2`,
  };
  for (let call = 0; call < 50; call++) {
    const error = await assertRejects(
      () => verifyIdToken(unsignedJwt(), options),
      TwitchApiError,
    );
    assertEquals(error.status, 500);
  }
  assertEquals(fetches, 1);
  await new Promise((resolve) => setTimeout(resolve, 1_050));
  await assertRejects(
    () => verifyIdToken(unsignedJwt(), options),
    TwitchApiError,
  );
  assertEquals(fetches, 2);
});

Deno.test("a key set answer over 1 MiB (streamed, or declared) is refused unread past the cap", async () => {
  let sent = 0;
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
      if (new URL(request.url).pathname.startsWith("/declared")) {
        return new Response(new Uint8Array(2 * 1024 * 1024), {
          headers: { "Content-Type": "application/json" },
        });
      }
      let count = 0;
      return new Response(
        new ReadableStream({
          pull(controller) {
            if (count++ === 0) {
              controller.enqueue(new TextEncoder().encode('{"keys":['));
            } else if (count < 4096) {
              sent += chunk.byteLength;
              controller.enqueue(chunk);
            } else controller.close();
          },
        }),
        { headers: { "Content-Type": "application/json" } },
      );
    },
  );
  for (const base of ["streamed", "declared"]) {
    const error = await assertRejects(
      () =>
        verifyIdToken(unsignedJwt(), {
          clientId: "app",
          authBaseUrl: `http://127.0.0.1:${server.addr.port}/${base}/oauth2`,
        }),
      InvalidResponseError,
    );
    assertStringIncludes(String(error.cause), "larger than");
  }
  assert(sent < 16 * 1024 * 1024, `${sent} bytes sent of 256 MiB`);
});
