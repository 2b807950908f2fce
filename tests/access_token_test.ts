import { assert, assertEquals, assertFalse, assertThrows } from "@std/assert";
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

Deno.test("bad token JSON gets an InvalidArgumentError naming the field, never a token or the secret", () => {
  // Every input holds both tokens and a client secret somewhere: an error
  // that echoed its input, or any field of it, would show one of them.
  const access = own.accessToken;
  const refresh = own.refreshToken;
  const secret = "client-secret-0123456789abcdefghij";
  const twitch = { access_token: access, refresh_token: refresh };
  const cases: [unknown, string][] = [
    [`not json ${access} ${refresh} ${secret}`, "not JSON"],
    [[access, refresh, secret], "JSON object"],
    [{ foo: access, bar: refresh, client_secret: secret }, "accessToken"],
    [{ ...own, scopes: undefined, secret }, "scopes"],
    [{ ...own, scopes: [1, secret], note: access }, "scopes"],
    [{ ...own, expiresIn: refresh, secret }, "expiresIn"],
    [{ ...own, obtainedAt: secret }, "obtainedAt"],
    [{ ...own, accessToken: "", idToken: access, secret }, "accessToken"],
    [{ ...twitch, scope: [secret] }, "expires_in"],
    [
      { ...twitch, access_token: 5, expires_in: access, secret },
      "access_token",
    ],
    [
      { ...twitch, expires_in: 1, refresh_token: [refresh, secret] },
      "refresh_token",
    ],
    [{ ...twitch, expires_in: 1, scope: { secret } }, "scope"],
    [{ ...twitch, expires_in: 1, obtained_at: secret }, "obtained_at"],
  ];
  for (const [input, field] of cases) {
    const text = typeof input === "string" ? input : JSON.stringify(input);
    for (const shown of [access, refresh, secret]) {
      assert(text.includes(shown), `the input lacks ${shown}: ${text}`);
    }
    for (const form of [input, text]) {
      const error = assertThrows(
        () => AccessToken.fromJSON(form),
        InvalidArgumentError,
        field,
      );
      for (const hidden of [access, refresh, secret]) {
        assertFalse(
          `${error.message} ${Deno.inspect(error)}`.includes(hidden),
          `${field}: ${error.message}`,
        );
      }
    }
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
