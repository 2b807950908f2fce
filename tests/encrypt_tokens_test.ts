// Tokens at rest (issue 16, item 7): encryptTokens over every store keeps the
// TokenStore contract, and what the store really holds (the file's bytes,
// Deno KV's SQLite file, the inner store's records) has no token in it. Keys
// rotate by id; a missing or wrong key is a TokenKeyError that says what to
// do. (The Durable Object in workerd: tests/cloudflare_test.ts.)

import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import {
  AccessToken,
  DenoKvTokenStore,
  encryptTokens,
  FileTokenStore,
  InvalidArgumentError,
  MemoryTokenStore,
  TokenKeyError,
  TokenProvider,
  type TokenStore,
} from "../mod.ts";
import { startMockTwitch, testTokenStore } from "../testing.ts";
import { newKey, secretsOf } from "./_token_keys.ts";

const KEY = newKey("k1");

/** A distinct token per `n`, with an access, refresh and ID token. */
function withId(n: number): AccessToken {
  return new AccessToken({
    accessToken: `access${String(n).padStart(24, "0")}`,
    refreshToken: `refresh${String(n).padStart(43, "0")}`,
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: 1_700_000_000_000 + n,
    idToken: `eyJ.id${n}.sig`,
  });
}

testTokenStore(
  "encryptTokens(MemoryTokenStore)",
  () =>
    Promise.resolve({
      store: encryptTokens(new MemoryTokenStore(), KEY),
      [Symbol.asyncDispose]: () => Promise.resolve(),
    }),
);

testTokenStore("encryptTokens(FileTokenStore)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "encrypted_" });
  const path = `${dir}/tokens.json`;
  return {
    store: encryptTokens(new FileTokenStore(path), KEY),
    openAnother: () =>
      Promise.resolve(encryptTokens(new FileTokenStore(path), KEY)),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
});

testTokenStore("encryptTokens(DenoKvTokenStore)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "encrypted_" });
  const path = `${dir}/tokens.kv`;
  const opened: Deno.Kv[] = [await Deno.openKv(path)];
  return {
    store: encryptTokens(new DenoKvTokenStore(opened[0]), KEY),
    async openAnother() {
      const kv = await Deno.openKv(path);
      opened.push(kv);
      return encryptTokens(new DenoKvTokenStore(kv), KEY);
    },
    async [Symbol.asyncDispose]() {
      for (const kv of opened) kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

/** Writes tokens for 3 users through the wrapper; returns their secrets. */
async function writeSome(store: TokenStore): Promise<string[]> {
  const secrets: string[] = [];
  for (const n of [1, 2, 3]) {
    const token = withId(n);
    assert(await store.set(String(n), token, null));
    assertEquals((await store.get(String(n)))!.token.toJSON(), token.toJSON());
    secrets.push(...secretsOf(token));
  }
  return secrets;
}

function assertNoSecret(bytes: Uint8Array, secrets: string[], what: string) {
  const text = new TextDecoder("latin1").decode(bytes);
  for (const secret of secrets) {
    assert(!text.includes(secret), `${what} holds a token in the clear`);
  }
}

Deno.test("encryptTokens(FileTokenStore): the file's bytes hold no token", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tokens.json`;
    const secrets = await writeSome(
      encryptTokens(new FileTokenStore(path), KEY),
    );
    const bytes = await Deno.readFile(path);
    assertNoSecret(bytes, secrets, "the token file");
    assertStringIncludes(new TextDecoder().decode(bytes), '"enc:v1:k1:');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("encryptTokens(DenoKvTokenStore): the SQLite file holds no token", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tokens.kv`;
    let secrets: string[];
    {
      using kv = await Deno.openKv(path);
      secrets = await writeSome(encryptTokens(new DenoKvTokenStore(kv), KEY));
    }
    for await (const entry of Deno.readDir(dir)) {
      assertNoSecret(
        await Deno.readFile(`${dir}/${entry.name}`),
        secrets,
        entry.name,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("encryptTokens(MemoryTokenStore): the inner store holds only ciphertext", async () => {
  const inner = new MemoryTokenStore();
  const secrets = await writeSome(encryptTokens(inner, KEY));
  for (const id of await inner.list()) {
    const raw = JSON.stringify((await inner.get(id))!.token.toJSON());
    assertNoSecret(new TextEncoder().encode(raw), secrets, `user ${id}`);
  }
});

Deno.test("encryptTokens: keys rotate by id; a missing or wrong key is a TokenKeyError naming the key", async () => {
  const inner = new MemoryTokenStore();
  const old = encryptTokens(inner, KEY);
  const v1 = (await old.set("1", withId(1), null))!.version;

  // A process given only a new key cannot read it, and says which key.
  const newOnly = encryptTokens(inner, newKey("k2"));
  const missing = await assertRejects(() => newOnly.get("1"), TokenKeyError);
  assertEquals([missing.userId, missing.keyId], ["1", "k1"]);
  assertStringIncludes(missing.message, 'key "k1"');
  assertStringIncludes(missing.message, "olderKeys");
  for (const secret of [...secretsOf(withId(1)), KEY.secret]) {
    assert(!missing.message.includes(secret));
  }
  // Another secret under the same id: it says the key is not the right one.
  const wrong = await assertRejects(
    () => encryptTokens(inner, newKey("k1")).get("1"),
    TokenKeyError,
  );
  assertStringIncludes(wrong.message, "is not the one that encrypted");

  // Rotating: the new key current, the old one among olderKeys.
  const rotating = encryptTokens(inner, newKey("k2"), { olderKeys: [KEY] });
  assertEquals((await rotating.get("1"))!.token.toJSON(), withId(1).toJSON());
  await rotating.set("1", withId(2), v1); // the next write uses k2
  assertStringIncludes((await inner.get("1"))!.token.accessToken, "enc:v1:k2:");
  await assertRejects(() => old.get("1"), TokenKeyError);
});

Deno.test("encryptTokens: a ciphertext moved to another user does not decrypt", async () => {
  const inner = new MemoryTokenStore();
  const store = encryptTokens(inner, KEY);
  await store.set("1", withId(1), null);
  await inner.set("2", (await inner.get("1"))!.token, null);
  await assertRejects(() => store.get("2"), TokenKeyError);
});

Deno.test("encryptTokens: tokens stored before encryption are read, and encrypted on their next write", async () => {
  const inner = new MemoryTokenStore();
  const v1 = (await inner.set("1", withId(1), null))!.version;
  const store = encryptTokens(inner, KEY);
  assertEquals((await store.get("1"))!.token.toJSON(), withId(1).toJSON());
  await store.set("1", withId(2), v1);
  assertStringIncludes((await inner.get("1"))!.token.refreshToken!, "enc:v1:");
});

Deno.test("encryptTokens: a malformed key is refused with what to do", () => {
  const store = new MemoryTokenStore();
  const short = assertThrows(
    () => encryptTokens(store, { id: "k1", secret: "c2hvcnQ=" }),
    InvalidArgumentError,
  );
  assertStringIncludes(short.message, "openssl rand -base64 32");
  assertThrows(
    () => encryptTokens(store, { id: "", secret: KEY.secret }),
    InvalidArgumentError,
  );
  assertThrows(
    () => encryptTokens(store, KEY, { olderKeys: [newKey("k1")] }),
    InvalidArgumentError,
    "Two encryption keys",
  );
});

Deno.test("encryptTokens(FileTokenStore) under TokenProvider: a refresh is written encrypted and read back", async () => {
  await using mock = await startMockTwitch();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tokens.json`;
    const store = encryptTokens(new FileTokenStore(path), KEY);
    using provider = new TokenProvider({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      authBaseUrl: mock.authBaseUrl,
      store,
    });
    const issued = mock.issueUserToken({ user: { id: "4001", login: "enc" } });
    const userId = await provider.addUser(
      AccessToken.fromJSON({
        access_token: issued.accessToken,
        refresh_token: issued.refreshToken,
        expires_in: 14_400,
      }),
    );
    const fresh = await provider.refresh(userId);
    assertEquals(
      (await store.get(userId))!.token.accessToken,
      fresh.accessToken,
    );
    assertNoSecret(
      await Deno.readFile(path),
      [...secretsOf(fresh), issued.accessToken, issued.refreshToken],
      "the token file",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
