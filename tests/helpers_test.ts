import {
  assert,
  assertEquals,
  assertFalse,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import {
  AccessToken,
  CancelledError,
  exchangeCode,
  getAppAccessToken,
  getUserInfo,
  InvalidArgumentError,
  InvalidClientError,
  InvalidRefreshTokenError,
  InvalidResponseError,
  InvalidTokenError,
  NetworkError,
  RateLimitError,
  refreshAccessToken,
  revokeToken,
  TimeoutError,
  TwitchApiError,
  validateToken,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import {
  assertValid,
  authorizeCode,
  closedPort,
  lastRequest,
} from "./_util.ts";

const REDIRECT = "http://localhost:17563";

Deno.test("exchangeCode turns a code into tokens, sending the secret only in the body", async () => {
  await using mock = await startMockTwitch();
  const code = await authorizeCode(mock, ["chat:read", "bits:read"]);
  const before = Date.now();
  const token = await exchangeCode(
    mock.clientId,
    mock.clientSecret,
    code,
    REDIRECT,
    {
      authBaseUrl: mock.authBaseUrl,
    },
  );
  assertInstanceOf(token, AccessToken);
  assertEquals(token.scopes, ["chat:read", "bits:read"]);
  assertEquals(token.tokenType, "bearer");
  assertEquals(token.expiresIn, 14400);
  assert(token.refreshToken && token.refreshToken.length === 50);
  assert(token.obtainedAt >= before && token.obtainedAt <= Date.now());
  const request = lastRequest(mock, "/oauth2/token");
  assertEquals(request.method, "POST");
  assertEquals([...request.query.keys()], []);
  assertEquals(request.form?.get("client_secret"), mock.clientSecret);
  assertEquals(request.form?.get("grant_type"), "authorization_code");
  assertEquals(request.form?.get("redirect_uri"), REDIRECT);
  assertStringIncludes(
    request.headers.get("Content-Type")!,
    "application/x-www-form-urlencoded",
  );
});

/** Refreshes on the mock with the app's credentials. */
function refreshOnMock(
  mock: MockTwitch,
  refreshToken: string,
  authBaseUrl = mock.authBaseUrl,
): Promise<AccessToken> {
  return refreshAccessToken(refreshToken, mock.clientId, mock.clientSecret, {
    authBaseUrl,
  });
}

/** Exchanges `code` on the mock, with the app's secret and REDIRECT unless given. */
function exchangeOnMock(
  mock: MockTwitch,
  code: string,
  { secret = mock.clientSecret, redirect = REDIRECT } = {},
): Promise<AccessToken> {
  return exchangeCode(mock.clientId, secret, code, redirect, {
    authBaseUrl: mock.authBaseUrl,
  });
}

Deno.test("exchangeCode refuses a used code with Twitch's message and a hint", async () => {
  await using mock = await startMockTwitch();
  const code = await authorizeCode(mock, ["chat:read"]);
  await exchangeOnMock(mock, code);
  const error = await assertRejects(
    () => exchangeOnMock(mock, code),
    TwitchApiError,
  );
  assertEquals(error.status, 400);
  assertEquals(error.twitchMessage, "Invalid authorization code");
  assertStringIncludes(error.message, "sign in again");
  assertFalse(error.message.includes(code), "the code leaked into the message");
});

Deno.test("exchangeCode: a wrong secret is an InvalidClientError (403), another redirect URL a 400, each with a hint", async () => {
  await using mock = await startMockTwitch();
  const cases = [
    [
      { secret: "wrong-secret-000000000000" },
      InvalidClientError,
      403,
      "developer console",
    ],
    [
      { redirect: "http://localhost:9999" },
      TwitchApiError,
      400,
      "redirect URL",
    ],
  ] as const;
  for (const [wrong, type, status, hint] of cases) {
    const code = await authorizeCode(mock, ["chat:read"]);
    const error = await assertRejects(
      () => exchangeOnMock(mock, code, wrong),
      type,
    );
    assertEquals(error.status, status);
    assertStringIncludes(error.message, hint);
  }
});

Deno.test("refreshAccessToken returns new tokens and the old access token stops working", async () => {
  await using mock = await startMockTwitch();
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  // A trailing slash on the base URL works too.
  const token = await refreshOnMock(
    mock,
    issued.refreshToken,
    `${mock.authBaseUrl}/`,
  );
  assert(token.accessToken !== issued.accessToken);
  assertEquals(token.scopes, ["chat:read"]);
  assert(token.refreshToken);
  const old = await validateToken(issued.accessToken, {
    authBaseUrl: mock.authBaseUrl,
  });
  assert("status" in old);
  const request = lastRequest(mock, "/oauth2/token");
  assertEquals(request.form?.get("refresh_token"), issued.refreshToken);
  assertEquals([...request.query.keys()], []);
});

Deno.test("refreshAccessToken with a refused refresh token is an InvalidRefreshTokenError", async () => {
  await using mock = await startMockTwitch();
  const error = await assertRejects(
    () =>
      refreshAccessToken("x".repeat(50), mock.clientId, mock.clientSecret, {
        authBaseUrl: mock.authBaseUrl,
      }),
    InvalidRefreshTokenError,
  );
  assertEquals(error.status, 400);
  assertEquals(error.twitchMessage, "Invalid refresh token");
});

Deno.test("refreshAccessToken for a public client sends no secret and gets a rotated refresh token", async () => {
  await using mock = await startMockTwitch({
    clients: [{
      clientId: "public0client0id0000000000000",
      redirectUris: [REDIRECT],
    }],
  });
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const options = { authBaseUrl: mock.authBaseUrl };
  const token = await refreshAccessToken(
    issued.refreshToken,
    mock.clientId,
    undefined,
    options,
  );
  assert(token.refreshToken && token.refreshToken !== issued.refreshToken);
  const request = lastRequest(mock, "/oauth2/token");
  assertFalse(request.form?.has("client_secret"));
  await assertRejects(
    () =>
      refreshAccessToken(
        issued.refreshToken,
        mock.clientId,
        undefined,
        options,
      ),
    InvalidRefreshTokenError,
  );
});

Deno.test("getAppAccessToken gets a token without refresh token or scopes", async () => {
  await using mock = await startMockTwitch();
  const token = await getAppAccessToken(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
  });
  assertEquals(token.refreshToken, undefined);
  assertFalse("refreshToken" in token.toJSON());
  assertEquals(token.scopes, []);
  const result = assertValid(
    await validateToken(token.accessToken, { authBaseUrl: mock.authBaseUrl }),
  );
  assertEquals(result.client_id, mock.clientId);
  assertEquals(result.login, undefined);
  await assertRejects(
    () =>
      getAppAccessToken(mock.clientId, "nope-nope-nope-nope-nope-nope0", {
        authBaseUrl: mock.authBaseUrl,
      }),
    InvalidClientError,
  );
});

Deno.test("validateToken describes a valid token and answers 401 for an invalid one", async () => {
  await using mock = await startMockTwitch();
  const issued = mock.issueUserToken({ scopes: ["chat:read", "bits:read"] });
  const options = { authBaseUrl: mock.authBaseUrl };
  const result = assertValid(await validateToken(issued.accessToken, options));
  assertEquals(result.client_id, mock.clientId);
  assertEquals(result.login, "twitchdev");
  assertEquals(result.user_id, "141981764");
  assertEquals(result.scopes.toSorted(), ["bits:read", "chat:read"]);
  assert(result.expires_in > 14000 && result.expires_in <= 14400);
  const request = lastRequest(mock, "/oauth2/validate");
  assertEquals(
    request.headers.get("Authorization"),
    `OAuth ${issued.accessToken}`,
  );
  mock.expireAccessToken(issued.accessToken);
  assertEquals(await validateToken(issued.accessToken, options), {
    status: 401,
    message: "invalid access token",
  });
});

Deno.test("revokeToken is true for a live token and false after, and the token stops working", async () => {
  await using mock = await startMockTwitch();
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const options = { authBaseUrl: mock.authBaseUrl };
  assert(await revokeToken(mock.clientId, issued.accessToken, options));
  assert("status" in await validateToken(issued.accessToken, options));
  assertFalse(await revokeToken(mock.clientId, issued.accessToken, options));
  assertFalse(
    await revokeToken(
      "no0such0client0000000000000000",
      issued.refreshToken,
      options,
    ),
  );
  const request = lastRequest(mock, "/oauth2/revoke");
  assertEquals(request.method, "POST");
  assertEquals([...request.query.keys()], []);
});

Deno.test("getUserInfo reads the claims of an openid token, with the email when allowed", async () => {
  await using mock = await startMockTwitch();
  const options = { authBaseUrl: mock.authBaseUrl };
  const withEmail = mock.issueUserToken({
    scopes: ["openid", "user:read:email"],
  });
  const info = await getUserInfo(withEmail.accessToken, options);
  assertEquals(info.sub, "141981764");
  assertEquals(info.preferred_username, "TwitchDev");
  assertEquals(info.aud, mock.clientId);
  assertEquals(info.email, "twitchdev@example.com");
  const request = lastRequest(mock, "/oauth2/userinfo");
  assertEquals(
    request.headers.get("Authorization"),
    `Bearer ${withEmail.accessToken}`,
  );
  const plain = mock.issueUserToken({ scopes: ["openid"] });
  assertEquals(
    (await getUserInfo(plain.accessToken, options)).email,
    undefined,
  );
  const noOpenid = mock.issueUserToken({ scopes: ["chat:read"] });
  const error = await assertRejects(
    () => getUserInfo(noOpenid.accessToken, options),
    InvalidTokenError,
  );
  assertStringIncludes(error.message, "openid");
});

Deno.test("a 5xx from Twitch is a TwitchApiError with the status", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/validate", status: 503 });
  const error = await assertRejects(
    () => validateToken("a".repeat(30), { authBaseUrl: mock.authBaseUrl }),
    TwitchApiError,
  );
  assertEquals(error.status, 503);
  assertStringIncludes(error.message, "try again");
});

Deno.test("a body that is not JSON is an InvalidResponseError", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/token", status: 200, body: "{not json" });
  await assertRejects(
    () =>
      getAppAccessToken(mock.clientId, mock.clientSecret, {
        authBaseUrl: mock.authBaseUrl,
      }),
    InvalidResponseError,
  );
  mock.injectFault({
    path: "/oauth2/token",
    status: 200,
    body: '{"hello":"world"}',
  });
  await assertRejects(
    () =>
      getAppAccessToken(mock.clientId, mock.clientSecret, {
        authBaseUrl: mock.authBaseUrl,
      }),
    InvalidResponseError,
  );
});

Deno.test("a short 429 is waited out and retried once", async () => {
  await using mock = await startMockTwitch();
  const tooMany = { status: 429, headers: { "Retry-After": "0" } };
  mock.injectFault({ path: "/oauth2/token", ...tooMany });
  const token = await getAppAccessToken(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
  });
  assert(token.accessToken);
  assertEquals(mock.countRequests({ pathname: "/oauth2/token" }), 2);
});

Deno.test("a long 429 is a RateLimitError saying how long to wait", async () => {
  await using mock = await startMockTwitch();
  const reset = Math.ceil(Date.now() / 1000) + 60;
  mock.injectFault({
    path: "/oauth2/token",
    status: 429,
    headers: { "Ratelimit-Reset": String(reset) },
  });
  const error = await assertRejects(
    () =>
      getAppAccessToken(mock.clientId, mock.clientSecret, {
        authBaseUrl: mock.authBaseUrl,
      }),
    RateLimitError,
  );
  assert(
    error.retryAfter > 50_000 && error.retryAfter <= 61_000,
    String(error.retryAfter),
  );
  assertEquals(mock.countRequests({ pathname: "/oauth2/token" }), 1);
});

Deno.test("a slow Twitch ends in a TimeoutError", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/validate", delay: 5_000 });
  const error = await assertRejects(
    () =>
      validateToken("a".repeat(30), {
        authBaseUrl: mock.authBaseUrl,
        timeout: 100,
      }),
    TimeoutError,
  );
  assertEquals(error.timeout, 100);
});

Deno.test("a signal cancels a call with a CancelledError", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/validate", delay: 5_000 });
  const controller = new AbortController();
  const call = validateToken("a".repeat(30), {
    authBaseUrl: mock.authBaseUrl,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await assertRejects(() => call, CancelledError);
  const aborted = AbortSignal.abort();
  await assertRejects(
    () =>
      validateToken("a".repeat(30), {
        authBaseUrl: mock.authBaseUrl,
        signal: aborted,
      }),
    CancelledError,
  );
});

Deno.test("an unreachable Twitch is a NetworkError naming the address without a query", async () => {
  const port = closedPort();
  const error = await assertRejects(
    () =>
      validateToken("a".repeat(30), {
        authBaseUrl: `http://127.0.0.1:${port}/oauth2`,
      }),
    NetworkError,
  );
  assertStringIncludes(
    error.message,
    `http://127.0.0.1:${port}/oauth2/validate`,
  );
});

Deno.test("bad arguments reject with InvalidArgumentError, never throw synchronously", async () => {
  const calls: [string, () => Promise<unknown>][] = [
    ["validateToken", () => validateToken("")],
    ["refreshAccessToken", () => refreshAccessToken("r", "")],
    ["exchangeCode", () => exchangeCode("id", "", "code", REDIRECT)],
    ["getAppAccessToken", () => getAppAccessToken("", "secret")],
    ["revokeToken", () => revokeToken("id", "")],
    ["getUserInfo", () => getUserInfo("")],
    [
      "a relative authBaseUrl",
      () => validateToken("t", { authBaseUrl: "id.twitch.tv/oauth2" }),
    ],
    [
      "a non-http authBaseUrl",
      () => validateToken("t", { authBaseUrl: "ftp://id.twitch.tv/oauth2" }),
    ],
  ];
  for (const [name, call] of calls) {
    let promise: Promise<unknown>;
    try {
      promise = call();
    } catch (error) {
      throw new Error(`${name} threw synchronously instead of rejecting`, {
        cause: error,
      });
    }
    await assertRejects(() => promise, InvalidArgumentError, undefined, name);
  }
});

Deno.test("revokeToken says false only when Twitch refuses; a 5xx is an error, not a 'no'", async () => {
  await using mock = await startMockTwitch();
  const issued = mock.issueUserToken({ scopes: [] });
  mock.injectFault({ path: "/oauth2/revoke", status: 503 });
  await assertRejects(
    () =>
      revokeToken(mock.clientId, issued.accessToken, {
        authBaseUrl: mock.authBaseUrl,
      }),
    TwitchApiError,
  );
  assert(
    await revokeToken(mock.clientId, issued.accessToken, {
      authBaseUrl: mock.authBaseUrl,
    }),
  );
});

Deno.test("a token prints redacted and stores in full", async () => {
  await using mock = await startMockTwitch();
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const token = await refreshOnMock(mock, issued.refreshToken);
  const printed = Deno.inspect(token) +
    Deno.inspect({ nested: [token] }, { depth: 5 });
  assertFalse(printed.includes(token.accessToken), printed);
  assertFalse(printed.includes(token.refreshToken!), printed);
  assertStringIncludes(printed, token.accessToken.slice(0, 4));
  const restored = new AccessToken(JSON.parse(JSON.stringify(token)));
  assertEquals(restored.toJSON(), token.toJSON());
  assertEquals(restored.expiresAt, token.obtainedAt + 14_400_000);
  assertFalse(restored.isExpired());
  assert(restored.isExpired(14_401_000));
});

Deno.test("the options form of every helper with a client id does what the positional form does, and checks its fields", async () => {
  await using mock = await startMockTwitch();
  const request = { authBaseUrl: mock.authBaseUrl };
  const credentials = {
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
  };
  const code = await authorizeCode(mock, ["chat:read"]);
  const user = await exchangeCode({
    ...credentials,
    ...request,
    code,
    redirectUri: REDIRECT,
  });
  assertEquals(user.scopes, ["chat:read"]);
  const refreshed = await refreshAccessToken({
    ...credentials,
    ...request,
    refreshToken: user.refreshToken!,
  });
  assertValid(await validateToken(refreshed.accessToken, request));
  const app = await getAppAccessToken({ ...credentials, ...request });
  assertValid(await validateToken(app.accessToken, request));
  assert(
    await revokeToken({
      clientId: mock.clientId,
      accessToken: refreshed.accessToken,
      ...request,
    }),
  );
  assertEquals(
    (await validateToken(refreshed.accessToken, request) as { status: number })
      .status,
    401,
  );
  // Every request carried the form the positional calls send.
  const grants = mock.requests.filter((r) => r.pathname === "/oauth2/token");
  assertEquals(grants.map((r) => r.form?.get("grant_type")), [
    "authorization_code",
    "refresh_token",
    "client_credentials",
  ]);
  for (const grant of grants) {
    assertEquals(grant.form?.get("client_secret"), mock.clientSecret);
    assertFalse(grant.query.has("client_secret"));
  }
  // A missing field is named in the options form's own vocabulary.
  const error = await assertRejects(
    () => refreshAccessToken({ ...request, clientId: "", refreshToken: "r" }),
    InvalidArgumentError,
  );
  assertStringIncludes(error.message, "clientId");
});
