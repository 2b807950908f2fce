// Self-test of the strict fake (tests/_strict_fake_twitch.ts): real fetch,
// default sanitizers, every body consumed.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { startStrictFake } from "./_strict_fake_twitch.ts";
import { USER_TOKEN_FIELDS } from "./_util.ts";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function post(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: FORM,
    body: new URLSearchParams(fields),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? "" : JSON.parse(text) };
}

async function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

Deno.test("strict fake: a correct client causes no violations", async () => {
  await using fake = await startStrictFake({ deviceInterval: 1 });
  const token = `${fake.authBaseUrl}/token`;

  // Authorize: scope as one %20-separated string, long state.
  const state = "0123456789abcdef0123";
  const auth = new URL(`${fake.authBaseUrl}/authorize`);
  auth.search = `response_type=code&client_id=${fake.clientId}&redirect_uri=${
    encodeURIComponent(fake.redirectUri)
  }&scope=openid%20user%3Aread%3Aemail&state=${state}&force_verify=true`;
  const redirect = await fetch(auth, { redirect: "manual" });
  await redirect.body?.cancel();
  assertEquals(redirect.status, 302);
  assertEquals(fake.authorizeUrlSeen?.href, auth.href);
  const location = redirect.headers.get("location")!;
  assert(location.startsWith(`${fake.redirectUri}?code=`), location);
  assertMatch(location, /&scope=openid%20user%3Aread%3Aemail&state=0123/);
  const code = new URL(location).searchParams.get("code")!;
  assertMatch(code, /^[a-z0-9]{30}$/);

  // Code exchange.
  const exchanged = await post(token, {
    client_id: fake.clientId,
    client_secret: fake.clientSecret,
    code,
    grant_type: "authorization_code",
    redirect_uri: fake.redirectUri,
  });
  assertEquals(exchanged.status, 200);
  const tokens = exchanged.body as Record<string, unknown>;
  assertEquals(Object.keys(tokens), USER_TOKEN_FIELDS);
  assertMatch(tokens.access_token as string, /^[a-z0-9]{30}$/);
  assertMatch(tokens.refresh_token as string, /^[a-z0-9]{50}$/);
  assertEquals(tokens.scope, ["openid", "user:read:email"]);
  assertEquals(tokens.token_type, "bearer");

  // Validate, userinfo, helix.
  const validated = await get(`${fake.authBaseUrl}/validate`, {
    authorization: `OAuth ${tokens.access_token}`,
  });
  assertEquals(validated, {
    status: 200,
    body: {
      client_id: fake.clientId,
      login: fake.login,
      scopes: ["openid", "user:read:email"],
      user_id: fake.userId,
      expires_in: 14400,
    },
  });
  const info = await get(`${fake.authBaseUrl}/userinfo`, {
    authorization: `Bearer ${tokens.access_token}`,
  });
  assertEquals(info.status, 200);
  assertEquals((info.body as { sub: string }).sub, fake.userId);
  const users = await get(`${fake.helixBaseUrl}/users`, {
    authorization: `Bearer ${tokens.access_token}`,
    "client-id": fake.clientId,
  });
  assertEquals(users.status, 200);
  assertEquals(
    (users.body as { data: { login: string }[] }).data[0].login,
    "twitchdev",
  );

  // Refresh rotates the refresh token.
  const refreshed = await post(token, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token as string,
    client_id: fake.clientId,
    client_secret: fake.clientSecret,
  });
  assertEquals(refreshed.status, 200);
  const fresh = refreshed.body as Record<string, string>;
  assert(fresh.refresh_token !== tokens.refresh_token);

  // App token.
  const app = await post(token, {
    client_id: fake.clientId,
    client_secret: fake.clientSecret,
    grant_type: "client_credentials",
  });
  assertEquals(app.status, 200);
  assertEquals(Object.keys(app.body as object), [
    "access_token",
    "expires_in",
    "token_type",
  ]);

  // Revoke, then the token is dead.
  assertEquals(
    await post(`${fake.authBaseUrl}/revoke`, {
      client_id: fake.clientId,
      token: fresh.access_token,
    }),
    { status: 200, body: "" },
  );
  assertEquals(
    await get(`${fake.authBaseUrl}/validate`, {
      authorization: `OAuth ${fresh.access_token}`,
    }),
    { status: 401, body: { status: 401, message: "invalid access token" } },
  );

  // Ordinary error paths answer as Twitch and are not violations.
  assertEquals(
    await post(token, {
      client_id: fake.clientId,
      client_secret: "wrong",
      grant_type: "client_credentials",
    }),
    { status: 403, body: { status: 403, message: "invalid client secret" } },
  );
  assertEquals(
    await post(token, {
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      code: "nosuchcode",
      grant_type: "authorization_code",
      redirect_uri: fake.redirectUri,
    }),
    {
      status: 400,
      body: { status: 400, message: "Invalid authorization code" },
    },
  );

  // Device flow, public client, honouring `interval`.
  const started = await post(`${fake.authBaseUrl}/device`, {
    client_id: fake.clientId,
    scopes: "chat:read chat:edit",
  });
  assertEquals(started.status, 200);
  const dev = started.body as { device_code: string; interval: number };
  assertEquals(dev.interval, 1);
  const poll = {
    client_id: fake.clientId,
    scopes: "chat:read chat:edit",
    device_code: dev.device_code,
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
  };
  assertEquals(await post(token, poll), {
    status: 400,
    body: { status: 400, message: "authorization_pending" },
  });
  await new Promise((r) => setTimeout(r, dev.interval * 1000));
  const polled = await post(token, poll);
  assertEquals(polled.status, 200);
  assertEquals((polled.body as { scope: string[] }).scope, [
    "chat:read",
    "chat:edit",
  ]);

  assertEquals(fake.violations, []);
});

Deno.test("strict fake: a client secret in the query string is a violation", async () => {
  await using fake = await startStrictFake();
  const url = new URL(`${fake.authBaseUrl}/token`);
  url.search = new URLSearchParams({
    client_id: fake.clientId,
    client_secret: fake.clientSecret,
    grant_type: "client_credentials",
  }).toString();
  const res = await fetch(url, { method: "POST" });
  assertEquals(res.status, 400);
  await res.body?.cancel();
  assertEquals(fake.violations.length, 2, fake.violations.join("\n"));
  assertMatch(fake.violations[0], /query string.*client_secret/);
  assertMatch(fake.violations[1], /no Content-Type/);
});

Deno.test("strict fake: a JSON body is a violation", async () => {
  await using fake = await startStrictFake();
  const res = await fetch(`${fake.authBaseUrl}/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      grant_type: "client_credentials",
    }),
  });
  assertEquals(res.status, 400);
  await res.json();
  assertEquals(fake.violations.length, 2, fake.violations.join("\n"));
  assertMatch(fake.violations[0], /Content-Type is "application\/json"/);
  assertMatch(fake.violations[1], /JSON body/);
});

Deno.test("strict fake: Bearer on /validate is a violation", async () => {
  await using fake = await startStrictFake();
  const { accessToken } = fake.mintUserToken(["chat:read"]);
  assertEquals(
    await get(`${fake.authBaseUrl}/validate`, {
      authorization: `Bearer ${accessToken}`,
    }),
    { status: 401, body: { status: 401, message: "invalid access token" } },
  );
  assertEquals(fake.violations.length, 1);
  assertMatch(
    fake.violations[0],
    /"Bearer …", expected exactly "OAuth <token>"/,
  );
});

Deno.test("strict fake: other mistakes are violations too", async () => {
  await using fake = await startStrictFake({ deviceInterval: 5 });
  const token = `${fake.authBaseUrl}/token`;

  // Comma-separated and repeated scopes, short state.
  const res = await fetch(
    `${fake.authBaseUrl}/authorize?response_type=code&client_id=${fake.clientId}&redirect_uri=${
      encodeURIComponent(fake.redirectUri)
    }&scope=chat:read,chat:edit&scope=openid&state=short`,
    { redirect: "manual" },
  );
  await res.body?.cancel();
  assertEquals(res.status, 302);
  assertEquals(
    new URL(res.headers.get("location")!).searchParams.get("error"),
    "invalid_scope",
  );
  assertEquals(fake.violations.length, 3, fake.violations.join("\n"));
  fake.violations.length = 0;

  // `scope` on a refresh; reusing a rotated-out refresh token.
  const pair = fake.mintUserToken(["chat:read"]);
  const refresh = {
    grant_type: "refresh_token",
    refresh_token: pair.refreshToken,
    client_id: fake.clientId,
    client_secret: fake.clientSecret,
  };
  assertEquals(
    (await post(token, { ...refresh, scope: "chat:read" })).status,
    400,
  );
  assertEquals((await post(token, refresh)).status, 200);
  assertEquals(await post(token, refresh), {
    status: 400,
    body: {
      error: "Bad Request",
      status: 400,
      message: "Invalid refresh token",
    },
  });
  assertEquals(fake.violations.length, 2, fake.violations.join("\n"));
  assertMatch(fake.violations[0], /unexpected field "scope"/);
  assertMatch(fake.violations[1], /rotated out/);
  fake.violations.length = 0;

  // Polling the device flow faster than `interval`.
  const started = await post(`${fake.authBaseUrl}/device`, {
    client_id: fake.clientId,
    scopes: "chat:read",
  });
  const poll = {
    client_id: fake.clientId,
    scopes: "chat:read",
    device_code: (started.body as { device_code: string }).device_code,
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
  };
  assertEquals((await post(token, poll)).status, 400);
  assertEquals(await post(token, poll), {
    status: 400,
    body: { status: 400, message: "slow_down" },
  });
  assertEquals(fake.violations.length, 1, fake.violations.join("\n"));

  // Helix without Client-Id, and a path not in the table.
  assertEquals(
    (await get(`${fake.helixBaseUrl}/users`, {
      authorization: `Bearer ${pair.accessToken}`,
    })).status,
    401,
  );
  assertEquals(
    (await get(`${fake.authBaseUrl}/nope`, {})).status,
    404,
  );
  assertEquals(fake.violations.length, 3, fake.violations.join("\n"));
});
