/**
 * The contract of `TokenStore` as tests, for any store: the one in this
 * package, and a store of your own.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertNotEquals,
  assertStrictEquals,
} from "@std/assert";
import { AccessToken } from "../web/access_token.ts";
import type { TokenLease, TokenStore } from "../web/token_store.ts";

/**
 * A store under test, and how to clean it up: what `makeStore` gives
 * {@linkcode testTokenStore} for each case.
 *
 * @example A fixture on a fresh database table
 * ```ts ignore
 * import type { TokenStoreFixture } from "@x/twitch-auth/testing";
 *
 * declare function openMyStore(table: string): MyStore;
 * async function makeStore(): Promise<TokenStoreFixture> {
 *   const table = `tokens_${crypto.randomUUID().replaceAll("-", "")}`;
 *   const store = openMyStore(table);
 *   return {
 *     store,
 *     openAnother: () => Promise.resolve(openMyStore(table)),
 *     [Symbol.asyncDispose]: () => store.drop(),
 *   };
 * }
 * ```
 */
export interface TokenStoreFixture extends AsyncDisposable {
  /** The store, empty. */
  store: TokenStore;
  /**
   * Another handle on the same data, as a second process would open it
   * (a second `FileTokenStore` on the same path, a second KV connection).
   * Leave it out when the store has no such thing; the fixture's dispose
   * must close what this opens.
   */
  openAnother?(): Promise<TokenStore>;
}

/** A distinct token per `n`, with every field set. */
function sampleToken(n: number, refresh = true): AccessToken {
  return new AccessToken({
    accessToken: `access${String(n).padStart(24, "0")}`,
    ...(refresh
      ? { refreshToken: `refresh${String(n).padStart(43, "0")}` }
      : {}),
    expiresIn: 14_400 + n,
    scopes: ["chat:read", `scope:${n}`],
    tokenType: "bearer",
    obtainedAt: 1_700_000_000_000 + n,
  });
}

/** `value`, failing the test when it is null. */
function present<T>(value: T | null | undefined, what: string): T {
  assert(value !== null && value !== undefined, what);
  return value as T;
}

/** A 30 s lease on user "1" at `version`, which the store must grant (`what` if it does not). */
async function leaseOn(
  store: TokenStore,
  version: string,
  what: string,
): Promise<TokenLease> {
  return present(await store.acquireLease("1", version, 30_000), what);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One case of the {@linkcode TokenStore} contract, for any test runner.
 *
 * @example Run the cases under another runner
 * ```ts ignore
 * import { tokenStoreCases } from "@x/twitch-auth/testing";
 *
 * for (const { name, fn } of tokenStoreCases(makeStore)) it(name, fn);
 * ```
 */
export interface TokenStoreCase {
  /** What the case checks, such as "compare-and-set refuses a stale or missing version". */
  readonly name: string;
  /** Runs the case on a fresh store from `makeStore`; rejects when it fails. */
  readonly fn: () => Promise<void>;
}

/**
 * The rules of the {@linkcode TokenStore} contract as test cases, each on a
 * fresh store from `makeStore`, for any test runner (Node's `node:test`,
 * Vitest, Bun): the same cases {@linkcode testTokenStore} registers with
 * `Deno.test`.
 *
 * @param makeStore Makes an empty store for one case, and its clean-up.
 * @returns The cases, in order.
 *
 * @example Run them with node:test
 * ```ts ignore
 * import { test } from "node:test";
 * import { tokenStoreCases } from "@x/twitch-auth/testing";
 *
 * for (const { name, fn } of tokenStoreCases(makeStore)) test(name, fn);
 * ```
 */
export function tokenStoreCases(
  makeStore: () => Promise<TokenStoreFixture>,
): TokenStoreCase[] {
  const cases: TokenStoreCase[] = [];
  const test = (
    name: string,
    run: (store: TokenStore, fixture: TokenStoreFixture) => Promise<void>,
  ) =>
    cases.push({
      name,
      fn: async () => {
        await using fixture = await makeStore();
        await run(fixture.store, fixture);
      },
    });

  test("an empty store has no tokens and no users", async (store) => {
    assertEquals(await store.get("1"), null);
    assertEquals(await store.list(), []);
  });

  test("set with null creates, get reads back every field", async (store) => {
    const written = present(
      await store.set("1", sampleToken(1), null),
      "the first write was refused",
    );
    assertEquals(written.token.toJSON(), sampleToken(1).toJSON());
    const read = present(await store.get("1"), "read is missing");
    assertEquals(read.version, written.version);
    assertEquals(read.token.toJSON(), sampleToken(1).toJSON());
    assert(read.token instanceof AccessToken);
    present(await store.set("app", sampleToken(2, false), null), "app token");
    assertEquals((await store.get("app"))?.token.refreshToken, undefined);
  });

  test("compare-and-set refuses a stale or missing version", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    assertEquals(await store.set("1", sampleToken(9), null), null);
    const v2 = (await store.set("1", sampleToken(2), v1))!.version;
    assertNotEquals(v2, v1);
    assertEquals(await store.set("1", sampleToken(3), v1), null); // stale
    assertEquals(await store.set("2", sampleToken(3), v2), null); // nothing there
    assertEquals(
      (await store.get("1"))!.token.toJSON(),
      sampleToken(2).toJSON(),
    );
    assertEquals(await store.get("2"), null);
  });

  test("of concurrent writers on one version exactly one wins", async (store) => {
    const v1 = (await store.set("1", sampleToken(0), null))!.version;
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => store.set("1", sampleToken(i + 1), v1),
      ),
    );
    const winners = results.filter((r) => r !== null);
    assertEquals(winners.length, 1);
    const stored = (await store.get("1"))!;
    assertEquals(stored.version, winners[0]!.version);
    assertEquals(stored.token.toJSON(), winners[0]!.token.toJSON());
  });

  test("versions are never reused, not even after a delete", async (store) => {
    const seen = new Set<string>();
    let version: string | null = null;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) {
        const written: { version: string } = present(
          await store.set("1", sampleToken(i), version),
          "a write was refused",
        );
        assertEquals(seen.has(written.version), false, "a version came back");
        seen.add(written.version);
        version = written.version;
      }
      await store.delete("1");
      version = null;
    }
    assertEquals(seen.size, 15);
  });

  test("one live lease per user; another version is refused", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    await store.set("2", sampleToken(2), null);
    const lease = await leaseOn(store, v1, "the first lease was refused");
    assertEquals(await store.acquireLease("1", v1, 30_000), null);
    const v2 = (await store.get("2"))!.version;
    const other = await store.acquireLease("2", v2, 30_000); // other users are free
    assert(other);
    assertEquals(await store.acquireLease("3", v1, 30_000), null); // no token
    await lease.release();
    await other!.release();
    assertEquals(await store.acquireLease("1", `${v1}-not`, 30_000), null);
  });

  test("of concurrent lease takers exactly one wins", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    const leases = await Promise.all(
      Array.from({ length: 20 }, () => store.acquireLease("1", v1, 30_000)),
    );
    assertEquals(leases.filter((l) => l !== null).length, 1);
    await Promise.all(leases.map((l) => l?.release()));
  });

  test("a lease on an old version is refused after a write", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    await store.set("1", sampleToken(2), v1);
    assertEquals(await store.acquireLease("1", v1, 30_000), null);
  });

  test("a lease ends after its ttl", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    const ttl = 200;
    const started = Date.now();
    const first = present(await store.acquireLease("1", v1, ttl), "no lease");
    if (Date.now() - started < ttl / 2) {
      assertEquals(await store.acquireLease("1", v1, ttl), null);
    }
    await delay(Math.max(0, started + ttl + 100 - Date.now()));
    const second = await leaseOn(store, v1, "the lease did not expire");
    await first.release(); // an expired lease's release leaves the new one alone
    assertEquals(await store.acquireLease("1", v1, 30_000), null);
    await second.release();
  });

  test("release frees the lease; releasing twice does nothing", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    const first = await leaseOn(store, v1, "first is missing");
    await first.release();
    const second = await leaseOn(store, v1, "release did not free the lease");
    await first.release();
    assertEquals(await store.acquireLease("1", v1, 30_000), null);
    await second.release();
    await second.release();
  });

  test("delete removes the token and its lease", async (store) => {
    const v1 = (await store.set("1", sampleToken(1), null))!.version;
    const lease = await leaseOn(store, v1, "lease is missing");
    await store.delete("1");
    assertEquals(await store.get("1"), null);
    const v2 = (await store.set("1", sampleToken(2), null))!.version;
    const again = await leaseOn(
      store,
      v2,
      "the deleted user's lease still blocks",
    );
    await lease.release();
    await again.release();
    await store.delete("1");
    await store.delete("never-stored");
  });

  test("list names the users with a token", async (store) => {
    for (const id of ["30", "10", "20"]) {
      await store.set(id, sampleToken(1), null);
    }
    await store.delete("20");
    assertEquals((await store.list()).toSorted(), ["10", "30"]);
  });

  test(
    "two handles on the same data share versions and leases",
    async (store, fixture) => {
      if (!fixture.openAnother) return;
      const other = await fixture.openAnother();
      const v1 = (await store.set("1", sampleToken(1), null))!.version;
      assertEquals((await other.get("1"))?.version, v1);
      const lease = await store.acquireLease("1", v1, 30_000);
      assert(lease);
      assertEquals(await other.acquireLease("1", v1, 30_000), null);
      await lease!.release();
      const v2 = (await other.set("1", sampleToken(2), v1))!.version;
      assertEquals(await store.set("1", sampleToken(3), v1), null);
      assertStrictEquals((await store.get("1"))?.version, v2);
      assertEquals(
        (await store.get("1"))!.token.toJSON(),
        sampleToken(2).toJSON(),
      );
      const results = await Promise.all([
        store.set("1", sampleToken(4), v2),
        other.set("1", sampleToken(5), v2),
      ]);
      assertEquals(results.filter((r) => r !== null).length, 1);
    },
  );
  // `claim` is optional: a store without it skips these.
  const claimOf = (store: TokenStore) =>
    (store as { claim?: (key: string, ttl: number) => Promise<boolean> })
      .claim?.bind(store);

  test("of concurrent claims on a key exactly one wins", async (store) => {
    const claim = claimOf(store);
    if (!claim) return;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => claim("validate:1", 30_000)),
    );
    assertEquals(results.filter((won) => won).length, 1);
    assertEquals(await claim("validate:2", 30_000), true); // other keys are free
  });

  test(
    "a claim ends after its ttl, and lives apart from tokens",
    async (store, fixture) => {
      const claim = claimOf(store);
      if (!claim) return;
      await store.set("1", sampleToken(1), null);
      const ttl = 200;
      const started = Date.now();
      assertEquals(await claim("1", ttl), true);
      if (Date.now() - started < ttl / 2) {
        assertEquals(await claim("1", ttl), false);
        const other = fixture.openAnother ? await fixture.openAnother() : store;
        assertEquals(await claimOf(other)?.("1", ttl), false);
      }
      assertEquals(await store.list(), ["1"]); // a claim is not a user
      const v1 = (await store.get("1"))!.version;
      const lease = present(
        await store.acquireLease("1", v1, 30_000),
        "a claim blocked the user's lease",
      );
      await lease.release();
      await store.delete("1"); // leaves the claim
      if (Date.now() - started < ttl / 2) {
        assertEquals(await claim("1", ttl), false);
      }
      await delay(Math.max(0, started + ttl + 100 - Date.now()));
      assertEquals(await claim("1", 30_000), true, "the claim did not expire");
    },
  );

  // The reserved app-token keys (`app:<clientId>`): kept, versioned and
  // leased like a user's token, never listed.
  test("app: keys hold tokens but are not listed", async (store) => {
    const written = present(
      await store.set("app:my_app_id", sampleToken(2, false), null),
      "the app token was not written",
    );
    const lease = present(
      await store.acquireLease("app:my_app_id", written.version, 1_000),
      "no lease on the app token",
    );
    await lease.release();
    await store.set("141981764", sampleToken(1), null);
    assertEquals(await store.list(), ["141981764"]);
    assertEquals((await store.get("app:my_app_id"))?.version, written.version);
  });

  return cases;
}

/**
 * Registers one `Deno.test` per rule of the {@linkcode TokenStore} contract,
 * named `"<name>: <rule>"`, each on a fresh store from `makeStore`: check a
 * store of your own against the rules `TokenProvider` relies on
 * (compare-and-set, versions never reused, one live lease per user, lease
 * expiry and release, two handles on the same data).
 *
 * @param name The store's name, the first part of each test's name.
 * @param makeStore Makes an empty store for one case, and its clean-up.
 *
 * @example Check a store of your own
 * ```ts
 * import { MemoryTokenStore } from "@x/twitch-auth";
 * import { testTokenStore } from "@x/twitch-auth/testing";
 *
 * testTokenStore("MemoryTokenStore", () => {
 *   const store = new MemoryTokenStore();
 *   return Promise.resolve({
 *     store,
 *     openAnother: () => Promise.resolve(store),
 *     [Symbol.asyncDispose]: () => Promise.resolve(),
 *   });
 * });
 * ```
 */
export function testTokenStore(
  name: string,
  makeStore: () => Promise<TokenStoreFixture>,
): void {
  for (const { name: rule, fn } of tokenStoreCases(makeStore)) {
    Deno.test(`${name}: ${rule}`, fn);
  }
}
