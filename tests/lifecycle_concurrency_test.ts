// The refresh rule under load: after Twitch expires a token on its side,
// 1,000 concurrent callers make exactly one refresh request, 20 times over.
// Helix answers 429 once the mock's per-app rate limit (800 a minute) is
// used up; a 429 comes only after Helix accepted the token, so every
// answer here is a 200 or a 429, never a 401.

import { assertEquals } from "@std/assert";
import { AccessToken, TokenProvider, Twitch } from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { assertRefreshTokenLive, signedInTwitch } from "./_helpers_tokens.ts";

const CALLERS = 1_000;
const REPETITIONS = 20;

async function statuses(responses: Promise<Response>[]): Promise<Set<number>> {
  const seen = new Set<number>();
  for (const response of await Promise.all(responses)) {
    seen.add(response.status);
    await response.body?.cancel();
  }
  return seen;
}

function assertNo401(seen: Set<number>) {
  assertEquals([...seen].filter((s) => s !== 200 && s !== 429), []);
}

function mockWithClock(): Promise<MockTwitch & { tick(): void }> {
  let offset = 0;
  return startMockTwitch({ now: () => Date.now() + offset }).then((mock) =>
    Object.assign(mock, { tick: () => void (offset += 61_000) })
  );
}

Deno.test(`${CALLERS} concurrent twitch.fetch after a server-side expiry make one refresh, ${REPETITIONS} times`, async () => {
  await using mock = await mockWithClock();
  using user = await signedInTwitch(mock);
  const { twitch } = user;
  let heard = 0;
  twitch.onUserAuthRefresh(() => void heard++);
  for (let round = 1; round <= REPETITIONS; round++) {
    mock.tick(); // a fresh Helix rate-limit window
    mock.expireAccessToken((await twitch.getUserToken())!.accessToken);
    const seen = await statuses(
      Array.from({ length: CALLERS }, () => twitch.fetch("users")),
    );
    assertNo401(seen);
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), round);
    assertEquals(heard, round);
  }
});

Deno.test(`${CALLERS} concurrent provider.fetch after a server-side expiry make one refresh, ${REPETITIONS} times`, async () => {
  await using mock = await mockWithClock();
  using provider = new TokenProvider({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  const userId = await provider.addUser(
    AccessToken.fromJSON({ ...issued, expiresIn: 0, scopes: [] }),
  );
  const heard: string[] = [];
  provider.onRefresh((_, id) => void heard.push(id));
  for (let round = 1; round <= REPETITIONS; round++) {
    mock.tick();
    mock.expireAccessToken((await provider.getAccessToken(userId)).accessToken);
    const seen = await statuses(
      Array.from({ length: CALLERS }, () => provider.fetch(userId, "users")),
    );
    assertNo401(seen);
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), round);
    assertEquals(heard.length, round);
  }
  assertEquals(new Set(heard), new Set([userId]));
});

Deno.test(`${CALLERS} concurrent twitch.fetch with an app token after a server-side expiry make one token request, ${REPETITIONS} times`, async () => {
  await using mock = await mockWithClock();
  using twitch = new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
  await twitch.authenticateApp();
  for (let round = 1; round <= REPETITIONS; round++) {
    mock.tick();
    mock.expireAccessToken(await twitch.getAppAuthToken());
    const seen = await statuses(
      Array.from(
        { length: CALLERS },
        () => twitch.fetch("users?login=twitchdev"),
      ),
    );
    assertNo401(seen);
    assertEquals(
      mock.countRequests({ grantType: "client_credentials" }),
      round + 1,
    );
  }
});

Deno.test(`a public client: ${CALLERS} concurrent twitch.fetch per expiry rotate the refresh token once, and the kept one works`, async () => {
  let offset = 0;
  await using mock = await startMockTwitch({
    clients: [{
      clientId: "public0client000000000000000000",
      redirectUris: [],
    }],
    now: () => Date.now() + offset,
  });
  using user = await signedInTwitch(mock, { publicClient: true });
  const { twitch } = user;
  for (let round = 1; round <= 5; round++) {
    offset += 61_000;
    mock.expireAccessToken((await twitch.getUserToken())!.accessToken);
    assertNo401(
      await statuses(
        Array.from({ length: CALLERS }, () => twitch.fetch("users")),
      ),
    );
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), round);
  }
  await assertRefreshTokenLive(
    mock,
    (await twitch.getUserToken())!.refreshToken!,
  );
});
