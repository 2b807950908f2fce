// A program that only imports the module statically (tests/import_bench.ts).
import * as module from "../mod.ts";
if (!module.TokenProvider) throw new Error("mod.ts did not load");
