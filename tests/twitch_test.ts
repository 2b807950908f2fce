import {
  assert,
  assertEquals,
  assertFalse,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import {
  type AccessToken,
  DEFAULT_USER_KEY,
  InvalidArgumentError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  MemoryTokenStore,
  MissingScopeError,
  Twitch,
  TwitchAuthError,
  UnknownScopeError,
} from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import {
  assertBearer,
  dueSoon,
  signedInTwitch,
  twitchOnStore,
} from "./_helpers_tokens.ts";
import { lastRequest } from "./_util.ts";

async function setup() {
  const mock = await startMockTwitch();
  const twitch = new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
  return { mock, twitch };
}

/** The mock, and a `Twitch` given a chat:read token unvalidated 30 s before its end. */
async function setupDueSoon() {
  const { mock, twitch } = await setup();
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  await twitch.setUserAuthentication(
    dueSoon(issued, ["chat:read"]),
    ["chat:read"],
    undefined,
    false,
  ); // inside the 60 s margin
  return { mock, twitch, issued };
}

Deno.test("setUserAuthentication validates the token and reads its real expiry and scopes", async () => {
  const { mock, twitch } = await setup();
  await using _ = mock;
  const issued = mock.issueUserToken({ scopes: ["chat:read", "chat:edit"] });
  await twitch.setUserAuthentication(
    issued.accessToken,
    ["chat:read"],
    issued.refreshToken,
  );
  const token = (await twitch.getUserToken())!;
  assertEquals(token.scopes.toSorted(), ["chat:edit", "chat:read"]);
  assert(token.expiresIn > 14000);
  assertEquals(await twitch.getUserAuthToken(), issued.accessToken);
  assertEquals(mock.countRequests({ pathname: "/oauth2/validate" }), 1);
});

Deno.test("setUserAuthentication names the missing scopes", async () => {
  const { mock, twitch } = await setup();
  await using _ = mock;
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const error = await assertRejects(
    () =>
      twitch.setUserAuthentication(issued.accessToken, [
        "chat:read",
        "bits:read",
      ]),
    MissingScopeError,
  );
  assertEquals(error.missing, ["bits:read"]);
});

Deno.test("setUserAuthentication refreshes an invalid token once when it can", async () => {
  const { mock, twitch } = await setup();
  await using _ = mock;
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  mock.expireAccessToken(issued.accessToken);
  const refreshed: AccessToken[] = [];
  twitch.onUserAuthRefresh((token) => void refreshed.push(token));
  await twitch.setUserAuthentication(
    issued.accessToken,
    ["chat:read"],
    issued.refreshToken,
  );
  assertEquals(refreshed.length, 1);
  assert(refreshed[0].accessToken !== issued.accessToken);
  assertEquals(await twitch.getUserAuthToken(), refreshed[0].accessToken);
  const noRefresh = mock.issueUserToken({ scopes: ["chat:read"] });
  mock.expireAccessToken(noRefresh.accessToken);
  const error = await assertRejects(
    () => twitch.setUserAuthentication(noRefresh.accessToken, ["chat:read"]),
    InvalidTokenError,
  );
  assertFalse(error.message.includes(noRefresh.accessToken));
});

Deno.test("setUserAuthentication refuses another app's token", async () => {
  const { mock } = await setup();
  await using _ = mock;
  const other = new Twitch("other0app0000000000000000000000", "s", {
    authBaseUrl: mock.authBaseUrl,
  });
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const error = await assertRejects(
    () => other.setUserAuthentication(issued.accessToken, ["chat:read"]),
    InvalidTokenError,
  );
  assertStringIncludes(error.message, "another app");
});

Deno.test("50 concurrent getUserAuthToken during expiry share exactly one refresh", async () => {
  const { mock, twitch, issued } = await setupDueSoon();
  await using _ = mock;
  let calls = 0;
  twitch.onUserAuthRefresh(() => void calls++);
  const tokens = await Promise.all(
    Array.from({ length: 50 }, () => twitch.getUserAuthToken()),
  );
  assertEquals(new Set(tokens).size, 1);
  assert(tokens[0] !== issued.accessToken);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals(calls, 1);
  assertEquals(await twitch.getUserAuthToken(), tokens[0]); // fresh now: no second refresh
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
});

Deno.test("a refused refresh token rejects every waiter once and is not retried in a loop", async () => {
  const { mock, twitch, issued } = await setupDueSoon();
  await using _ = mock;
  await fetch(`${mock.authBaseUrl}/revoke`, {
    method: "POST",
    body: new URLSearchParams({
      client_id: mock.clientId,
      token: issued.refreshToken,
    }),
  }).then((r) => r.body?.cancel());
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, () => twitch.getUserAuthToken()),
  );
  for (const result of results) {
    assertEquals(result.status, "rejected");
    assert(
      (result as PromiseRejectedResult).reason instanceof
        InvalidRefreshTokenError,
    );
  }
  await assertRejects(
    () => twitch.getUserAuthToken(),
    InvalidRefreshTokenError,
  );
  await assertRejects(
    () => twitch.refreshUserToken(),
    InvalidRefreshTokenError,
  );
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
});

Deno.test("getUserAuthToken without a user says what to call", async () => {
  const { mock, twitch } = await setup();
  await using _ = mock;
  const error = await assertRejects(
    () => twitch.getUserAuthToken(),
    TwitchAuthError,
  );
  assertStringIncludes(error.message, "setUserAuthentication");
});

Deno.test("twitch.fetch calls Helix with Client-Id and Bearer, and retries once after a 401", async () => {
  await using mock = await startMockTwitch();
  using user = await signedInTwitch(mock, { scopes: ["user:read:email"] });
  const { twitch, issued } = user;
  const response = await twitch.fetch("users");
  const body = await response.json();
  assertEquals(body.data[0].login, "twitchdev");
  const request = lastRequest(mock, "/helix/users");
  assertEquals(request.headers.get("Client-Id"), mock.clientId);
  assertBearer(mock, "/helix/users", issued.accessToken);
  mock.expireAccessToken(issued.accessToken);
  const retried = await twitch.fetch(
    `${mock.helixBaseUrl}/users?login=twitchdev`,
  );
  assertEquals(retried.status, 200);
  await retried.body?.cancel();
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals(mock.countRequests({ pathname: "/helix/users" }), 3);
});

Deno.test("twitch.fetch refuses any address outside Helix, so the token stays home", async () => {
  await using mock = await startMockTwitch();
  using user = await signedInTwitch(mock);
  const { twitch } = user;
  for (
    const target of [
      "https://evil.example/helix/users",
      `${mock.url}/oauth2/validate`,
      "../oauth2/validate",
    ]
  ) {
    await assertRejects(() => twitch.fetch(target), InvalidArgumentError);
  }
  assertEquals(mock.countRequests({ pathname: "/helix/users" }), 0);
});

Deno.test("authenticateApp gets an app token that twitch.fetch uses without a user", async () => {
  const { mock, twitch } = await setup();
  await using _ = mock;
  const token = await twitch.authenticateApp();
  assertEquals(token.refreshToken, undefined);
  assertEquals(await twitch.getAppAuthToken(), token.accessToken);
  const response = await twitch.fetch("users?login=twitchdev");
  assertEquals(response.status, 200);
  await response.body?.cancel();
  assertBearer(mock, "/helix/users", token.accessToken);
  assertEquals(mock.countRequests({ grantType: "client_credentials" }), 1);
  await twitch.authenticateApp(["chat:read"]); // pyTwitchAPI's authenticate_app(scope)
  await assertRejects(
    () => twitch.authenticateApp(["chat:reed"]),
    UnknownScopeError,
  );
  const noSecret = new Twitch(mock.clientId);
  await assertRejects(() => noSecret.authenticateApp(), InvalidArgumentError);
});

Deno.test("Twitch prints without its secret or tokens, and needs an app id", async () => {
  await using mock = await startMockTwitch();
  using user = await signedInTwitch(mock);
  const { twitch, issued } = user;
  const printed = Deno.inspect(twitch) +
    Deno.inspect(await twitch.getUserToken());
  assertFalse(printed.includes(mock.clientSecret));
  assertFalse(printed.includes(issued.accessToken));
  assertFalse(printed.includes(issued.refreshToken));
  assertThrows(() => new Twitch(""), InvalidArgumentError);
});

Deno.test("Twitch objects on one store share the user under userKey, with one refresh, and keep no copy", async () => {
  await using mock = await startMockTwitch();
  const store = new MemoryTokenStore();
  using a = twitchOnStore(mock, store);
  using b = twitchOnStore(mock, store);
  using other = twitchOnStore(mock, store, { userKey: "other" });
  assertEquals([a.userKey, other.userKey], [DEFAULT_USER_KEY, "other"]);
  const heard: [string, string][] = [];
  a.onUserAuthRefresh((token, key) =>
    void heard.push([key, token.accessToken])
  );
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  await a.setUserAuthentication(issued.accessToken, [], issued.refreshToken);
  assertEquals(
    (await store.get(DEFAULT_USER_KEY))?.token.accessToken,
    issued.accessToken,
  );
  assertEquals(await b.getUserAuthToken(), issued.accessToken);
  assertEquals((await b.getUserToken())?.accessToken, issued.accessToken);
  const refreshed = await a.refreshUserToken();
  assertEquals(heard, [[DEFAULT_USER_KEY, refreshed.accessToken]]);
  // b reads the store, never a copy of its own: it sees a's new token, and
  // its fetch works with it (the old one was revoked by the refresh).
  assertEquals((await b.getUserToken())?.accessToken, refreshed.accessToken);
  mock.expireAccessToken(issued.accessToken);
  assertEquals((await b.fetch("users")).status, 200);
  assertEquals(await b.getUserAuthToken(), refreshed.accessToken);
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  // Another key is another user: none here, so the app token is used.
  await assertRejects(() => other.getUserAuthToken(), TwitchAuthError);
  assertEquals(await other.getUserToken(), undefined);
  assertEquals((await other.fetch("users?login=twitchdev")).status, 200);
  assertEquals(mock.countRequests({ grantType: "client_credentials" }), 1);
});

Deno.test("Twitch: clientId/clientSecret, the deprecated appId/appSecret, and an empty userKey refused", () => {
  using twitch = new Twitch("the0client0id0000000000000000", "the-secret");
  assertEquals(twitch.clientId, "the0client0id0000000000000000");
  assertEquals(twitch.appId, twitch.clientId);
  assertEquals(twitch.clientSecret, "the-secret");
  assertEquals(twitch.appSecret, twitch.clientSecret);
  assertThrows(
    () =>
      new Twitch("the0client0id0000000000000000", undefined, { userKey: "" }),
    InvalidArgumentError,
    "userKey",
  );
});
