// TokenProvider's checkScopes: a Helix call the token's scopes do not cover
// (per the scope table) fails with MissingScopeError before any request;
// without the option, the mock's Helix answers 401 `Missing scope: X` as
// Twitch does, and the error says which -s and --for fix it.

import {
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { AccessToken, MissingScopeError, TokenProvider } from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { assertHelixUnauthorized } from "./_helpers_tokens.ts";

function providerFor(mock: MockTwitch, checkScopes?: boolean): TokenProvider {
  return new TokenProvider({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
    checkScopes,
  });
}

/** A user's token from the mock, held with the scopes it was granted. */
async function addUser(
  provider: TokenProvider,
  mock: MockTwitch,
  scopes: string[],
): Promise<string> {
  const issued = mock.issueUserToken({ scopes });
  return await provider.addUser(
    new AccessToken({
      ...issued,
      expiresIn: 14_000,
      scopes,
      tokenType: "bearer",
      obtainedAt: Date.now(),
    }),
  );
}

Deno.test("checkScopes: a call the token's scopes lack fails before any request, naming the fix", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock, true);
  const userId = await addUser(provider, mock, ["chat:read"]);
  const path = `chat/chatters?broadcaster_id=${userId}&moderator_id=${userId}`;
  const error = await assertRejects(
    () => provider.fetch(userId, path),
    MissingScopeError,
  );
  assertEquals(error.endpoint, "GET /chat/chatters");
  assertEquals(error.scope, "moderator:read:chatters");
  assertEquals(error.tokenScopes, ["chat:read"]);
  assertStringIncludes(
    error.message,
    'twitch-auth token -s "chat:read moderator:read:chatters"',
  );
  assertStringIncludes(
    error.message,
    'twitch-auth scopes --for "GET /chat/chatters"',
  );
  assertEquals(mock.countRequests({ pathname: "/helix/chat/chatters" }), 0);

  // A method and body count: Ban User needs moderator:manage:banned_users.
  const ban = await assertRejects(
    () =>
      provider.fetch(
        userId,
        "moderation/bans?broadcaster_id=1&moderator_id=1",
        {
          method: "POST",
          body: "{}",
        },
      ),
    MissingScopeError,
  );
  assertEquals(ban.endpoint, "POST /moderation/bans");
  assertEquals(mock.countRequests({ pathname: "/helix/moderation/bans" }), 0);

  // Covered calls and endpoints without scopes go through.
  const scoped = await addUser(provider, mock, ["moderator:read:chatters"]);
  const ok = await provider.fetch(
    scoped,
    `chat/chatters?broadcaster_id=${scoped}&moderator_id=${scoped}`,
  );
  assertEquals(ok.status, 200);
  await ok.body?.cancel();
  const users = await provider.fetch(userId, "users");
  assertEquals(users.status, 200);
  await users.body?.cancel();
  assertEquals(mock.countRequests({ pathname: "/helix/chat/chatters" }), 1);
});

Deno.test("without checkScopes the call reaches Helix, which answers 401 Missing scope in Twitch's format", async () => {
  await using mock = await startMockTwitch();
  using provider = providerFor(mock);
  const userId = await addUser(provider, mock, ["chat:read"]);
  const response = await provider.fetch(
    userId,
    `chat/chatters?broadcaster_id=${userId}&moderator_id=${userId}`,
  );
  await assertHelixUnauthorized(
    response,
    "Missing scope: moderator:read:chatters",
  );
  assertEquals(mock.countRequests({ pathname: "/helix/chat/chatters" }), 1);
  assertInstanceOf(
    new MissingScopeError("GET /chat/chatters", "moderator:read:chatters"),
    Error,
  );
});
