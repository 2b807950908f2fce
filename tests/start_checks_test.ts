// Issue 18, item 5 (second half): a token from the authorization code flow
// belongs to a confidential client, and Twitch refreshes it only with the
// client secret. Without the secret, the app is told at start (before any
// request), not hours later at the first refresh; and Twitch's own "missing
// client secret" answer is a typed, final error, never a backoff loop. All
// over real HTTP against the mock on loopback; the CLI as a subprocess.

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
  exchangeCode,
  FileTokenStore,
  InvalidClientError,
  MemoryTokenStore,
  MissingClientSecretError,
  RefreshBackoffError,
  startDeviceAuthorization,
  TokenProvider,
  type TokenStore,
  Twitch,
  UserTokenStorage,
  waitForDeviceToken,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { runCli, signInTokenFile } from "./_cli.ts";
import { authorizeCode, closedPort } from "./_util.ts";

const CONFIDENTIAL_ID = "start0checks0confidential00001";
const CONFIDENTIAL_SECRET = "start0checks0secret00000000001";
const PUBLIC_ID = "start0checks0public0client0001";
const REDIRECT = "http://localhost:17563";

function startMock(redirect = REDIRECT): Promise<MockTwitch> {
  return startMockTwitch({
    deviceInterval: 0,
    clients: [
      {
        clientId: CONFIDENTIAL_ID,
        clientSecret: CONFIDENTIAL_SECRET,
        redirectUris: [redirect],
      },
      { clientId: PUBLIC_ID, redirectUris: [] },
    ],
  });
}

/** A browser sign-in's token: the code from the authorize redirect, exchanged. */
async function codeFlowToken(mock: MockTwitch): Promise<AccessToken> {
  const code = await authorizeCode(mock, ["chat:read"]);
  return await exchangeCode({
    clientId: CONFIDENTIAL_ID,
    clientSecret: CONFIDENTIAL_SECRET,
    code,
    redirectUri: REDIRECT,
    authBaseUrl: mock.authBaseUrl,
  });
}

/** A device-flow token of `clientId`, approved as the user would. */
async function deviceFlowToken(
  mock: MockTwitch,
  clientId: string,
): Promise<AccessToken> {
  const options = { authBaseUrl: mock.authBaseUrl };
  const device = await startDeviceAuthorization(
    clientId,
    ["chat:read"],
    options,
  );
  mock.approveDevice(device.userCode);
  return await waitForDeviceToken(clientId, device, options);
}

/** The same token without the grant it records: a file from before the field. */
function withoutGrant(token: AccessToken): AccessToken {
  const { grantType: _, ...rest } = token.toJSON();
  return new AccessToken(rest);
}

/** A provider on the mock, with or without the app's secret. */
function provider(
  mock: MockTwitch,
  clientSecret?: string,
  store: TokenStore = new MemoryTokenStore(),
  clientId = CONFIDENTIAL_ID,
): TokenProvider {
  return new TokenProvider({
    clientId,
    clientSecret,
    store,
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
}

function assertSaysWhichSecret(error: Error): void {
  assertInstanceOf(error, MissingClientSecretError);
  assertStringIncludes(error.message, CONFIDENTIAL_ID);
  assertStringIncludes(error.message, "TWITCH_CLIENT_SECRET");
  assertStringIncludes(error.message, "clientSecret");
  assertFalse(error.message.includes(CONFIDENTIAL_SECRET));
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "start_checks_" });
}

Deno.test("a token records the grant that made it, through refreshes and file rewrites", async () => {
  await using mock = await startMock();
  const dir = await tempDir();
  try {
    const code = await codeFlowToken(mock);
    assertEquals(code.grantType, "authorization_code");
    const device = await deviceFlowToken(mock, PUBLIC_ID);
    assertEquals(device.grantType, "device_code");

    // On disk beside Twitch's fields, as obtained_at is; and read back.
    const store = new FileTokenStore(`${dir}/tokens.json`);
    using confidential = provider(mock, CONFIDENTIAL_SECRET, store);
    using publicApp = provider(mock, undefined, store, PUBLIC_ID);
    const codeUser = await confidential.addUser(code);
    await publicApp.setToken("public-user", device);
    for (let round = 1; round <= 2; round++) {
      // Twitch ends both access tokens: each refresh must keep the grant.
      mock.expireAllAccessTokens();
      await confidential.refresh(codeUser);
      await publicApp.refresh("public-user");
      const file = JSON.parse(await Deno.readTextFile(`${dir}/tokens.json`));
      assertEquals(file.users[codeUser].grant_type, "authorization_code");
      assertEquals(file.users["public-user"].grant_type, "device_code");
      assertEquals(file.users[codeUser].access_token.length > 0, true);
      assertEquals(
        (await store.get(codeUser))!.token.grantType,
        "authorization_code",
      );
      assertEquals(
        (await store.get("public-user"))!.token.grantType,
        "device_code",
      );
    }
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), 4);
    // JSON.stringify round trip (Deno KV and other stores keep toJSON()).
    assertEquals(
      AccessToken.fromJSON(JSON.stringify(code)).grantType,
      "authorization_code",
    );
    // A value this version does not know (a newer file's) is left out.
    assertEquals(
      AccessToken.fromJSON({
        ...JSON.parse(JSON.stringify(code)),
        grantType: "x",
      })
        .grantType,
      undefined,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TokenProvider without a secret refuses a code-flow token at addUser and setToken, before any request", async () => {
  await using mock = await startMock();
  const code = await codeFlowToken(mock);
  const before = mock.requests.length;
  using keeper = provider(mock);
  assertSaysWhichSecret(
    await assertRejects(() => keeper.addUser(code), MissingClientSecretError),
  );
  assertSaysWhichSecret(
    await assertRejects(
      () => keeper.setToken("141981764", code),
      MissingClientSecretError,
    ),
  );
  const error = await assertRejects(() => keeper.checkToken(code));
  assertEquals((error as MissingClientSecretError).fromTwitch, false);
  assertEquals((error as MissingClientSecretError).clientId, CONFIDENTIAL_ID);
  assertEquals(mock.requests.length, before, "no request reached Twitch");
  assertEquals(await keeper.users(), []);

  // Not too broad: a device token (public client) and a token that does not
  // record its grant (an older file) are added as before.
  using publicApp = provider(mock, undefined, undefined, PUBLIC_ID);
  assertEquals(
    await publicApp.addUser(await deviceFlowToken(mock, PUBLIC_ID)),
    "141981764",
  );
  assertEquals(await keeper.addUser(withoutGrant(code)), "141981764");
  // With the secret, the code-flow token is welcome.
  using withSecret = provider(mock, CONFIDENTIAL_SECRET);
  assertEquals(await withSecret.addUser(code), "141981764");
});

Deno.test("new Twitch without a secret: validateUserToken and UserTokenStorage.bind() fail at start on a code-flow token file", async () => {
  await using mock = await startMock();
  const dir = await tempDir();
  try {
    const path = `${dir}/user_token.json`;
    const code = await codeFlowToken(mock);
    await new FileTokenStore(path).set("default", code, null);
    const onDisk = await Deno.readTextFile(path);
    const before = mock.requests.length;

    const options = {
      authBaseUrl: mock.authBaseUrl,
      helixBaseUrl: mock.helixBaseUrl,
    };
    using twitch = new Twitch(CONFIDENTIAL_ID, undefined, {
      ...options,
      store: new FileTokenStore(path),
    });
    assertSaysWhichSecret(
      await assertRejects(
        () => twitch.validateUserToken(["chat:read"]),
        MissingClientSecretError,
      ),
    );

    // The seed's pattern: no browser opens, no sign-in starts, the file stays.
    using seed = new Twitch(CONFIDENTIAL_ID, undefined, options);
    const storage = new UserTokenStorage(seed, ["chat:read"], {
      path,
      // Were a sign-in started, it would fail fast rather than open a browser.
      authenticator: { redirectUri: `http://localhost:${closedPort()}` },
      authenticate: { useBrowser: false, timeout: 2_000 },
    });
    assertSaysWhichSecret(
      await assertRejects(() => storage.bind(), MissingClientSecretError),
    );
    assertEquals(mock.requests.length, before, "no request reached Twitch");
    assertEquals(await Deno.readTextFile(path), onDisk);

    // With the secret, the same file starts as before (one /validate).
    using ok = new Twitch(CONFIDENTIAL_ID, CONFIDENTIAL_SECRET, {
      ...options,
      store: new FileTokenStore(path),
    });
    await ok.validateUserToken(["chat:read"]);
    assertEquals(mock.countRequests({ pathname: "/oauth2/validate" }), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a refresh without the secret is a typed, final error: no backoff loop, one request at most", async () => {
  await using mock = await startMock();
  const code = await codeFlowToken(mock);

  // 1. The token records its grant but reached the store another way (another
  //    process wrote it): refused before the refresh request.
  const expired = new AccessToken({ ...code.toJSON(), obtainedAt: 0 });
  const store = new MemoryTokenStore();
  await store.set("141981764", expired, null);
  using keeper = provider(mock, undefined, store);
  const heard: Error[] = [];
  keeper.onRefreshFailure((error) => heard.push(error));
  for (let i = 0; i < 20; i++) {
    const error = await assertRejects(() => keeper.getAccessToken("141981764"));
    assertInstanceOf(error, MissingClientSecretError);
    assertEquals(error.fromTwitch, false);
  }
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 0);
  assertEquals(heard.length, 1);

  // 2. An older file (no grant recorded): Twitch answers 400 "missing client
  //    secret" once; that is final too, not "will retry".
  const old = new MemoryTokenStore();
  await old.set(
    "141981764",
    withoutGrant(new AccessToken({ ...code.toJSON(), obtainedAt: 0 })),
    null,
  );
  using legacy = provider(mock, undefined, old);
  const told: Error[] = [];
  legacy.onRefreshFailure((error) => told.push(error));
  // 3. A wrong secret (403 "invalid client secret") cannot pass either.
  const wrongStore = new MemoryTokenStore();
  await wrongStore.set("141981764", expired, null);
  using wrong = provider(mock, "not0the0secret0000000000000000", wrongStore);
  const toldWrong: Error[] = [];
  wrong.onRefreshFailure((error) => toldWrong.push(error));
  const started = Date.now();
  for (let i = 0; Date.now() - started < 2_500 || i < 20; i++) {
    const error = await assertRejects(() => legacy.getAccessToken("141981764"));
    assertFalse(error instanceof RefreshBackoffError, error.message);
    assertInstanceOf(error, MissingClientSecretError);
    assert(error.fromTwitch);
    assertStringIncludes(error.message, "missing client secret");
    assertStringIncludes(error.message, "TWITCH_CLIENT_SECRET");
    assertStringIncludes(error.message, CONFIDENTIAL_ID);
    const refused = await assertRejects(() =>
      wrong.getAccessToken("141981764")
    );
    assertInstanceOf(refused, InvalidClientError);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Past the first backoff (1 s at most): one request each, one report each.
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 2);
  assertEquals(told.length, 1);
  assertInstanceOf(told[0], MissingClientSecretError);
  assertEquals(toldWrong.length, 1);
  // The hourly validation asks nothing new either.
  await legacy.validateNow();
  await wrong.validateNow();
  assertEquals(mock.countRequests({ grantType: "refresh_token" }), 2);
});

Deno.test("CLI refresh: a code-flow token file without the secret is refused before any request; with it the file's fields are kept", async () => {
  const port = closedPort();
  const redirect = `http://localhost:${port}`;
  await using mock = await startMock(redirect);
  const dir = await tempDir();
  try {
    const path = `${dir}/token.json`;
    // The real hand-off: the CLI's browser sign-in writes the file.
    await signInTokenFile(mock, {
      clientId: CONFIDENTIAL_ID,
      clientSecret: CONFIDENTIAL_SECRET,
      port,
      path,
    });
    const file = JSON.parse(await Deno.readTextFile(path));
    assertEquals(file.grant_type, "authorization_code");
    const before = mock.requests.length;
    const base = ["--auth-base-url", mock.authBaseUrl, "--format", "json"];

    const refused = await runCli(["refresh", "-", ...base], {
      env: { TWITCH_CLIENT_ID: CONFIDENTIAL_ID },
      stdin: JSON.stringify(file),
    });
    assertEquals(refused.code, 2, refused.stderr);
    assertStringIncludes(refused.stderr, "TWITCH_CLIENT_SECRET");
    assertStringIncludes(refused.stderr, CONFIDENTIAL_ID);
    assertStringIncludes(refused.stderr, "authorization code flow");
    assertEquals(refused.stdout, "");
    assertFalse(refused.stderr.includes(file.refresh_token));
    assertFalse(/^\s+at /m.test(refused.stderr), refused.stderr);
    assertEquals(mock.requests.length, before, "no request reached Twitch");

    // A bare refresh token says nothing of its grant: Twitch's answer is
    // the same typed error, once, with the same advice.
    const bare = await runCli(["refresh", "-", ...base], {
      env: { TWITCH_CLIENT_ID: CONFIDENTIAL_ID },
      stdin: file.refresh_token,
    });
    assertEquals(bare.code, 2, bare.stderr);
    assertStringIncludes(bare.stderr, "missing client secret");
    assertStringIncludes(bare.stderr, "TWITCH_CLIENT_SECRET");
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), 1);

    const refreshed = await runCli(["refresh", "-", ...base], {
      env: {
        TWITCH_CLIENT_ID: CONFIDENTIAL_ID,
        TWITCH_CLIENT_SECRET: CONFIDENTIAL_SECRET,
      },
      stdin: JSON.stringify(file),
    });
    assertEquals(refreshed.code, 0, refreshed.stderr);
    const kept = JSON.parse(refreshed.stdout);
    assertEquals(kept.grant_type, "authorization_code");
    assertEquals(kept.refresh_token, file.refresh_token);
    assert(kept.access_token !== file.access_token);
    assertEquals(mock.countRequests({ grantType: "refresh_token" }), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
