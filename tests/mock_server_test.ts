import {
  assert,
  assertEquals,
  assertExists,
  assertFalse,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { bundle } from "./_bundle.ts";
import {
  createMockTwitchHandler,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USER,
  type MockClient,
  type MockTwitch,
  type MockUser,
  startMockTwitch,
} from "../testing.ts";
import { assertHelixUnauthorized } from "./_helpers_tokens.ts";
import { tempDir, USER_TOKEN_FIELDS } from "./_util.ts";

const REDIRECT = "http://localhost:17563";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const OTHER_USER: MockUser = {
  id: "12826",
  login: "twitch",
  displayName: "Twitch",
};
const PUBLIC_CLIENT: MockClient = {
  clientId: "publicclient0000000000000000001",
  redirectUris: [],
};
const SECOND_CLIENT: MockClient = {
  clientId: "secondclient000000000000000001",
  clientSecret: "secondsecret000000000000000001",
  redirectUris: ["http://localhost:3000/callback?app=bot"],
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function postForm(
  url: string,
  params: Record<string, string>,
): Promise<Response> {
  return fetch(url, { method: "POST", body: new URLSearchParams(params) });
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  return await res.json();
}

/** The Location of a redirect (the body is consumed). */
async function location(res: Response): Promise<string> {
  await res.body?.cancel();
  assertEquals(res.status, 302, "expected a redirect");
  const loc = res.headers.get("location");
  if (loc === null) throw new Error("no Location header");
  return loc;
}

function authorizeUrl(
  mock: MockTwitch,
  params: Record<string, string> = {},
): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: mock.clientId,
    redirect_uri: REDIRECT,
    scope: "user:read:email chat:read",
    state: "st4te",
    ...params,
  });
  return `${mock.authBaseUrl}/authorize?${query}`;
}

function authorize(
  mock: MockTwitch,
  params: Record<string, string> = {},
): Promise<Response> {
  return fetch(authorizeUrl(mock, params), { redirect: "manual" });
}

async function getCode(
  mock: MockTwitch,
  params: Record<string, string> = {},
): Promise<string> {
  const loc = new URL(await location(await authorize(mock, params)));
  const code = loc.searchParams.get("code");
  if (code === null) throw new Error(`no code in ${loc}`);
  return code;
}

function exchange(
  mock: MockTwitch,
  code: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return postForm(`${mock.authBaseUrl}/token`, {
    client_id: mock.clientId,
    client_secret: mock.clientSecret,
    code,
    grant_type: "authorization_code",
    redirect_uri: REDIRECT,
    ...extra,
  });
}

async function userToken(
  mock: MockTwitch,
  scope = "user:read:email chat:read",
): Promise<Record<string, unknown>> {
  const res = await exchange(mock, await getCode(mock, { scope }));
  assertEquals(res.status, 200);
  return await readJson(res);
}

function validate(
  mock: MockTwitch,
  token: string,
  scheme = "OAuth",
): Promise<Response> {
  return fetch(`${mock.authBaseUrl}/validate`, {
    headers: { Authorization: `${scheme} ${token}` },
  });
}

async function validateStatus(
  mock: MockTwitch,
  token: string,
): Promise<number> {
  const res = await validate(mock, token);
  await res.body?.cancel();
  return res.status;
}

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(
    /&lt;/g,
    "<",
  ).replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The hidden fields of the first form of a page. */
function hiddenFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (
    const match of html.matchAll(
      /<input type="hidden" name="([^"]*)" value="([^"]*)">/g,
    )
  ) {
    fields.set(unescapeHtml(match[1]), unescapeHtml(match[2]));
  }
  return fields;
}

async function submitPage(
  url: string,
  html: string,
  action: "authorize" | "cancel",
): Promise<Response> {
  const fields = hiddenFields(html);
  fields.set("action", action);
  return await fetch(url, { method: "POST", body: fields, redirect: "manual" });
}

async function startDevice(
  mock: MockTwitch,
  scopes = "chat:read",
): Promise<Record<string, unknown>> {
  const res = await postForm(`${mock.authBaseUrl}/device`, {
    client_id: mock.clientId,
    scopes,
  });
  assertEquals(res.status, 200);
  return await readJson(res);
}

function pollDevice(mock: MockTwitch, deviceCode: string): Promise<Response> {
  return postForm(`${mock.authBaseUrl}/token`, {
    client_id: mock.clientId,
    scopes: "chat:read",
    device_code: deviceCode,
    grant_type: DEVICE_GRANT,
  });
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") +
    "=".repeat((4 - text.length % 4) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

// ---------------------------------------------------------------------------
// Constants and server basics
// ---------------------------------------------------------------------------

Deno.test("demo constants look like Twitch's", () => {
  assertMatch(DEMO_CLIENT_ID, /^[a-z0-9]{30}$/);
  assertMatch(DEMO_CLIENT_SECRET, /^[a-z0-9]{30}$/);
  assertEquals(DEMO_USER, {
    id: "141981764",
    login: "twitchdev",
    displayName: "TwitchDev",
    email: "twitchdev@example.com",
  });
});

Deno.test("server listens on 127.0.0.1 with the demo client by default", async () => {
  await using mock = await startMockTwitch();
  assertMatch(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assertEquals(mock.authBaseUrl, `${mock.url}/oauth2`);
  assertEquals(mock.helixBaseUrl, `${mock.url}/helix`);
  assertEquals(mock.clientId, DEMO_CLIENT_ID);
  assertEquals(mock.clientSecret, DEMO_CLIENT_SECRET);
  assertEquals(mock.consent, "page");
  assertEquals(mock.currentUser, DEMO_USER);
  assertEquals(mock.accessTokenLifetime, 14400);
});

Deno.test("unknown path is a JSON 404, wrong method a 405", async () => {
  await using mock = await startMockTwitch();
  const notFound = await fetch(`${mock.url}/oauth2/nope`);
  assertEquals(notFound.status, 404);
  const body = await readJson(notFound);
  assertEquals(body.error, "Not Found");
  assertEquals(body.status, 404);
  assertEquals(typeof body.message, "string");

  const wrong = await fetch(`${mock.authBaseUrl}/token`);
  assertEquals(wrong.status, 405);
  assertEquals(wrong.headers.get("allow"), "POST");
  assertEquals((await readJson(wrong)).status, 405);
});

Deno.test("close() is idempotent and the port stops answering", async () => {
  const mock = await startMockTwitch();
  const url = mock.url;
  await mock.close();
  await mock.close();
  let failed = false;
  try {
    const res = await fetch(`${url}/oauth2/validate`);
    await res.body?.cancel();
  } catch {
    failed = true;
  }
  assert(failed, "the server still answers after close()");
});

// ---------------------------------------------------------------------------
// /oauth2/authorize
// ---------------------------------------------------------------------------

Deno.test("authorize (approve): redirect with code, %20-encoded scope and the state", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const state = "a b&c=d/é+";
  const loc = await location(await authorize(mock, { state }));
  assertMatch(
    loc,
    /^http:\/\/localhost:17563\?code=[a-z0-9]{30}&scope=user%3Aread%3Aemail%20chat%3Aread&state=/,
  );
  assertEquals(new URL(loc).searchParams.get("state"), state);
});

Deno.test("authorize keeps the redirect URI's own query", async () => {
  await using mock = await startMockTwitch({
    consent: "approve",
    clients: [SECOND_CLIENT],
  });
  const res = await authorize(mock, {
    client_id: SECOND_CLIENT.clientId,
    redirect_uri: SECOND_CLIENT.redirectUris[0],
  });
  const loc = new URL(await location(res));
  assertEquals(loc.origin + loc.pathname, "http://localhost:3000/callback");
  assertEquals(loc.searchParams.get("app"), "bot");
  assertExists(loc.searchParams.get("code"));
  assertEquals(loc.searchParams.get("state"), "st4te");
});

Deno.test("authorize (deny): access_denied redirect in Twitch's exact form", async () => {
  await using mock = await startMockTwitch({ consent: "deny" });
  assertEquals(
    await location(await authorize(mock)),
    `${REDIRECT}?error=access_denied&error_description=The+user+denied+you+access&state=st4te`,
  );
});

Deno.test("authorize: unregistered redirect_uri or unknown client -> error page, no redirect", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  for (
    const params of [
      { redirect_uri: "http://localhost:17563/" },
      { redirect_uri: "http://localhost:17563/callback" },
      { redirect_uri: "http://evil.example" },
      { client_id: "unknownclient" },
    ] as Record<string, string>[]
  ) {
    const res = await authorize(mock, params);
    assertEquals(res.status, 400, JSON.stringify(params));
    assertEquals(res.headers.get("location"), null);
    assertStringIncludes(res.headers.get("content-type") ?? "", "text/html");
    const html = await res.text();
    assertStringIncludes(html, "<!doctype html>");
  }
  const mismatch = await authorize(mock, {
    redirect_uri: "http://evil.example",
  });
  assertStringIncludes(await mismatch.text(), "redirect_mismatch");
});

Deno.test("authorize: a public client (no secret) gets the error page, no code and no implicit token", async () => {
  const publicWithRedirect: MockClient = {
    clientId: "publicredirect0000000000000001",
    redirectUris: [REDIRECT],
  };
  await using mock = await startMockTwitch({ clients: [publicWithRedirect] });
  for (const consent of ["approve", "page"] as const) {
    mock.consent = consent;
    for (const responseType of ["code", "token"]) {
      const res = await authorize(mock, { response_type: responseType });
      assertEquals(res.status, 400, `${consent} ${responseType}`);
      assertEquals(res.headers.get("location"), null);
      assertStringIncludes(res.headers.get("content-type") ?? "", "text/html");
      const html = await res.text();
      assertStringIncludes(html, "unauthorized_client");
      assertFalse(html.includes("<form"), "no consent page");
    }
  }
  // The device code flow stays open to it.
  assertEquals(typeof (await startDevice(mock)).device_code, "string");
});

Deno.test("authorize: unknown scope -> invalid_scope redirect with state", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const loc = new URL(
    await location(await authorize(mock, { scope: "chat:read not:a:scope" })),
  );
  assertEquals(loc.searchParams.get("error"), "invalid_scope");
  assertStringIncludes(
    loc.searchParams.get("error_description") ?? "",
    "not:a:scope",
  );
  assertEquals(loc.searchParams.get("state"), "st4te");
  assertFalse(loc.searchParams.has("code"));
});

Deno.test("authorize (page): consent page, Authorize posts back and redirects with a code", async () => {
  await using mock = await startMockTwitch();
  const res = await authorize(mock);
  assertEquals(res.status, 200);
  assertStringIncludes(res.headers.get("content-type") ?? "", "text/html");
  const html = await res.text();
  assertStringIncludes(html, "Authorize");
  assertStringIncludes(html, "Cancel");
  assertStringIncludes(html, "user:read:email");
  assertStringIncludes(html, "chat:read");
  assertStringIncludes(html, "TwitchDev");
  assertStringIncludes(html, DEMO_CLIENT_ID);
  assertStringIncludes(html, 'action="/oauth2/authorize"');
  assertFalse(
    /<script|src=|https?:\/\/(?!localhost)/.test(html),
    "page loads something external",
  );
  const fields = hiddenFields(html);
  assertMatch(fields.get("csrf_token") ?? "", /^[a-z0-9]{32}$/);
  assertEquals(fields.get("state"), "st4te");

  const answer = await submitPage(
    `${mock.authBaseUrl}/authorize`,
    html,
    "authorize",
  );
  const loc = new URL(await location(answer));
  assertEquals(loc.searchParams.get("state"), "st4te");
  const token = await exchange(mock, loc.searchParams.get("code")!);
  assertEquals(token.status, 200);
  await token.body?.cancel();

  // The anti-CSRF token is single-use.
  const again = await submitPage(
    `${mock.authBaseUrl}/authorize`,
    html,
    "authorize",
  );
  assertEquals(again.status, 400);
  assertEquals(again.headers.get("location"), null);
  await again.body?.cancel();
});

Deno.test("authorize (page): Cancel redirects with access_denied", async () => {
  await using mock = await startMockTwitch();
  const html = await (await authorize(mock)).text();
  const loc = await location(
    await submitPage(`${mock.authBaseUrl}/authorize`, html, "cancel"),
  );
  assertEquals(
    loc,
    `${REDIRECT}?error=access_denied&error_description=The+user+denied+you+access&state=st4te`,
  );
});

Deno.test("authorize (page): a POST without a valid anti-CSRF token or with changed fields is refused", async () => {
  await using mock = await startMockTwitch();
  const html = await (await authorize(mock)).text();
  const forged = hiddenFields(html);
  forged.set("csrf_token", "0".repeat(32));
  forged.set("action", "authorize");
  const res1 = await fetch(`${mock.authBaseUrl}/authorize`, {
    method: "POST",
    body: forged,
    redirect: "manual",
  });
  assertEquals(res1.status, 400);
  await res1.body?.cancel();

  const tampered = hiddenFields(html);
  tampered.set("scope", "user:read:email chat:read channel:moderate");
  tampered.set("action", "authorize");
  const res2 = await fetch(`${mock.authBaseUrl}/authorize`, {
    method: "POST",
    body: tampered,
    redirect: "manual",
  });
  assertEquals(res2.status, 400);
  assertEquals(res2.headers.get("location"), null);
  await res2.body?.cancel();
});

Deno.test("authorize (page): values from the URL are HTML-escaped", async () => {
  await using mock = await startMockTwitch();
  const evil = `"><script>alert(1)</script>`;
  const html = await (await authorize(mock, { state: evil })).text();
  assertFalse(html.includes("<script>"));
  assertStringIncludes(html, "&quot;&gt;&lt;script&gt;");
  assertEquals(hiddenFields(html).get("state"), evil);
});

Deno.test("authorize (page): earlier consent skips the page unless force_verify=true", async () => {
  await using mock = await startMockTwitch();
  const html = await (await authorize(mock)).text();
  await location(
    await submitPage(`${mock.authBaseUrl}/authorize`, html, "authorize"),
  );

  // Same scopes, then a subset: approved at once.
  assertMatch(await location(await authorize(mock)), /\?code=/);
  assertMatch(
    await location(await authorize(mock, { scope: "chat:read" })),
    /\?code=/,
  );
  // force_verify=true: the page again.
  const forced = await authorize(mock, { force_verify: "true" });
  assertEquals(forced.status, 200);
  assertStringIncludes(await forced.text(), "Authorize");
  // More scopes than agreed to: the page again.
  const more = await authorize(mock, { scope: "chat:read chat:edit" });
  assertEquals(more.status, 200);
  await more.body?.cancel();
  // Another user has not agreed to anything.
  mock.currentUser = OTHER_USER;
  const other = await authorize(mock);
  assertEquals(other.status, 200);
  await other.body?.cancel();
});

Deno.test("authorize (implicit): token in the fragment, usable", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const loc = await location(await authorize(mock, { response_type: "token" }));
  assertMatch(
    loc,
    /^http:\/\/localhost:17563#access_token=[a-z0-9]{30}&scope=user%3Aread%3Aemail%20chat%3Aread&state=st4te&token_type=bearer$/,
  );
  const fragment = new URLSearchParams(new URL(loc).hash.slice(1));
  const res = await validate(mock, fragment.get("access_token")!);
  assertEquals(res.status, 200);
  assertEquals((await readJson(res)).login, "twitchdev");
});

Deno.test("consent and currentUser can change at run time", async () => {
  await using mock = await startMockTwitch({ consent: "deny" });
  assertMatch(await location(await authorize(mock)), /error=access_denied/);
  mock.consent = "approve";
  mock.currentUser = OTHER_USER;
  const token = await userToken(mock);
  const res = await validate(mock, token.access_token as string);
  const info = await readJson(res);
  assertEquals(info.login, "twitch");
  assertEquals(info.user_id, "12826");
});

// ---------------------------------------------------------------------------
// /oauth2/token: authorization_code
// ---------------------------------------------------------------------------

Deno.test("code exchange: Twitch's response shape; codes are single-use", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const code = await getCode(mock);
  assertMatch(code, /^[a-z0-9]{30}$/);
  const res = await exchange(mock, code);
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("content-type"), "application/json");
  const body = await readJson(res);
  assertEquals(Object.keys(body), USER_TOKEN_FIELDS);
  assertMatch(body.access_token as string, /^[a-z0-9]{30}$/);
  assertMatch(body.refresh_token as string, /^[a-z0-9]{50}$/);
  assertEquals(body.expires_in, 14400);
  assertEquals(body.scope, ["user:read:email", "chat:read"]);
  assertEquals(body.token_type, "bearer");

  const again = await exchange(mock, code);
  assertEquals(again.status, 400);
  assertEquals(await readJson(again), {
    status: 400,
    message: "Invalid authorization code",
  });
});

Deno.test("code exchange: the documented errors", async () => {
  await using mock = await startMockTwitch({
    consent: "approve",
    clients: [
      {
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        redirectUris: [REDIRECT, "http://localhost:9999"],
      },
      SECOND_CLIENT,
    ],
  });
  const code = await getCode(mock);
  const cases: [Record<string, string>, number, Record<string, unknown>][] = [
    [{ code: "nope" }, 400, {
      status: 400,
      message: "Invalid authorization code",
    }],
    [{ client_secret: "wrong" }, 403, {
      status: 403,
      message: "invalid client secret",
    }],
    [{ client_id: "unknown" }, 400, { status: 400, message: "invalid client" }],
    [{ redirect_uri: "http://localhost:9999" }, 400, {
      status: 400,
      message: "Parameter redirect_uri does not match registered URI",
    }],
    [{ redirect_uri: "http://elsewhere" }, 400, {
      status: 400,
      message: "Parameter redirect_uri does not match registered URI",
    }],
    // A code is bound to its client.
    [
      {
        client_id: SECOND_CLIENT.clientId,
        client_secret: SECOND_CLIENT.clientSecret!,
        redirect_uri: SECOND_CLIENT.redirectUris[0],
      },
      400,
      { status: 400, message: "Invalid authorization code" },
    ],
  ];
  for (const [extra, status, expected] of cases) {
    const res = await exchange(mock, code, extra);
    assertEquals(res.status, status, JSON.stringify(extra));
    assertEquals(await readJson(res), expected);
  }
  // None of the failures used the code up.
  const ok = await exchange(mock, code);
  assertEquals(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("code exchange: codes expire after 10 minutes", async () => {
  let clock = Date.now();
  await using mock = await startMockTwitch({
    consent: "approve",
    now: () => clock,
  });
  const code = await getCode(mock);
  clock += 10 * 60 * 1000 + 1;
  const res = await exchange(mock, code);
  assertEquals(res.status, 400);
  assertEquals(await readJson(res), {
    status: 400,
    message: "Invalid authorization code",
  });
});

Deno.test("code exchange with openid: an RS256 ID token that the JWKS verifies", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const body = await userToken(mock, "openid user:read:email");
  // The nonce of the authorize request ends up in the ID token.
  const code = await getCode(mock, { scope: "openid", nonce: "n-0S6" });
  const withNonce = await readJson(await exchange(mock, code));
  for (
    const [idToken, nonce] of [[body.id_token, undefined], [
      withNonce.id_token,
      "n-0S6",
    ]]
  ) {
    assertEquals(typeof idToken, "string");
    const [header, payload, signature] = (idToken as string).split(".");
    const { keys } = await (await fetch(`${mock.authBaseUrl}/keys`)).json();
    const jwtHeader = JSON.parse(
      new TextDecoder().decode(base64UrlDecode(header)),
    );
    assertEquals(jwtHeader.alg, "RS256");
    const jwk = keys.find((k: { kid: string }) => k.kid === jwtHeader.kid);
    assertExists(jwk);
    const key = await crypto.subtle.importKey(
      "jwk",
      jwk,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      [
        "verify",
      ],
    );
    const valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      base64UrlDecode(signature),
      new TextEncoder().encode(`${header}.${payload}`),
    );
    assert(valid, "bad ID token signature");
    const claims = JSON.parse(
      new TextDecoder().decode(base64UrlDecode(payload)),
    );
    assertEquals(claims.iss, "https://id.twitch.tv/oauth2");
    assertEquals(claims.aud, DEMO_CLIENT_ID);
    assertEquals(claims.sub, DEMO_USER.id);
    assertEquals(claims.nonce, nonce);
  }
});

// ---------------------------------------------------------------------------
// /oauth2/token: refresh_token, client_credentials, unknown grants
// ---------------------------------------------------------------------------

function refresh(
  mock: MockTwitch,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return postForm(`${mock.authBaseUrl}/token`, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: mock.clientId,
    client_secret: mock.clientSecret,
    ...extra,
  });
}

Deno.test("refresh (confidential): same refresh token, new access token, old one invalid", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const first = await userToken(mock);
  const res = await refresh(mock, first.refresh_token as string);
  assertEquals(res.status, 200);
  const second = await readJson(res);
  assertEquals(Object.keys(second), USER_TOKEN_FIELDS);
  assertEquals(second.refresh_token, first.refresh_token);
  assertNotEquals(second.access_token, first.access_token);
  assertEquals(second.scope, ["user:read:email", "chat:read"]);
  assertEquals(await validateStatus(mock, first.access_token as string), 401);
  assertEquals(await validateStatus(mock, second.access_token as string), 200);
  // The refresh token still works.
  const third = await refresh(mock, first.refresh_token as string);
  assertEquals(third.status, 200);
  await third.body?.cancel();
});

Deno.test("refresh: the documented errors", async () => {
  await using mock = await startMockTwitch();
  const { refreshToken } = mock.issueUserToken({ scopes: ["chat:read"] });
  const bad = await refresh(mock, "x".repeat(50));
  assertEquals(bad.status, 400);
  assertEquals(await readJson(bad), {
    error: "Bad Request",
    status: 400,
    message: "Invalid refresh token",
  });
  const wrongSecret = await refresh(mock, refreshToken, {
    client_secret: "wrong",
  });
  assertEquals(wrongSecret.status, 403);
  assertEquals(await readJson(wrongSecret), {
    status: 403,
    message: "invalid client secret",
  });
  const unknownClient = await refresh(mock, refreshToken, {
    client_id: "nobody",
  });
  assertEquals(unknownClient.status, 400);
  assertEquals(await readJson(unknownClient), {
    status: 400,
    message: "invalid client",
  });
});

Deno.test("refresh (public client): no secret, refresh tokens are single-use", async () => {
  await using mock = await startMockTwitch({ clients: [PUBLIC_CLIENT] });
  assertEquals(mock.clientSecret, "");
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const params = {
    grant_type: "refresh_token",
    client_id: PUBLIC_CLIENT.clientId,
  };
  const res = await postForm(`${mock.authBaseUrl}/token`, {
    ...params,
    refresh_token: issued.refreshToken,
  });
  assertEquals(res.status, 200);
  const body = await readJson(res);
  assertMatch(body.refresh_token as string, /^[a-z0-9]{50}$/);
  assertNotEquals(body.refresh_token, issued.refreshToken);
  assertEquals(await validateStatus(mock, issued.accessToken), 401);

  const reused = await postForm(`${mock.authBaseUrl}/token`, {
    ...params,
    refresh_token: issued.refreshToken,
  });
  assertEquals(reused.status, 400);
  assertEquals(await readJson(reused), {
    error: "Bad Request",
    status: 400,
    message: "Invalid refresh token",
  });

  const next = await postForm(`${mock.authBaseUrl}/token`, {
    ...params,
    refresh_token: body.refresh_token as string,
  });
  assertEquals(next.status, 200);
  await next.body?.cancel();
});

Deno.test("client_credentials: an app token without refresh token", async () => {
  const clock = Date.now();
  await using mock = await startMockTwitch({
    accessTokenLifetime: 5_000_000,
    now: () => clock,
  });
  const res = await postForm(`${mock.authBaseUrl}/token`, {
    client_id: mock.clientId,
    client_secret: mock.clientSecret,
    grant_type: "client_credentials",
  });
  assertEquals(res.status, 200);
  const body = await readJson(res);
  assertEquals(Object.keys(body), ["access_token", "expires_in", "token_type"]);
  assertMatch(body.access_token as string, /^[a-z0-9]{30}$/);
  assertEquals(body.expires_in, 5_000_000);
  assertEquals(body.token_type, "bearer");

  const info = await readJson(
    await validate(mock, body.access_token as string),
  );
  assertEquals(info, {
    client_id: DEMO_CLIENT_ID,
    scopes: [],
    expires_in: 5_000_000,
  });

  const wrong = await postForm(`${mock.authBaseUrl}/token`, {
    client_id: mock.clientId,
    client_secret: "nope",
    grant_type: "client_credentials",
  });
  assertEquals(wrong.status, 403);
  assertEquals(await readJson(wrong), {
    status: 403,
    message: "invalid client secret",
  });
});

Deno.test("token: missing or unknown grant_type -> 400 in Twitch's shape", async () => {
  await using mock = await startMockTwitch();
  for (const grant of [undefined, "password"]) {
    const params: Record<string, string> = {
      client_id: mock.clientId,
      client_secret: mock.clientSecret,
    };
    if (grant) params.grant_type = grant;
    const res = await postForm(`${mock.authBaseUrl}/token`, params);
    assertEquals(res.status, 400);
    const body = await readJson(res);
    assertEquals(Object.keys(body), ["status", "message"]);
    assertEquals(body.status, 400);
  }
});

Deno.test("token: parameters in the query string work and are recorded apart from the form", async () => {
  await using mock = await startMockTwitch();
  const query = new URLSearchParams({
    client_id: mock.clientId,
    client_secret: mock.clientSecret,
    grant_type: "client_credentials",
  });
  const res = await fetch(`${mock.authBaseUrl}/token?${query}`, {
    method: "POST",
  });
  assertEquals(res.status, 200);
  await res.body?.cancel();
  const viaForm = await postForm(
    `${mock.authBaseUrl}/token`,
    Object.fromEntries(query),
  );
  assertEquals(viaForm.status, 200);
  await viaForm.body?.cancel();

  const [inQuery, inForm] = mock.requests;
  assertEquals(inQuery.query.get("client_secret"), DEMO_CLIENT_SECRET);
  assertEquals(inQuery.form, undefined);
  assertFalse(inForm.query.has("client_secret"));
  assertEquals(inForm.form?.get("client_secret"), DEMO_CLIENT_SECRET);
  assertEquals(mock.countRequests({ grantType: "client_credentials" }), 2);
});

// ---------------------------------------------------------------------------
// validate, revoke, userinfo, discovery
// ---------------------------------------------------------------------------

Deno.test("validate: OAuth scheme only; expired tokens are invalid", async () => {
  let clock = Date.now();
  await using mock = await startMockTwitch({ now: () => clock });
  const { accessToken } = mock.issueUserToken({
    scopes: ["chat:read", "chat:edit"],
  });
  const ok = await validate(mock, accessToken);
  assertEquals(ok.status, 200);
  assertEquals(await readJson(ok), {
    client_id: DEMO_CLIENT_ID,
    login: "twitchdev",
    scopes: ["chat:read", "chat:edit"],
    user_id: "141981764",
    expires_in: 14400,
  });
  clock += 100_000;
  assertEquals(
    (await readJson(await validate(mock, accessToken))).expires_in,
    14300,
  );

  const invalid = { status: 401, message: "invalid access token" };
  const bearer = await validate(mock, accessToken, "Bearer");
  assertEquals(bearer.status, 401);
  assertEquals(await readJson(bearer), invalid);
  const missing = await fetch(`${mock.authBaseUrl}/validate`);
  assertEquals(missing.status, 401);
  assertEquals(await readJson(missing), invalid);
  const unknown = await validate(mock, "a".repeat(30));
  assertEquals(await readJson(unknown), invalid);

  mock.expireAccessToken(accessToken);
  const expired = await validate(mock, accessToken);
  assertEquals(expired.status, 401);
  assertEquals(await readJson(expired), invalid);

  clock += 14400 * 1000;
  const { accessToken: short } = mock.issueUserToken({ expiresIn: 10 });
  assertEquals(await validateStatus(mock, short), 200);
  clock += 10_000;
  assertEquals(await validateStatus(mock, short), 401);
});

Deno.test("revoke: access and refresh tokens; the documented errors", async () => {
  await using mock = await startMockTwitch();
  const revoke = (token: string, clientId = mock.clientId) =>
    postForm(`${mock.authBaseUrl}/revoke`, { client_id: clientId, token });

  const first = mock.issueUserToken();
  const res = await revoke(first.accessToken);
  assertEquals(res.status, 200);
  assertEquals(await res.text(), "");
  assertEquals(await validateStatus(mock, first.accessToken), 401);
  const twice = await revoke(first.accessToken);
  assertEquals(twice.status, 400);
  assertEquals(await readJson(twice), {
    status: 400,
    message: "Invalid token",
  });

  const second = mock.issueUserToken();
  const byRefresh = await revoke(second.refreshToken);
  assertEquals(byRefresh.status, 200);
  await byRefresh.body?.cancel();
  assertEquals(await validateStatus(mock, second.accessToken), 401);
  const refreshed = await refresh(mock, second.refreshToken);
  assertEquals(refreshed.status, 400);
  await refreshed.body?.cancel();

  const unknown = await revoke("z".repeat(30));
  assertEquals(unknown.status, 400);
  assertEquals(await readJson(unknown), {
    status: 400,
    message: "Invalid token",
  });
  const noClient = await revoke(
    mock.issueUserToken().accessToken,
    "nosuchclient",
  );
  assertEquals(noClient.status, 404);
  assertEquals(await readJson(noClient), {
    status: 404,
    message: "client does not exist",
  });
});

Deno.test("userinfo: needs Bearer and the openid scope; email with user:read:email", async () => {
  await using mock = await startMockTwitch();
  const get = (token: string, scheme = "Bearer") =>
    fetch(`${mock.authBaseUrl}/userinfo`, {
      headers: { Authorization: `${scheme} ${token}` },
    });

  const full = mock.issueUserToken({ scopes: ["openid", "user:read:email"] });
  const res = await get(full.accessToken);
  assertEquals(res.status, 200);
  const claims = await readJson(res);
  const now = Math.floor(Date.now() / 1000);
  assertEquals(claims.aud, DEMO_CLIENT_ID);
  assertEquals(claims.iss, "https://id.twitch.tv/oauth2");
  assertEquals(claims.sub, "141981764");
  assertEquals(claims.preferred_username, "TwitchDev");
  assertEquals(claims.email, "twitchdev@example.com");
  assertEquals(claims.email_verified, true);
  assert(Math.abs((claims.iat as number) - now) <= 2);
  assert(Math.abs((claims.exp as number) - (now + 14400)) <= 2);

  const noEmail = await readJson(
    await get(mock.issueUserToken({ scopes: ["openid"] }).accessToken),
  );
  assertFalse("email" in noEmail);
  assertFalse("email_verified" in noEmail);

  for (
    const res of [
      await get(
        mock.issueUserToken({ scopes: ["user:read:email"] }).accessToken,
      ),
      await get(full.accessToken, "OAuth"),
      await get("q".repeat(30)),
    ]
  ) {
    assertEquals(res.status, 401);
    const body = await readJson(res);
    assertEquals(Object.keys(body), ["status", "message"]);
    assertEquals(body.status, 401);
  }
});

Deno.test("preferred_username is the display name in both the ID token and userinfo", async () => {
  // Twitch documents the claim as "the user's display name", which may differ
  // from the login by more than case.
  const user: MockUser = {
    id: "139470326",
    login: "handongsuk",
    displayName: "\uD55C\uB3D9\uC219",
  };
  await using mock = await startMockTwitch({
    consent: "approve",
    users: [user],
  });
  const body = await userToken(mock, "openid");
  const payload = (body.id_token as string).split(".")[1];
  const idClaims = JSON.parse(
    new TextDecoder().decode(base64UrlDecode(payload)),
  );
  const res = await fetch(`${mock.authBaseUrl}/userinfo`, {
    headers: { Authorization: `Bearer ${body.access_token}` },
  });
  const userinfo = await readJson(res);
  assertEquals(idClaims.sub, user.id);
  assertEquals(userinfo.sub, user.id);
  assertEquals(idClaims.preferred_username, user.displayName);
  assertEquals(userinfo.preferred_username, user.displayName);
});

Deno.test("discovery document: plausible, no PKCE", async () => {
  await using mock = await startMockTwitch();
  const res = await fetch(
    `${mock.authBaseUrl}/.well-known/openid-configuration`,
  );
  assertEquals(res.status, 200);
  const doc = await readJson(res);
  assertEquals(doc.issuer, "https://id.twitch.tv/oauth2");
  assertEquals(doc.authorization_endpoint, `${mock.authBaseUrl}/authorize`);
  assertEquals(doc.token_endpoint, `${mock.authBaseUrl}/token`);
  assertEquals(doc.userinfo_endpoint, `${mock.authBaseUrl}/userinfo`);
  assertEquals(doc.jwks_uri, `${mock.authBaseUrl}/keys`);
  assert((doc.response_types_supported as string[]).includes("code"));
  assertEquals(doc.scopes_supported, ["openid"]);
  assert((doc.claims_supported as string[]).includes("preferred_username"));
  assertFalse("code_challenge_methods_supported" in doc);
});

// ---------------------------------------------------------------------------
// Helix
// ---------------------------------------------------------------------------

Deno.test("helix users: the token's user, lookups, email only with the scope, rate-limit headers", async () => {
  await using mock = await startMockTwitch({ users: [DEMO_USER, OTHER_USER] });
  const users = (token: string, query = "", clientId = mock.clientId) =>
    fetch(`${mock.helixBaseUrl}/users${query}`, {
      headers: { "Client-Id": clientId, Authorization: `Bearer ${token}` },
    });

  const withEmail = mock.issueUserToken({ scopes: ["user:read:email"] });
  const res = await users(withEmail.accessToken);
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("ratelimit-limit"), "800");
  assertEquals(res.headers.get("ratelimit-remaining"), "799");
  const reset = Number(res.headers.get("ratelimit-reset"));
  const now = Date.now() / 1000;
  assert(
    reset > now && reset <= now + 61,
    `Ratelimit-Reset ${reset} is not epoch seconds`,
  );
  const { data } = await readJson(res) as { data: Record<string, unknown>[] };
  assertEquals(data.length, 1);
  assertEquals(data[0].id, "141981764");
  assertEquals(data[0].login, "twitchdev");
  assertEquals(data[0].display_name, "TwitchDev");
  assertEquals(data[0].type, "");
  assertEquals(data[0].broadcaster_type, "");
  assertEquals(data[0].view_count, 0);
  assertEquals(data[0].email, "twitchdev@example.com");
  for (
    const key of [
      "description",
      "profile_image_url",
      "offline_image_url",
      "created_at",
    ]
  ) {
    assertEquals(typeof data[0][key], "string", key);
  }

  const plain = mock.issueUserToken();
  const own = (await readJson(await users(plain.accessToken))) as {
    data: Record<string, unknown>[];
  };
  assertFalse("email" in own.data[0]);

  const lookup = await users(
    plain.accessToken,
    "?login=TWITCH&id=141981764&login=nobody",
  );
  const found = (await readJson(lookup)) as { data: { login: string }[] };
  assertEquals(found.data.map((u) => u.login).sort(), ["twitch", "twitchdev"]);
  assertEquals(lookup.headers.get("ratelimit-remaining"), "797");
});

Deno.test("helix users: Client-Id mismatch and invalid tokens -> 401 in Helix's shape", async () => {
  await using mock = await startMockTwitch({
    clients: [
      {
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        redirectUris: [REDIRECT],
      },
      SECOND_CLIENT,
    ],
  });
  const { accessToken } = mock.issueUserToken();
  const mismatch = await fetch(`${mock.helixBaseUrl}/users`, {
    headers: {
      "Client-Id": SECOND_CLIENT.clientId,
      Authorization: `Bearer ${accessToken}`,
    },
  });
  await assertHelixUnauthorized(
    mismatch,
    "Client ID and OAuth token do not match",
  );

  mock.expireAccessToken(accessToken);
  const expired = await fetch(`${mock.helixBaseUrl}/users`, {
    headers: {
      "Client-Id": mock.clientId,
      Authorization: `Bearer ${accessToken}`,
    },
  });
  await assertHelixUnauthorized(expired, "Invalid OAuth token");

  const oauthScheme = await fetch(`${mock.helixBaseUrl}/users`, {
    headers: {
      "Client-Id": mock.clientId,
      Authorization: `OAuth ${mock.issueUserToken().accessToken}`,
    },
  });
  assertEquals(oauthScheme.status, 401);
  assertEquals((await readJson(oauthScheme)).error, "Unauthorized");
});

// ---------------------------------------------------------------------------
// Device code flow
// ---------------------------------------------------------------------------

Deno.test("device flow: start, pending, slow_down, approve, then the code is used up", async () => {
  await using mock = await startMockTwitch({ deviceInterval: 1 });
  const start = await startDevice(mock);
  assertEquals(Object.keys(start).sort(), [
    "device_code",
    "expires_in",
    "interval",
    "user_code",
    "verification_uri",
  ]);
  assertEquals(start.expires_in, 1800);
  assertEquals(start.interval, 1);
  assertMatch(start.user_code as string, /^[A-Z]{8}$/);
  assertEquals(
    start.verification_uri,
    `${mock.url}/activate?device-code=${start.user_code}`,
  );
  const deviceCode = start.device_code as string;

  const pending = await pollDevice(mock, deviceCode);
  assertEquals(pending.status, 400);
  assertEquals(await readJson(pending), {
    status: 400,
    message: "authorization_pending",
  });
  const tooFast = await pollDevice(mock, deviceCode);
  assertEquals(tooFast.status, 400);
  assertEquals(await readJson(tooFast), { status: 400, message: "slow_down" });

  mock.approveDevice(start.user_code as string, OTHER_USER);
  const ok = await pollDevice(mock, deviceCode);
  assertEquals(ok.status, 200);
  const token = await readJson(ok);
  assertEquals(Object.keys(token), USER_TOKEN_FIELDS);
  assertEquals(token.scope, ["chat:read"]);
  assertEquals(
    (await readJson(await validate(mock, token.access_token as string))).login,
    "twitch",
  );

  const used = await pollDevice(mock, deviceCode);
  assertEquals(used.status, 400);
  assertEquals(await readJson(used), {
    status: 400,
    message: "invalid device code",
  });
});

Deno.test("device flow: denial, unknown and expired device codes", async () => {
  let clock = Date.now();
  await using mock = await startMockTwitch({
    deviceInterval: 0,
    now: () => clock,
  });
  const denied = await startDevice(mock);
  mock.denyDevice(denied.user_code as string);
  const res = await pollDevice(mock, denied.device_code as string);
  assertEquals(res.status, 400);
  assertEquals(await readJson(res), { status: 400, message: "access_denied" });

  const unknown = await pollDevice(mock, "nosuchdevicecode");
  assertEquals(await readJson(unknown), {
    status: 400,
    message: "invalid device code",
  });

  const late = await startDevice(mock);
  const pending = await pollDevice(mock, late.device_code as string);
  assertEquals((await readJson(pending)).message, "authorization_pending");
  clock += 1800 * 1000;
  const expired = await pollDevice(mock, late.device_code as string);
  assertEquals(await readJson(expired), {
    status: 400,
    message: "invalid device code",
  });
});

Deno.test("device flow: the activation page approves (public client)", async () => {
  await using mock = await startMockTwitch({
    deviceInterval: 0,
    clients: [PUBLIC_CLIENT],
  });
  const start = await startDevice(mock, "chat:read chat:edit");
  const page = await fetch(start.verification_uri as string);
  assertEquals(page.status, 200);
  const html = await page.text();
  assertStringIncludes(html, start.user_code as string);
  assertStringIncludes(html, "chat:edit");
  assertStringIncludes(html, "Authorize");
  const answer = await submitPage(`${mock.url}/activate`, html, "authorize");
  assertEquals(answer.status, 200);
  assertStringIncludes(await answer.text(), "connected");

  const ok = await pollDevice(mock, start.device_code as string);
  assertEquals(ok.status, 200);
  assertEquals((await readJson(ok)).scope, ["chat:read", "chat:edit"]);

  const unknown = await fetch(`${mock.url}/activate?device-code=ZZZZZZZZ`);
  assertEquals(unknown.status, 400);
  assertStringIncludes(await unknown.text(), "invalid");
});

Deno.test("device flow: Cancel on the activation page denies", async () => {
  await using mock = await startMockTwitch({ deviceInterval: 0 });
  const start = await startDevice(mock);
  const html = await (await fetch(start.verification_uri as string)).text();
  const answer = await submitPage(`${mock.url}/activate`, html, "cancel");
  assertEquals(answer.status, 200);
  await answer.body?.cancel();
  assertEquals(
    await readJson(await pollDevice(mock, start.device_code as string)),
    {
      status: 400,
      message: "access_denied",
    },
  );
});

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

Deno.test("faults: status, headers and default body, for `times` matching requests", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({
    path: "/oauth2/validate",
    status: 503,
    headers: { "Retry-After": "1" },
    times: 2,
  });
  const { accessToken } = mock.issueUserToken();

  // Another path is not affected.
  const other = await fetch(
    `${mock.authBaseUrl}/.well-known/openid-configuration`,
  );
  assertEquals(other.status, 200);
  await other.body?.cancel();

  for (let i = 0; i < 2; i++) {
    const res = await validate(mock, accessToken);
    assertEquals(res.status, 503);
    assertEquals(res.headers.get("retry-after"), "1");
    assertEquals(await readJson(res), {
      error: "Service Unavailable",
      status: 503,
      message: "injected fault",
    });
  }
  assertEquals(await validateStatus(mock, accessToken), 200);
  assertEquals(mock.countRequests({ pathname: "/oauth2/validate" }), 3);
});

Deno.test("faults: a malformed body is sent as is", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/token", status: 200, body: "{not json" });
  const res = await postForm(`${mock.authBaseUrl}/token`, {
    client_id: mock.clientId,
    client_secret: mock.clientSecret,
    grant_type: "client_credentials",
  });
  assertEquals(res.status, 200);
  assertEquals(await res.text(), "{not json");
});

Deno.test("faults: a fault with only a delay waits, then answers normally", async () => {
  await using mock = await startMockTwitch();
  mock.injectFault({ delay: 150, headers: { "X-Injected": "yes" } });
  const started = performance.now();
  const res = await fetch(
    `${mock.authBaseUrl}/.well-known/openid-configuration`,
  );
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("x-injected"), "yes");
  assertEquals((await readJson(res)).issuer, "https://id.twitch.tv/oauth2");
  assert(performance.now() - started >= 140, "the delay was not applied");
});

Deno.test("faults: close() cancels a pending delay at once and leaves nothing behind", async () => {
  const mock = await startMockTwitch();
  mock.injectFault({ path: "/oauth2/token", status: 500, delay: 60_000 });
  const pending = postForm(`${mock.authBaseUrl}/token`, {
    grant_type: "client_credentials",
  })
    .then(
      async (res) => ({ status: res.status, body: await res.text() }),
      (error: unknown) => ({ error }),
    );
  while (mock.requests.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const started = performance.now();
  await mock.close();
  const outcome = await pending;
  assert(performance.now() - started < 5_000, "close() waited for the delay");
  // The delayed request is answered 503 at once, not after 60 s.
  if (!("status" in outcome)) {
    throw new Error(`the delayed request failed: ${String(outcome.error)}`);
  }
  assertEquals(outcome.status, 503);
});

Deno.test("faults: the client giving up cancels the delay", async () => {
  const mock = createMockTwitchHandler();
  mock.injectFault({ delay: 60_000 });
  const controller = new AbortController();
  const started = performance.now();
  const pending = mock.fetch(
    new Request("http://mock.test/oauth2/validate", {
      signal: controller.signal,
    }),
  );
  setTimeout(() => controller.abort(), 20);
  const res = await pending;
  assertEquals(res.status, 503);
  await res.body?.cancel();
  assert(performance.now() - started < 2_000, "the delay ran on");
});

// ---------------------------------------------------------------------------
// Request log and the bare handler
// ---------------------------------------------------------------------------

Deno.test("requests: every request recorded in order with method, query, form and headers", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const token = await userToken(mock);
  const refreshed = await refresh(mock, token.refresh_token as string);
  await refreshed.body?.cancel();
  const validated = await validate(mock, token.access_token as string);
  await validated.body?.cancel();

  assertEquals(
    mock.requests.map((r) => `${r.method} ${r.pathname}`),
    [
      "GET /oauth2/authorize",
      "POST /oauth2/token",
      "POST /oauth2/token",
      "GET /oauth2/validate",
    ],
  );
  assertEquals(mock.requests[0].query.get("state"), "st4te");
  assertEquals(mock.requests[1].form?.get("grant_type"), "authorization_code");
  assertEquals(
    mock.requests[3].headers.get("authorization"),
    `OAuth ${token.access_token}`,
  );
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals(mock.countRequests({ pathname: "/oauth2/token" }), 2);
  assertEquals(
    mock.countRequests({
      pathname: "/oauth2/token",
      grantType: "authorization_code",
    }),
    1,
  );
  assertEquals(mock.countRequests({}), 4);
  // No secret ever went into a URL.
  assertFalse(mock.requests.some((r) => r.query.has("client_secret")));
});

Deno.test("createMockTwitchHandler: the handler works without a server and uses the request's origin", async () => {
  const mock = createMockTwitchHandler({ deviceInterval: 0 });
  const { accessToken } = mock.issueUserToken({ scopes: ["chat:read"] });
  const res = await mock.fetch(
    new Request("http://mock.test/oauth2/validate", {
      headers: { Authorization: `OAuth ${accessToken}` },
    }),
  );
  assertEquals(res.status, 200);
  assertEquals((await res.json()).scopes, ["chat:read"]);

  const device = await mock.fetch(
    new Request("http://mock.test/oauth2/device", {
      method: "POST",
      body: new URLSearchParams({ client_id: DEMO_CLIENT_ID, scopes: "" }),
    }),
  );
  const body = await device.json();
  assertEquals(
    body.verification_uri,
    `http://mock.test/activate?device-code=${body.user_code}`,
  );
  assertEquals(mock.requests.length, 2);
});

Deno.test("createMockTwitchHandler's module bundles for the browser with no Deno API in it", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const out = `${dir}/mock_handler.js`;
  await bundle("src/testing/mock_handler.ts", out);
  const text = await Deno.readTextFile(out);
  assertStringIncludes(text, "/oauth2/authorize");
  assertEquals(text.match(/\bDeno\s*[.[]/g), null, "the bundle uses Deno");
});

Deno.test("issueUserToken and approveDevice reject unknown clients and codes", () => {
  const mock = createMockTwitchHandler();
  let threw = 0;
  for (
    const fn of [
      () => mock.issueUserToken({ clientId: "nope" }),
      () => mock.approveDevice("NOPENOPE"),
      () => mock.denyDevice("NOPENOPE"),
      () => mock.expireAccessToken("nope"),
      () => {
        mock.consent = "maybe" as "page";
      },
    ]
  ) {
    try {
      fn();
    } catch {
      threw++;
    }
  }
  assertEquals(threw, 5);
});
