// The shared TokenStore contract (testTokenStore from ./testing, written
// against MemoryTokenStore) run on the two stores that processes share.

import { DenoKvTokenStore, FileTokenStore } from "../mod.ts";
import { testTokenStore } from "../testing.ts";

testTokenStore("FileTokenStore", async () => {
  const dir = await Deno.makeTempDir({ prefix: "conformance_" });
  const path = `${dir}/tokens.json`;
  return {
    store: new FileTokenStore(path),
    openAnother: () => Promise.resolve(new FileTokenStore(path)),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
});

testTokenStore("DenoKvTokenStore", async () => {
  const dir = await Deno.makeTempDir({ prefix: "conformance_" });
  const path = `${dir}/tokens.kv`;
  const opened: Deno.Kv[] = [await Deno.openKv(path)];
  return {
    store: new DenoKvTokenStore(opened[0]),
    async openAnother() {
      const kv = await Deno.openKv(path);
      opened.push(kv);
      return new DenoKvTokenStore(kv);
    },
    async [Symbol.asyncDispose]() {
      for (const kv of opened) kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});
