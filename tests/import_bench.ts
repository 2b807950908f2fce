// What importing the module costs, side by side with Deno starting at all:
// `deno eval 0` (the floor), a program that statically imports mod.ts
// (tests/_import_mod.ts), one that `import()`s it
// (tests/_import_mod_dynamic.ts), and `deno run -A mod.ts --help`. Each is a
// real subprocess run to its end. The goal: the static import and --help within
// 1.3x of the floor, the dynamic import as close to it as the graph allows.
//
// Deno.bench times wall clock, which on a shared, loaded machine mostly
// measures waiting for a core; so before the benchmarks, the same four run
// interleaved and their median CPU time (user + system) is printed with its
// ratio to the floor: the numbers the goal is about.
//
// Also the size edge users pay: a Worker that imports only
// `createTwitchLoginHandler` (tests/_login_only_worker.ts) and the whole
// web.ts, bundled with `deno bundle --platform browser --minify`, gzipped;
// the sizes are printed before the benchmarks run.

import { bundle } from "./_bundle.ts";
import { timeRun } from "./_timed_run.ts";
import { gzippedSize } from "./_gzip.ts";
import { medianCpuTimes } from "./_cpu_time.ts";

const group = "import cost (subprocess, to exit)";
const runs = { n: 40, warmup: 3 };
const commands: [string, string[]][] = [
  ["deno eval 0 (floor)", ["eval", "0"]],
  ["static import of mod.ts", ["run", "-A", "tests/_import_mod.ts"]],
  ["dynamic import() of mod.ts", ["run", "-A", "tests/_import_mod_dynamic.ts"]],
  ["deno run -A mod.ts --help", ["run", "-A", "mod.ts", "--help"]],
];

const medians = await medianCpuTimes(commands.map(([, args]) => args), 60);
console.log("CPU time (user + sys), median of 60 interleaved runs:");
for (const [i, [name]] of commands.entries()) {
  const ratio = (medians[i] / medians[0]).toFixed(2);
  console.log(`  ${name}: ${medians[i].toFixed(1)} ms, ${ratio}x the floor`);
}

Deno.bench({
  name: "deno eval 0 (floor)",
  group,
  baseline: true,
  ...runs,
  fn: async (b) => await timeRun(b, ["eval", "0"]),
});

Deno.bench({
  name: "static import of mod.ts",
  group,
  ...runs,
  fn: async (b) => await timeRun(b, ["run", "-A", "tests/_import_mod.ts"]),
});

Deno.bench({
  name: "dynamic import() of mod.ts",
  group,
  ...runs,
  fn: async (b) =>
    await timeRun(b, ["run", "-A", "tests/_import_mod_dynamic.ts"]),
});

Deno.bench({
  name: "deno run -A mod.ts --help",
  group,
  ...runs,
  fn: async (b) => await timeRun(b, ["run", "-A", "mod.ts", "--help"]),
});

const dir = await Deno.makeTempDir();
try {
  for (const entry of ["tests/_login_only_worker.ts", "web.ts"]) {
    await bundle(entry, `${dir}/out.js`, { minify: true });
    const size = await gzippedSize(`${dir}/out.js`);
    console.log(`${entry} bundled, minified, gzipped: ${size} bytes`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
