// The hand-off from the command line to a bot: the file that
// `twitch-auth device --format json --output FILE` writes is read by
// AccessToken.fromJSON and by FileTokenStore (as the user "default"), and
// stays readable by both after FileTokenStore writes to it.

import {
  assert,
  assertEquals,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { AccessToken, FileTokenStore, TokenProvider } from "../mod.ts";
import type { MockUser } from "../testing.ts";
import {
  deviceTokenFile,
  startPublicClientMock,
  validateOnMock,
} from "./_cli.ts";

const CLIENT_ID = "handoff0public0client0id000001";
const CHANNEL: MockUser = { id: "12345", login: "achannel" };

Deno.test("the CLI's --output FILE --format json is read by AccessToken.fromJSON and FileTokenStore, also after the store wrote it", async () => {
  await using mock = await startPublicClientMock(CLIENT_ID);
  const dir = await Deno.makeTempDir();
  const file = `${dir}/token.json`;
  try {
    await deviceTokenFile(mock, CLIENT_ID, file);

    // As the CLI wrote it: Twitch's field names plus obtained_at in epoch ms.
    const written = JSON.parse(await Deno.readTextFile(file));
    const loaded = AccessToken.fromJSON(await Deno.readTextFile(file));
    assertEquals(loaded.toJSON(), {
      accessToken: written.access_token,
      refreshToken: written.refresh_token,
      expiresIn: written.expires_in,
      scopes: ["chat:read"],
      tokenType: "bearer",
      obtainedAt: written.obtained_at,
      grantType: "device_code",
    });
    assert(!loaded.isExpired(), "obtained_at read as epoch milliseconds");

    const store = new FileTokenStore(file);
    assertEquals(await store.list(), ["default"]);
    const stored = (await store.get("default"))!;
    assertEquals(stored.token.toJSON(), loaded.toJSON());

    // A TokenProvider on the store refreshes at the mock and writes back.
    using provider = new TokenProvider({
      clientId: CLIENT_ID,
      authBaseUrl: mock.authBaseUrl,
      helixBaseUrl: mock.helixBaseUrl,
      store,
    });
    const refreshed = await provider.refresh("default");
    assertNotEquals(refreshed.accessToken, loaded.accessToken);
    assertEquals(
      (await validateOnMock(mock, refreshed.accessToken)).status,
      200,
    );
    await assertReadableByBoth(file, refreshed);

    // Another user in the same file, then another write of "default": the
    // top-level token is still the one both read.
    const other = mock.issueUserToken({
      clientId: CLIENT_ID,
      user: CHANNEL,
      scopes: ["chat:read"],
    });
    const otherToken = new AccessToken({
      accessToken: other.accessToken,
      refreshToken: other.refreshToken,
      expiresIn: 14_400,
      scopes: ["chat:read"],
      tokenType: "bearer",
      obtainedAt: Date.now(),
    });
    assertEquals(await provider.addUser(otherToken), CHANNEL.id);
    const again = await provider.refresh("default");
    await assertReadableByBoth(file, again);
    assertEquals(
      (await new FileTokenStore(file).list()).toSorted(),
      [CHANNEL.id, "default"].toSorted(),
    );
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The file's top-level token is `expected` for fromJSON and a new store. */
async function assertReadableByBoth(
  file: string,
  expected: AccessToken,
): Promise<void> {
  const text = await Deno.readTextFile(file);
  assertEquals(AccessToken.fromJSON(text).toJSON(), expected.toJSON());
  const fresh = (await new FileTokenStore(file).get("default"))!;
  assertEquals(fresh.token.toJSON(), expected.toJSON());
  assertStringIncludes(text, `"version": "${fresh.version}"`);
}
