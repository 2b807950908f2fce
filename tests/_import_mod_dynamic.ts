// A program that only imports the module with import() (tests/import_bench.ts).
const module = await import("../mod.ts");
if (!module.TokenProvider) throw new Error("mod.ts did not load");
