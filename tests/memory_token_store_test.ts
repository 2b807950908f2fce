import { MemoryTokenStore } from "../mod.ts";
import { testTokenStore } from "../testing.ts";

testTokenStore("MemoryTokenStore", () => {
  const store = new MemoryTokenStore();
  return Promise.resolve({
    store,
    openAnother: () => Promise.resolve(store),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  });
});
