// The two additions to the TokenStore contract for fleets (issue 16, item 4)
// on the stores of this package: `claim` (one winner per key while it lives,
// apart from tokens and leases) and the reserved `app:` keys that `list`
// leaves out. (The Durable Object: cloudflare_test.ts.)

import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  DenoKvTokenStore,
  FileTokenStore,
  InvalidArgumentError,
  MemoryTokenStore,
  type TokenStore,
} from "../mod.ts";
import { randomToken } from "./_token_keys.ts";

const stores: [string, () => Promise<TokenStore & AsyncDisposable>][] = [
  [
    "MemoryTokenStore",
    () =>
      Promise.resolve(Object.assign(new MemoryTokenStore(), {
        [Symbol.asyncDispose]: () => Promise.resolve(),
      })),
  ],
  ["FileTokenStore", async () => {
    const dir = await Deno.makeTempDir();
    return Object.assign(new FileTokenStore(`${dir}/tokens.json`), {
      [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
    });
  }],
  ["DenoKvTokenStore", async () => {
    const kv = await Deno.openKv(":memory:");
    return Object.assign(new DenoKvTokenStore(kv), {
      [Symbol.asyncDispose]: () => Promise.resolve(kv.close()),
    });
  }],
];

for (const [name, open] of stores) {
  Deno.test(`${name}: of concurrent claims on a key one wins; it ends after its ttl and lives apart from tokens`, async () => {
    await using store = await open();
    const claim = store.claim!.bind(store);
    const won = await Promise.all(
      Array.from({ length: 10 }, () => claim("validate:1", 200)),
    );
    assertEquals(won.filter(Boolean).length, 1);
    assertEquals(await claim("validate:1", 200), false);
    assertEquals(await claim("validate:2", 200), true); // another key
    assertEquals(await store.list(), []); // not a token
    await store.set("1", randomToken(), null);
    await store.delete("1"); // leaves the claim
    assertEquals(await claim("validate:1", 200), false);
    await new Promise((r) => setTimeout(r, 250));
    assertEquals(await claim("validate:1", 200), true);
    await assertRejects(() => claim("", 100), InvalidArgumentError);
    await assertRejects(() => claim("k", 0), InvalidArgumentError);
  });

  Deno.test(`${name}: app: keys hold tokens but are not listed`, async () => {
    await using store = await open();
    await store.set("1", randomToken(), null);
    const app = await store.set("app:my_app_id", randomToken(), null);
    if (!app) throw new Error("the app token was not written");
    assertEquals(await store.list(), ["1"]);
    assertEquals(
      (await store.get("app:my_app_id"))?.version,
      app.version,
    );
    assert(await store.acquireLease("app:my_app_id", app.version, 1_000));
  });
}
