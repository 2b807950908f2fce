import { assertEquals, assertFalse, assertThrows } from "@std/assert";
import {
  AccessToken,
  type AccessTokenData,
  InvalidArgumentError,
} from "../mod.ts";

const own = {
  accessToken: "0123456789abcdefghijklmnopqrst",
  refreshToken: "refresh-token-of-fifty-characters-0123456789abcdef",
  expiresIn: 14_400,
  scopes: ["chat:read", "chat:edit"],
  tokenType: "bearer",
  obtainedAt: 1_700_000_000_000,
};

Deno.test("AccessToken.fromJSON reads its own JSON, as object or text", () => {
  const token = new AccessToken(own);
  assertEquals(AccessToken.fromJSON(token.toJSON()).toJSON(), own);
  assertEquals(AccessToken.fromJSON(JSON.stringify(token)).toJSON(), own);
});

Deno.test("AccessToken.fromJSON reads Twitch's JSON with obtained_at in epoch ms", () => {
  const twitch = {
    access_token: own.accessToken,
    refresh_token: own.refreshToken,
    expires_in: own.expiresIn,
    scope: own.scopes,
    token_type: "bearer",
    obtained_at: own.obtainedAt,
  };
  assertEquals(AccessToken.fromJSON(twitch).toJSON(), own);
  const spaced = AccessToken.fromJSON({
    ...twitch,
    scope: "chat:read chat:edit",
  });
  assertEquals(spaced.scopes, own.scopes);
  assertEquals(spaced.expiresAt, own.obtainedAt + 14_400_000);
  const appToken = AccessToken.fromJSON({
    access_token: own.accessToken,
    expires_in: 5_000,
    token_type: "bearer",
    id_token: "ignored.jwt.here",
  });
  assertEquals(appToken.refreshToken, undefined);
  assertEquals(appToken.scopes, []);
  assertEquals(appToken.obtainedAt, 0); // unknown: counts as expired
  assertEquals(appToken.isExpired(), true);
});

Deno.test("bad token JSON gets an InvalidArgumentError naming the field, never the secret", () => {
  const cases: [unknown, string][] = [
    ["not json", "not JSON"],
    [[1, 2], "JSON object"],
    [{ foo: 1 }, "accessToken"],
    [{ ...own, scopes: undefined }, "scopes"],
    [{ ...own, scopes: [1] }, "scopes"],
    [{ ...own, expiresIn: "14400" }, "expiresIn"],
    [{ ...own, obtainedAt: "yesterday" }, "obtainedAt"],
    [{ ...own, accessToken: "" }, "accessToken"],
    [{ access_token: own.accessToken, scope: [] }, "expires_in"],
    [{ access_token: 5, expires_in: 1 }, "access_token"],
    [{ access_token: "a", expires_in: 1, refresh_token: 7 }, "refresh_token"],
    [{ access_token: "a", expires_in: 1, scope: {} }, "scope"],
    [{ access_token: "a", expires_in: 1, obtained_at: "x" }, "obtained_at"],
  ];
  for (const [input, field] of cases) {
    const error = assertThrows(
      () => AccessToken.fromJSON(input),
      InvalidArgumentError,
      field,
    );
    assertFalse(error.message.includes(own.refreshToken));
  }
});

Deno.test("the constructor fails clearly on bad fields", () => {
  const bad = (data: unknown) => () => new AccessToken(data as AccessTokenData);
  assertThrows(
    bad({ ...own, expiresIn: -1 }),
    InvalidArgumentError,
    "expiresIn",
  );
  assertThrows(bad(undefined), InvalidArgumentError, "fromJSON");
  const legacy = JSON.parse(JSON.stringify({ ...own, scopes: undefined }));
  assertThrows(bad(legacy), InvalidArgumentError, "scopes");
});
