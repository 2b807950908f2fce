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
  InvalidArgumentError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  MemoryTokenStore,
  TokenProvider,
  Twitch,
  UnknownUserError,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { byteStream, startHelixEcho, textStream } from "./_helix_echo.ts";
import {
  assertBearer,
  assertRefreshTokenLive,
  dueSoon,
  held,
  revoke,
  signedInTwitch,
} from "./_helpers_tokens.ts";

function providerFor(
  mock: MockTwitch,
  options: { store?: MemoryTokenStore; helixBaseUrl?: string } = {},
): TokenProvider {
  return new TokenProvider({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret || undefined,
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: options.helixBaseUrl ?? mock.helixBaseUrl,
    store: options.store,
  });
}

Deno.test("addUser validates at Twitch, stores the real expiry and scopes, and returns the user id", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const userId = await provider.addUser(held(issued));
  assertEquals(userId, mock.currentUser.id);
  assertEquals(await provider.users(), [userId]);
  const token = await provider.getAccessToken(userId);
  assertEquals(token.accessToken, issued.accessToken);
  assertEquals(token.scopes, ["chat:read"]);
  assert(token.expiresIn > 14_000);
  assertEquals(mock.countRequests({ pathname: "/oauth2/validate" }), 1);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 0);
  const response = await provider.fetch(userId, "users");
  assertEquals((await response.json()).data[0].id, userId);
  await provider.removeUser(userId);
  assertEquals(await provider.users(), []);
  await assertRejects(() => provider.getAccessToken(userId), UnknownUserError);
  await provider.removeUser(userId); // twice: nothing happens
});

Deno.test("addUser refreshes a token Twitch calls invalid, and refuses app tokens and other apps' tokens", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const refreshed: string[] = [];
  provider.onRefresh((_, userId) => void refreshed.push(userId));
  const issued = mock.issueUserToken();
  mock.expireAccessToken(issued.accessToken);
  const userId = await provider.addUser(held(issued));
  assertEquals(refreshed, [userId]);
  assertNotEquals(
    (await provider.getAccessToken(userId)).accessToken,
    issued.accessToken,
  );
  const app = await new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
  }).authenticateApp();
  await assertRejects(() => provider.addUser(app), InvalidArgumentError);
  const other = new TokenProvider({
    clientId: "other0app0000000000000000000000",
    authBaseUrl: mock.authBaseUrl,
  });
  const error = await assertRejects(
    () => other.addUser(held(mock.issueUserToken())),
    InvalidTokenError,
  );
  assertStringIncludes(error.message, "another app");
  await assertRejects(
    () => provider.addUser(JSON.parse("{}")),
    InvalidArgumentError,
  );
});

Deno.test("getAccessToken refreshes a token about to expire, once for concurrent callers", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const userId = mock.currentUser.id;
  await provider.setToken(userId, dueSoon(mock.issueUserToken())); // inside the one-minute margin
  const tokens = await Promise.all(
    Array.from({ length: 100 }, () => provider.getAccessToken(userId)),
  );
  assertEquals(new Set(tokens.map((t) => t.accessToken)).size, 1);
  assert(tokens[0].expiresIn > 14_000);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals((await provider.store.get(userId))?.token, tokens[0]);
});

Deno.test("a 401 for a token another provider already replaced makes no refresh", async () => {
  await using mock = await startMockTwitch();
  const store = new MemoryTokenStore(); // shared, as processes share a file or KV
  using first = providerFor(mock, { store });
  using second = providerFor(mock, { store });
  const userId = await first.addUser(held(mock.issueUserToken()));
  const before = await second.getAccessToken(userId); // second now holds this one
  const fresh = await first.refresh(userId); // Twitch revokes `before`
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  const response = await second.fetch(userId, "users");
  assertEquals(response.status, 200);
  await response.body?.cancel();
  assertBearer(mock, "/helix/users", fresh.accessToken);
  assertEquals(
    mock.requests.filter((r) =>
      r.headers.get("Authorization") === `Bearer ${before.accessToken}`
    ).length,
    1, // the one that got the 401
  );
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
});

Deno.test("providers sharing a store make one refresh between them", async () => {
  await using mock = await startMockTwitch();
  const store = new MemoryTokenStore();
  const providers = Array.from(
    { length: 4 },
    () => providerFor(mock, { store }),
  );
  using _ = { [Symbol.dispose]: () => providers.forEach((p) => p.close()) };
  const userId = await providers[0].addUser(held(mock.issueUserToken()));
  const heard: number[] = [];
  providers.forEach((p, i) => p.onRefresh(() => void heard.push(i)));
  await Promise.all(providers.map((p) => p.getAccessToken(userId)));
  mock.expireAccessToken((await store.get(userId))!.token.accessToken);
  const responses = await Promise.all(
    providers.flatMap((p) =>
      Array.from({ length: 25 }, () => p.fetch(userId, "users"))
    ),
  );
  for (const response of responses) {
    assertEquals(response.status, 200);
    await response.body?.cancel();
  }
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals(heard.length, 1);
});

Deno.test("a lease left by a process that died holds the others up only until it runs out", async () => {
  await using mock = await startMockTwitch();
  const store = new MemoryTokenStore();
  using provider = providerFor(mock, { store });
  const userId = mock.currentUser.id;
  await provider.setToken(userId, dueSoon(mock.issueUserToken())); // due for a refresh
  const stored = (await store.get(userId))!;
  // The "dead process": took the lease for this version and never came back.
  const ttl = 300;
  const taken = Date.now();
  const dead = await store.acquireLease(userId, stored.version, ttl);
  assert(dead);
  const token = await provider.getAccessToken(userId);
  assert(Date.now() - taken >= ttl, "refreshed while the lease was held");
  assertNotEquals(token.accessToken, stored.token.accessToken);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
});

Deno.test("a public client's rotating refresh token: no extra refresh, and the stored one still works", async () => {
  await using mock = await startMockTwitch({
    clients: [{
      clientId: "public0client000000000000000000",
      redirectUris: [],
    }],
  });
  assertEquals(mock.clientSecret, "");
  using provider = providerFor(mock);
  const userId = await provider.addUser(held(mock.issueUserToken()));
  for (let round = 1; round <= 5; round++) {
    mock.expireAccessToken((await provider.getAccessToken(userId)).accessToken);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => provider.fetch(userId, "users")),
    );
    for (const response of responses) {
      assertEquals(response.status, 200);
      await response.body?.cancel();
    }
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), round);
  }
  // Each refresh rotated the refresh token; the stored one is the live one.
  const stored = (await provider.store.get(userId))!.token;
  await assertRefreshTokenLive(mock, stored.refreshToken!);
});

Deno.test("a refused refresh token is reported once with the user id and not tried again", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const issued = mock.issueUserToken();
  const userId = await provider.addUser(held(issued));
  const failures: [string, Error][] = [];
  provider.onRefreshFailure((error, id) => void failures.push([id, error]));
  await revoke(mock, issued.refreshToken); // also revokes its access tokens
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, () => provider.fetch(userId, "users")),
  );
  for (const result of results) {
    assertEquals(result.status, "rejected");
    assertInstanceOf(
      (result as PromiseRejectedResult).reason,
      InvalidRefreshTokenError,
    );
  }
  await assertRejects(
    () => provider.getAccessToken(userId),
    InvalidRefreshTokenError,
  );
  await assertRejects(() => provider.refresh(userId), InvalidRefreshTokenError);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals(failures.length, 1);
  assertEquals(failures[0][0], userId);
  assertInstanceOf(failures[0][1], InvalidRefreshTokenError);
  assertFalse(failures[0][1].message.includes(issued.refreshToken));
  // A new sign-in clears it.
  await provider.addUser(held(mock.issueUserToken()));
  assertEquals((await provider.fetch(userId, "users")).status, 200);
});

Deno.test("listeners see the stored token, and unsubscribe", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const userId = await provider.addUser(held(mock.issueUserToken()));
  const seen: boolean[] = [];
  const stop = provider.onRefresh(async (token, id) => {
    // The store has the token before any listener runs.
    seen.push((await provider.store.get(id))?.token === token);
  });
  await provider.refresh(userId);
  stop();
  await provider.refresh(userId);
  assertEquals(seen, [true]);
});

/**
 * A provider whose Helix is the echo server (tests/_helix_echo.ts) and whose
 * one user's access token the mock has just expired: the next call gets a 401.
 */
async function expiredUserOnEcho() {
  const mock = await startMockTwitch();
  const echo = startHelixEcho(mock);
  const provider = providerFor(mock, { helixBaseUrl: echo.helixBaseUrl });
  const userId = await provider.addUser(held(mock.issueUserToken()));
  mock.expireAccessToken((await provider.getAccessToken(userId)).accessToken);
  return {
    mock,
    echo,
    provider,
    userId,
    async [Symbol.asyncDispose]() {
      provider[Symbol.dispose]();
      await echo[Symbol.asyncDispose]();
      await mock[Symbol.asyncDispose]();
    },
  };
}

Deno.test("a small ReadableStream body is buffered and sent whole on the retry after a 401", async () => {
  await using setup = await expiredUserOnEcho();
  const { mock, echo, provider, userId } = setup;
  const response = await provider.fetch(userId, "echo", {
    method: "POST",
    body: textStream("hello ", "streamed ", "world"),
  });
  assertEquals(response.status, 200);
  assertEquals((await response.json()).text, "hello streamed world");
  assertEquals(echo.received, [
    { bytes: 20, status: 401 },
    { bytes: 20, status: 200 },
  ]);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  const exactly = await provider.fetch(userId, "echo", {
    method: "POST",
    body: byteStream(1024 * 1024), // the limit itself is still buffered
  });
  assertEquals((await exactly.json()).bytes, 1024 * 1024);
});

Deno.test("a ReadableStream body over 1 MiB is sent once: its 401 comes back unretried, and the token is refreshed for the next call", async () => {
  await using setup = await expiredUserOnEcho();
  const { mock, echo, provider, userId } = setup;
  const size = 1024 * 1024 + 1;
  const response = await provider.fetch(userId, "echo", {
    method: "POST",
    body: byteStream(size),
  });
  assertEquals(response.status, 401);
  await response.body?.cancel();
  assertEquals(echo.received, [{ bytes: size, status: 401 }]);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  const again = await provider.fetch(userId, "echo", {
    method: "POST",
    body: byteStream(size),
  });
  assertEquals((await again.json()).bytes, size);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
});

Deno.test("twitch.fetch retries a buffered stream body too", async () => {
  await using mock = await startMockTwitch();
  await using echo = startHelixEcho(mock);
  using user = await signedInTwitch(mock, {
    helixBaseUrl: echo.helixBaseUrl,
  });
  const { twitch, issued } = user;
  mock.expireAccessToken(issued.accessToken);
  const response = await twitch.fetch("echo", {
    method: "POST",
    body: textStream("one ", "two"),
  });
  assertEquals((await response.json()).text, "one two");
});

Deno.test("TokenProvider checks its options and prints without secrets", async () => {
  await using mock = await startMockTwitch();
  for (
    const options of [
      { clientId: "" },
      { clientId: "x", validateInterval: 0 },
      { clientId: "x", validateInterval: Number.NaN },
    ]
  ) {
    let thrown: unknown;
    try {
      new TokenProvider(options);
    } catch (error) {
      thrown = error;
    }
    assertInstanceOf(thrown, InvalidArgumentError);
  }
  using provider = providerFor(mock);
  const issued = mock.issueUserToken();
  await provider.addUser(held(issued));
  const printed = Deno.inspect(provider);
  assertFalse(printed.includes(mock.clientSecret));
  assertFalse(printed.includes(issued.accessToken));
  await assertRejects(
    () => provider.fetch("1", "https://evil.example/helix/users"),
    InvalidArgumentError,
  );
});

Deno.test("a token set without validation (lifetime unknown) is used until Twitch refuses it, then refreshed", async () => {
  await using mock = await startMockTwitch();
  using user = await signedInTwitch(mock, { validate: false });
  const { twitch, issued } = user;
  assertEquals(await twitch.getUserAuthToken(), issued.accessToken);
  assertEquals(mock.countRequests({ pathname: "/oauth2/validate" }), 0);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 0);
  mock.expireAccessToken(issued.accessToken);
  const response = await twitch.fetch("users");
  assertEquals(response.status, 200);
  await response.body?.cancel();
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assert((await twitch.getUserToken())!.expiresIn > 14_000); // known from now on
});
