// The TokenStore contract, checked on FileTokenStore and DenoKvTokenStore,
// each time with two store instances on the same file or KV database (as two
// processes would have), plus what is particular to each store.

import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import {
  AccessToken,
  CorruptTokenStoreError,
  DenoKvTokenStore,
  FileTokenStore,
  InvalidArgumentError,
  type StoredToken,
  type TokenStore,
} from "../mod.ts";

const isWindows = Deno.build.os === "windows";

/** `value`, failing the test when it is null. */
function present<T>(value: T | null | undefined, message = "null"): T {
  if (value === null || value === undefined) throw new Error(message);
  return value;
}

function token(name: string, obtainedAt = Date.now()): AccessToken {
  return new AccessToken({
    accessToken: `access-${name}`.padEnd(30, "0"),
    refreshToken: `refresh-${name}`.padEnd(50, "0"),
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt,
  });
}

interface Pair extends AsyncDisposable {
  /** Two instances on the same storage, as two processes would have. */
  a: TokenStore;
  b: TokenStore;
  dir: string;
}

async function filePair(): Promise<Pair & { path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "token_stores_test_" });
  const path = `${dir}/tokens.json`;
  return {
    a: new FileTokenStore(path),
    b: new FileTokenStore(path),
    dir,
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function kvPair(): Promise<Pair & { kvs: Deno.Kv[] }> {
  const dir = await Deno.makeTempDir({ prefix: "token_stores_test_" });
  const kvs = [
    await Deno.openKv(`${dir}/tokens.kv`),
    await Deno.openKv(`${dir}/tokens.kv`),
  ];
  return {
    a: new DenoKvTokenStore(kvs[0]),
    b: new DenoKvTokenStore(kvs[1]),
    dir,
    kvs,
    async [Symbol.asyncDispose]() {
      for (const kv of kvs) kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const kinds = [["FileTokenStore", filePair], [
  "DenoKvTokenStore",
  kvPair,
]] as const;

for (const [kind, pair] of kinds) {
  Deno.test(`${kind}: get and list of an empty store`, async () => {
    await using env = await pair();
    assertEquals(await env.a.get("1"), null);
    assertEquals(await env.a.list(), []);
  });

  Deno.test(`${kind}: set is a compare-and-set on the version`, async () => {
    await using env = await pair();
    const first = present(await env.a.set("1", token("one"), null));
    assertEquals(first.token.accessToken, token("one").accessToken);
    // Another instance sees it, token fields and version.
    const read = await env.b.get("1");
    assertEquals(read?.version, first.version);
    assertEquals(read?.token.toJSON(), first.token.toJSON());
    assert(read?.token instanceof AccessToken);
    // Expecting nothing, or an old version, fails and changes nothing.
    assertEquals(await env.b.set("1", token("two"), null), null);
    assertEquals(await env.b.set("1", token("two"), "not-a-version"), null);
    assertEquals(
      (await env.a.get("1"))?.token.accessToken,
      token("one").accessToken,
    );
    // The right version wins once; the same expected version then fails.
    const second = present(await env.b.set("1", token("two"), first.version));
    assertNotEquals(second.version, first.version);
    assertEquals(await env.a.set("1", token("three"), first.version), null);
    assertEquals((await env.a.get("1"))?.version, second.version);
  });

  Deno.test(`${kind}: a stored token reads back whole, its ID token too`, async () => {
    // Read through AccessToken.fromJSON; the parser before it dropped idToken.
    await using env = await pair();
    const withId = new AccessToken({
      ...token("id").toJSON(),
      scopes: ["openid"],
      idToken: "header.payload-of-an-id-token.signature",
    });
    await env.a.set("1", withId, null);
    assertEquals((await env.b.get("1"))?.token.toJSON(), withId.toJSON());
  });

  Deno.test(`${kind}: of concurrent writers expecting one version, exactly one wins`, async () => {
    await using env = await pair();
    const start = await env.a.set("1", token("start"), null);
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          (i % 2 ? env.a : env.b).set("1", token(`w${i}`), start!.version),
      ),
    );
    const winners = results.filter((r) => r !== null);
    assertEquals(winners.length, 1);
    assertEquals((await env.a.get("1"))?.version, winners[0]!.version);
  });

  Deno.test(`${kind}: versions never repeat, even after a delete`, async () => {
    await using env = await pair();
    const seen = new Set<string>();
    for (let round = 0; round < 5; round++) {
      let version: string | null = null;
      for (let i = 0; i < 4; i++) {
        const stored: StoredToken = present(
          await env.a.set("1", token(`${round}-${i}`), version),
        );
        assert(!seen.has(stored.version), `version ${stored.version} reused`);
        seen.add(stored.version);
        version = stored.version;
      }
      await env.b.delete("1");
      assertEquals(await env.a.get("1"), null);
    }
    assertEquals(seen.size, 20);
  });

  Deno.test(`${kind}: one live lease per user across instances`, async () => {
    await using env = await pair();
    const v1 = (await env.a.set("1", token("one"), null))!.version;
    const v2 = (await env.a.set("2", token("two"), null))!.version;
    const lease = present(await env.a.acquireLease("1", v1, 10_000));
    assertEquals(await env.b.acquireLease("1", v1, 10_000), null);
    assertEquals(await env.a.acquireLease("1", v1, 10_000), null);
    // Another user's lease is independent.
    const other = present(await env.b.acquireLease("2", v2, 10_000));
    await other.release();
    // Released: the other instance gets it.
    await lease.release();
    await lease.release(); // twice does nothing
    const next = present(await env.b.acquireLease("1", v1, 10_000));
    await next.release();
  });

  Deno.test(`${kind}: of concurrent lease requests, exactly one wins`, async () => {
    await using env = await pair();
    const { version } = (await env.a.set("1", token("one"), null))!;
    const leases = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => (i % 2 ? env.a : env.b).acquireLease("1", version, 10_000),
      ),
    );
    const held = leases.filter((l) => l !== null);
    assertEquals(held.length, 1);
    await held[0]!.release();
  });

  Deno.test(`${kind}: no lease at a version that is not the stored one`, async () => {
    await using env = await pair();
    assertEquals(await env.a.acquireLease("1", "v", 10_000), null); // no token
    const first = (await env.a.set("1", token("one"), null))!;
    const second = (await env.b.set("1", token("two"), first.version))!;
    assertEquals(await env.a.acquireLease("1", first.version, 10_000), null);
    const lease = present(
      await env.a.acquireLease("1", second.version, 10_000),
    );
    await lease.release();
  });

  Deno.test(`${kind}: a lease ends by itself after its ttl`, async () => {
    await using env = await pair();
    const { version } = (await env.a.set("1", token("one"), null))!;
    // Long enough that the check right after cannot outlive it, even under load.
    const ttl = 1_000;
    const expiring = present(await env.a.acquireLease("1", version, ttl));
    const expiresAt = Date.now() + ttl; // no earlier than the lease's end
    assertEquals(await env.b.acquireLease("1", version, 10_000), null);
    await new Promise((resolve) =>
      setTimeout(resolve, expiresAt - Date.now() + 20)
    );
    const next = present(
      await env.b.acquireLease("1", version, 10_000),
      "the expired lease still blocks",
    );
    // Releasing the expired lease must not end the new holder's.
    await expiring.release();
    assertEquals(await env.a.acquireLease("1", version, 10_000), null);
    await next.release();
  });

  Deno.test(`${kind}: a set ends the lease taken for the old version`, async () => {
    await using env = await pair();
    const first = (await env.a.set("1", token("one"), null))!;
    const lease = present(await env.a.acquireLease("1", first.version, 10_000));
    const second = (await env.a.set("1", token("two"), first.version))!;
    await lease.release();
    const next = present(await env.b.acquireLease("1", second.version, 10_000));
    await next.release();
  });

  Deno.test(`${kind}: delete removes the token and its lease; list lists users`, async () => {
    await using env = await pair();
    for (const id of ["1", "22", "333"]) {
      await env.a.set(id, token(id), null);
    }
    assertEquals((await env.b.list()).toSorted(), ["1", "22", "333"]);
    const { version } = (await env.a.get("22"))!;
    const lease = present(await env.a.acquireLease("22", version, 10_000));
    await env.b.delete("22");
    await env.b.delete("22"); // not stored: nothing happens
    await env.b.delete("4444");
    assertEquals(await env.a.get("22"), null);
    assertEquals((await env.a.list()).toSorted(), ["1", "333"]);
    const again = (await env.b.set("22", token("22b"), null))!;
    const next = present(
      await env.b.acquireLease("22", again.version, 10_000),
      "the deleted user's lease survived the delete",
    );
    await next.release();
    await lease.release();
  });

  Deno.test(`${kind}: bad arguments get InvalidArgumentError`, async () => {
    await using env = await pair();
    await assertRejects(() => env.a.get(""), InvalidArgumentError);
    await assertRejects(
      () => env.a.set("1", {} as AccessToken, null),
      InvalidArgumentError,
    );
    await assertRejects(
      () => env.a.acquireLease("1", "v", 0),
      InvalidArgumentError,
    );
    await assertRejects(
      () => env.a.acquireLease("1", "v", Number.NaN),
      InvalidArgumentError,
    );
  });
}

// -- FileTokenStore ----------------------------------------------------------

Deno.test({
  name: "FileTokenStore: the file and its lock file have mode 0600",
  ignore: isWindows,
  async fn() {
    await using env = await filePair();
    await env.a.set("1", token("one"), null);
    assertEquals((await Deno.stat(env.path)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${env.path}.lock`)).mode! & 0o777, 0o600);
    // An existing file with a wider mode is replaced by a 0600 one.
    await Deno.chmod(env.path, 0o644);
    const { version } = (await env.a.get("1"))!;
    await env.a.set("1", token("two"), version);
    assertEquals((await Deno.stat(env.path)).mode! & 0o777, 0o600);
  },
});

Deno.test({
  name: "FileTokenStore: writes replace the file, never rewrite it in place",
  ignore: isWindows,
  async fn() {
    await using env = await filePair();
    const first = (await env.a.set("1", token("one"), null))!;
    // A hard link keeps the old inode reachable: a write in place would show
    // through it, a rename never does.
    await Deno.link(env.path, `${env.dir}/old-link`);
    const before = await Deno.readTextFile(env.path);
    await env.a.set("1", token("two"), first.version);
    const lease = await env.a.acquireLease(
      "1",
      (await env.a.get("1"))!.version,
      10_000,
    );
    await lease!.release();
    await env.a.delete("1");
    assertEquals(await Deno.readTextFile(`${env.dir}/old-link`), before);
    assertNotEquals(await Deno.readTextFile(env.path), before);
  },
});

Deno.test("FileTokenStore: a killed writer's temporary file is gone after the next write", async () => {
  await using env = await filePair();
  const first = (await env.a.set("1", token("one"), null))!;
  await Deno.writeTextFile(`${env.path}.tmp`, '{"accessToken": "half-writ');
  assertEquals((await env.b.get("1"))?.version, first.version);
  await env.b.set("1", token("two"), first.version);
  const names = [];
  for await (const entry of Deno.readDir(env.dir)) names.push(entry.name);
  assertEquals(names.toSorted(), ["tokens.json", "tokens.json.lock"]);
  assertEquals(
    (await env.a.get("1"))?.token.accessToken,
    token("two").accessToken,
  );
});

Deno.test("FileTokenStore: a damaged file gets CorruptTokenStoreError naming the file and field, no token", async () => {
  await using env = await filePair();
  const cases: [string, string][] = [
    ["{ not json", "not JSON"],
    ["[1, 2]", "not a JSON object"],
    ['{"users": []}', "users"],
    ['{"users": {"1": {"accessToken": 5}}}', "accessToken"],
    [
      '{"accessToken": "secret-access-token-0000000000", "expiresIn": "soon"}',
      "expiresIn",
    ],
    [
      '{"access_token": "secret-access-token-0000000000", "expires_in": 1, "scope": 5}',
      "scope",
    ],
    [
      '{"accessToken": "secret-access-token-0000000000", "expiresIn": 1, "scopes": [], "obtainedAt": "yesterday"}',
      "obtainedAt",
    ],
  ];
  for (const [text, field] of cases) {
    await Deno.writeTextFile(env.path, text);
    for (
      const call of [
        () => env.a.get("1"),
        () => env.a.list(),
        () => env.a.set("1", token("one"), null),
      ]
    ) {
      const error = await assertRejects(call, CorruptTokenStoreError);
      assertStringIncludes(error.message, env.path);
      assertStringIncludes(error.message, field);
      assert(!error.message.includes("secret-access-token"), error.message);
    }
    assertEquals(await Deno.readTextFile(env.path), text); // left as it was
  }
});

Deno.test("FileTokenStore: reads a CLI token file (Twitch's fields) and AccessToken's JSON as the user \"default\"", async () => {
  await using env = await filePair();
  const obtainedAt = Date.parse("2026-12-01T10:00:00Z");
  const cli = {
    access_token: "cli-access-token-00000000000000",
    expires_in: 14_400,
    refresh_token: "cli-refresh-token-000000000000000000000000000000000",
    scope: ["chat:read", "chat:edit"],
    token_type: "bearer",
    obtained_at: obtainedAt,
  };
  await Deno.writeTextFile(env.path, JSON.stringify(cli));
  assertEquals(await env.a.list(), ["default"]);
  const read = (await env.a.get("default"))!;
  assertEquals(read.token.toJSON(), {
    accessToken: cli.access_token,
    refreshToken: cli.refresh_token,
    expiresIn: 14_400,
    scopes: ["chat:read", "chat:edit"],
    tokenType: "bearer",
    obtainedAt,
  });
  // The version of a file without one is stable, and works for a CAS.
  assertEquals((await env.b.get("default"))!.version, read.version);
  // Read by AccessToken.fromJSON: scope may be Twitch's space-separated
  // string; obtained_at is epoch milliseconds only (an ISO date is refused,
  // naming the field), or absent (then: expired).
  await Deno.writeTextFile(
    env.path,
    JSON.stringify({ ...cli, scope: "chat:read chat:edit" }),
  );
  assertEquals((await env.a.get("default"))!.token.scopes, cli.scope);
  await Deno.writeTextFile(
    env.path,
    JSON.stringify({ ...cli, obtained_at: new Date(obtainedAt).toISOString() }),
  );
  const iso = await assertRejects(
    () => env.a.get("default"),
    CorruptTokenStoreError,
  );
  assertStringIncludes(iso.message, "obtained_at");
  await Deno.writeTextFile(
    env.path,
    JSON.stringify({ ...cli, obtained_at: undefined }),
  );
  assert((await env.a.get("default"))!.token.isExpired());
  // AccessToken's own JSON, as JSON.stringify(token) writes it.
  await Deno.writeTextFile(env.path, JSON.stringify(token("own")));
  const own = (await env.a.get("default"))!;
  assertEquals(own.token.toJSON(), token("own", own.token.obtainedAt).toJSON());
  // Another token in the file is another version.
  assertNotEquals(own.version, read.version);
  // A write keeps the default token at the top level, in Twitch's spelling.
  await env.a.set("141981764", token("user"), null);
  const refreshed = (await env.a.set("default", token("new"), own.version))!;
  const data = JSON.parse(await Deno.readTextFile(env.path));
  assertEquals(AccessToken.fromJSON(data).toJSON(), refreshed.token.toJSON());
  assertEquals(data.version, refreshed.version);
  assertEquals(data.users["141981764"].access_token, token("user").accessToken);
  assertEquals((await env.b.list()).toSorted(), ["141981764", "default"]);
});

Deno.test("FileTokenStore: every token on disk in Twitch's spelling, before and after rewrites; unknown fields survive", async () => {
  await using env = await filePair();
  const twitchFields = [
    "access_token",
    "expires_in",
    "id_token",
    "obtained_at",
    "refresh_token",
    "scope",
    "token_type",
  ];
  const withId = (name: string) =>
    new AccessToken({ ...token(name).toJSON(), idToken: `id-token-${name}` });
  // A file someone else wrote: this module's old spelling at the top, fields
  // of their own at the top, in a user record and in a lease-free file.
  await Deno.writeTextFile(
    env.path,
    JSON.stringify({
      ...token("old").toJSON(),
      note: "written by hand",
      users: { "42": { ...token("u42").toJSON(), label: "alt account" } },
    }),
  );
  let version = (await env.a.get("default"))!.version;
  let user = (await env.a.get("42"))!.version;
  for (let round = 0; round < 3; round++) {
    version = (await env.a.set("default", withId(`d${round}`), version))!
      .version;
    user = (await env.b.set("42", withId(`u${round}`), user))!.version;
    await env.a.set(`other${round}`, token(`o${round}`), null);
    const data = JSON.parse(await Deno.readTextFile(env.path));
    const top = Object.keys(data).filter((k) => twitchFields.includes(k));
    assertEquals(top.toSorted(), twitchFields);
    assertEquals(data.access_token, withId(`d${round}`).accessToken);
    assertEquals(data.refresh_token, withId(`d${round}`).refreshToken);
    assertEquals(data.id_token, `id-token-d${round}`);
    assertEquals(data.scope, ["chat:read"]);
    assertEquals(data.note, "written by hand");
    assertEquals(data.users["42"].label, "alt account");
    for (const [key, record] of Object.entries(data.users)) {
      const fields = Object.keys(record as object);
      assert(!fields.some((f) => /[A-Z]/.test(f)), `${key}: ${fields}`);
      assert(fields.includes("access_token") && fields.includes("version"));
    }
    assert(!("accessToken" in data) && !("obtainedAt" in data));
  }
  assertEquals((await env.b.get("42"))!.token.idToken, "id-token-u2");
  // A deleted user's own fields go with it.
  await env.a.delete("42");
  const after = JSON.parse(await Deno.readTextFile(env.path));
  assertEquals(after.users["42"], undefined);
  assertEquals(after.note, "written by hand");
});

Deno.test("FileTokenStore: two instances in one process queue on the file lock without losing a write", async () => {
  await using env = await filePair();
  // 50 users written at once through two instances: each write is a
  // read-modify-write of the whole file, so a missing lock loses users.
  await Promise.all(
    Array.from(
      { length: 50 },
      (_, i) => (i % 2 ? env.a : env.b).set(`${i}`, token(`${i}`), null),
    ),
  );
  assertEquals((await env.a.list()).length, 50);
});

Deno.test("FileTokenStore: an empty path, or a folder that does not exist, gets InvalidArgumentError", async () => {
  await using env = await filePair();
  const missing = new FileTokenStore(`${env.dir}/nowhere/tokens.json`);
  assertEquals(await missing.get("1"), null); // nothing stored there
  const error = await assertRejects(
    () => missing.set("1", token("one"), null),
    InvalidArgumentError,
  );
  assertStringIncludes(error.message, "nowhere/tokens.json");
  let caught: unknown;
  try {
    new FileTokenStore("");
  } catch (error) {
    caught = error;
  }
  assert(caught instanceof InvalidArgumentError);
});

// -- DenoKvTokenStore ----------------------------------------------------------

Deno.test("DenoKvTokenStore: prefixes keep stores apart; the version is the versionstamp", async () => {
  await using kv = await Deno.openKv(":memory:");
  const one = new DenoKvTokenStore(kv, { prefix: ["app-one"] });
  const two = new DenoKvTokenStore(kv, { prefix: ["app-two"] });
  const stored = (await one.set("1", token("one"), null))!;
  assertEquals(await two.get("1"), null);
  assertEquals(await two.list(), []);
  const entry = await kv.get(["app-one", "token", "1"]);
  assertEquals(entry.versionstamp, stored.version);
  assertEquals(await new DenoKvTokenStore(kv).list(), []);
});

Deno.test("DenoKvTokenStore: a damaged record gets CorruptTokenStoreError; a non-KV argument InvalidArgumentError", async () => {
  await using kv = await Deno.openKv(":memory:");
  const store = new DenoKvTokenStore(kv);
  await kv.set(["twitch-auth", "token", "1"], { accessToken: 5 });
  const error = await assertRejects(
    () => store.get("1"),
    CorruptTokenStoreError,
  );
  assertStringIncludes(error.message, "accessToken");
  await kv.set(["twitch-auth", "token", "1"], "text");
  await assertRejects(() => store.get("1"), CorruptTokenStoreError);
  let caught: unknown;
  try {
    new DenoKvTokenStore({} as Deno.Kv);
  } catch (error) {
    caught = error;
  }
  assert(caught instanceof InvalidArgumentError);
});
