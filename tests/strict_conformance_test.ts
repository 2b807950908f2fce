// Every helper against a second, independent and deliberately strict fake of
// Twitch written from the wire-format notes alone: any field, header scheme or
// body shape our own mock would forgive shows up here as a violation.

import { assert, assertEquals, assertFalse, assertRejects } from "@std/assert";
import {
  exchangeCode,
  getAppAccessToken,
  getUserInfo,
  InvalidClientError,
  InvalidRefreshTokenError,
  refreshAccessToken,
  revokeToken,
  TwitchApiError,
  validateToken,
} from "../mod.ts";
import { startStrictFake } from "./_strict_fake_twitch.ts";
import { assertValid } from "./_util.ts";

Deno.test("strict fake: exchangeCode, refresh, validate, userinfo, revoke without a violation", async () => {
  await using fake = await startStrictFake();
  const options = { authBaseUrl: fake.authBaseUrl };
  const code = fake.mintCode(["openid", "chat:read"]);
  const token = await exchangeCode(
    fake.clientId,
    fake.clientSecret,
    code,
    fake.redirectUri,
    options,
  );
  assertEquals(token.scopes.toSorted(), ["chat:read", "openid"]);
  const refreshed = await refreshAccessToken(
    token.refreshToken!,
    fake.clientId,
    fake.clientSecret,
    options,
  );
  assert(
    refreshed.refreshToken && refreshed.refreshToken !== token.refreshToken,
  );
  const validation = assertValid(
    await validateToken(refreshed.accessToken, options),
  );
  assertEquals(validation.login, fake.login);
  assertEquals(validation.user_id, fake.userId);
  const info = await getUserInfo(refreshed.accessToken, options);
  assertEquals(info.sub, fake.userId);
  assert(await revokeToken(fake.clientId, refreshed.accessToken, options));
  assert("status" in await validateToken(refreshed.accessToken, options));
  assertEquals(fake.violations, []);
});

Deno.test("strict fake: app token and Twitch's error bodies without a violation", async () => {
  await using fake = await startStrictFake();
  const options = { authBaseUrl: fake.authBaseUrl };
  const app = await getAppAccessToken(
    fake.clientId,
    fake.clientSecret,
    options,
  );
  assertEquals(app.refreshToken, undefined);
  await assertRejects(
    () => getAppAccessToken(fake.clientId, "0".repeat(30), options),
    InvalidClientError,
  );
  await assertRejects(
    () =>
      refreshAccessToken(
        "r".repeat(50),
        fake.clientId,
        fake.clientSecret,
        options,
      ),
    InvalidRefreshTokenError,
  );
  const code = fake.mintCode(["chat:read"]);
  await exchangeCode(
    fake.clientId,
    fake.clientSecret,
    code,
    fake.redirectUri,
    options,
  );
  const reused = await assertRejects(
    () =>
      exchangeCode(
        fake.clientId,
        fake.clientSecret,
        code,
        fake.redirectUri,
        options,
      ),
    TwitchApiError,
  );
  assertEquals(reused.twitchMessage, "Invalid authorization code");
  assertFalse(await revokeToken(fake.clientId, "t".repeat(30), options));
  assertEquals(await validateToken("v".repeat(30), options), {
    status: 401,
    message: "invalid access token",
  });
  // reusing a code is the one violation this test commits on purpose
  assertEquals(fake.violations.filter((v) => !v.includes("code")), []);
});
