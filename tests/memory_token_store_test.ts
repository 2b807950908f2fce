import { MemoryTokenStore } from "../mod.ts";
import { testTokenStoreConformance } from "./_token_store_conformance.ts";

testTokenStoreConformance("MemoryTokenStore", () => {
  const store = new MemoryTokenStore();
  return Promise.resolve({
    store,
    openAnother: () => Promise.resolve(store),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  });
});
