import { assertEquals, assertNotEquals } from "@std/assert";
import {
  AccessToken,
  FileTokenStore,
  refreshAccessToken,
  Twitch,
  UserTokenStorage,
} from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { visit } from "./_browser.ts";
import { closedPort } from "./_util.ts";

async function setup() {
  const redirect = `http://localhost:${closedPort()}`;
  const mock = await startMockTwitch({
    consent: "approve",
    clients: [{
      clientId: "storage0client0id0000000000000",
      clientSecret: "storage0client0secret000000000",
      redirectUris: [redirect],
    }],
  });
  const dir = await Deno.makeTempDir();
  const path = `${dir}/user_token.json`;
  const twitch = () =>
    new Twitch(mock.clientId, mock.clientSecret, {
      authBaseUrl: mock.authBaseUrl,
    });
  const storage = (scopes = ["chat:read"]) =>
    new UserTokenStorage(twitch(), scopes, {
      path,
      authenticator: { url: redirect },
      authenticate: {
        useBrowser: false,
        authUrlCallback: (url) => void visit(url),
      },
    });
  return {
    mock,
    path,
    storage,
    signIns: () => mock.countRequests({ grantType: "authorization_code" }),
    async [Symbol.asyncDispose]() {
      await mock.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function stored(path: string) {
  const info = await Deno.stat(path);
  return {
    mode: info.mode! & 0o777,
    data: JSON.parse(await Deno.readTextFile(path)),
  };
}

Deno.test("UserTokenStorage signs in once, stores 0600, and the next start needs no browser", async () => {
  await using env = await setup();
  const first = await env.storage().bind();
  assertEquals(env.signIns(), 1);
  const file = await stored(env.path);
  assertEquals(file.mode, 0o600);
  assertEquals(file.data.access_token, first.accessToken);
  assertEquals(file.data.refresh_token, first.refreshToken);
  const second = await env.storage().bind();
  assertEquals(env.signIns(), 1);
  assertEquals(second.accessToken, first.accessToken);
});

Deno.test("UserTokenStorage refreshes an expired stored token and stores the new one", async () => {
  await using env = await setup();
  const first = await env.storage().bind();
  env.mock.expireAccessToken(first.accessToken);
  const second = await env.storage().bind();
  assertNotEquals(second.accessToken, first.accessToken);
  assertEquals(env.signIns(), 1);
  assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 1);
  assertEquals((await stored(env.path)).data.access_token, second.accessToken);
});

Deno.test("UserTokenStorage signs in again for a refused refresh token, missing scopes or a damaged file", async () => {
  await using env = await setup();
  const first = await env.storage().bind();
  env.mock.expireAccessToken(first.accessToken);
  await fetch(`${env.mock.authBaseUrl}/revoke`, {
    method: "POST",
    body: new URLSearchParams({
      client_id: env.mock.clientId,
      token: first.refreshToken!,
    }),
  }).then((r) => r.body?.cancel());
  await env.storage().bind();
  assertEquals(env.signIns(), 2);
  const wider = await env.storage(["chat:read", "bits:read"]).bind();
  assertEquals(env.signIns(), 3);
  assertEquals(wider.scopes.toSorted(), ["bits:read", "chat:read"]);
  await Deno.writeTextFile(env.path, "{ not json");
  await Deno.chmod(env.path, 0o644);
  await env.storage().bind();
  assertEquals(env.signIns(), 4);
  assertEquals((await stored(env.path)).mode, 0o600);
});

Deno.test("UserTokenStorage writes every refresh to the file, until unbind()", async () => {
  await using env = await setup();
  await env.storage().bind(); // signs in and writes the file
  const twitch = new Twitch(env.mock.clientId, env.mock.clientSecret, {
    authBaseUrl: env.mock.authBaseUrl,
  });
  const storage = new UserTokenStorage(twitch, ["chat:read"], {
    path: env.path,
  });
  await storage.bind(); // from the file: no browser options needed
  const refreshed = await twitch.refreshUserToken();
  assertEquals(
    (await stored(env.path)).data.access_token,
    refreshed.accessToken,
  );
  await storage.unbind();
  const again = await twitch.refreshUserToken();
  assertNotEquals(
    (await stored(env.path)).data.access_token,
    again.accessToken,
  );
  assertEquals(env.signIns(), 1);
});

Deno.test("UserTokenStorage never writes back a token it loaded and did not change", async () => {
  await using env = await setup();
  await env.storage().bind();
  const before = await Deno.readTextFile(env.path);
  const inode = (await Deno.stat(env.path)).ino;
  await env.storage().bind(); // valid: validated, used, not written
  assertEquals(await Deno.readTextFile(env.path), before);
  assertEquals((await Deno.stat(env.path)).ino, inode);
});

Deno.test("UserTokenStorage reads the file again when another process rotated the refresh token meanwhile", async () => {
  const client = {
    clientId: "storage0public0client000000000",
    redirectUris: [`http://localhost:${closedPort()}`],
  };
  await using mock = await startMockTwitch({ clients: [client] });
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/user_token.json`;
    const store = new FileTokenStore(path);
    const issued = mock.issueUserToken({ scopes: ["chat:read"] });
    const first = await store.set(
      "default",
      new AccessToken({
        ...issued,
        expiresIn: 14_400,
        scopes: ["chat:read"],
        tokenType: "bearer",
        obtainedAt: Date.now(),
      }),
      null,
    );
    // The storage loads the token, then waits on /validate while another
    // process refreshes it (rotating the refresh token) and stores the result.
    mock.injectFault({ path: "/oauth2/validate", delay: 1_500 });
    const twitch = new Twitch(mock.clientId, undefined, {
      authBaseUrl: mock.authBaseUrl,
    });
    const binding = new UserTokenStorage(twitch, ["chat:read"], { path })
      .bind();
    while (mock.countRequests({ pathname: "/oauth2/validate" }) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const rotated = await refreshAccessToken(
      issued.refreshToken,
      mock.clientId,
      undefined,
      { authBaseUrl: mock.authBaseUrl },
    );
    const second = await store.set("default", rotated, first!.version);
    const bound = await binding;
    assertEquals(bound.accessToken, rotated.accessToken);
    assertEquals(bound.refreshToken, rotated.refreshToken);
    assertEquals(mock.countRequests({ grantType: "authorization_code" }), 0);
    // Nothing changed: the other process's write stays, untouched.
    assertEquals((await store.get("default"))?.version, second!.version);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("UserTokenStorage keeps a token another process wrote while it was binding", async () => {
  await using env = await setup();
  await env.storage().bind();
  const store = new FileTokenStore(env.path);
  const loaded = (await store.get("default"))!;
  // bind() loads the file, then waits on /validate; meanwhile another process
  // stores a newer token. The old bind() wrote back what it had loaded.
  env.mock.injectFault({ path: "/oauth2/validate", delay: 300 });
  const validations = env.mock.countRequests({ pathname: "/oauth2/validate" });
  const binding = env.storage().bind();
  while (
    env.mock.countRequests({ pathname: "/oauth2/validate" }) === validations
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const issued = env.mock.issueUserToken({ scopes: ["chat:read"] });
  const newer = new AccessToken({
    ...issued,
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: Date.now(),
  });
  const written = await store.set("default", newer, loaded.version);
  await binding;
  const now = (await store.get("default"))!;
  assertEquals(now.version, written!.version);
  assertEquals(now.token.refreshToken, issued.refreshToken);
});
