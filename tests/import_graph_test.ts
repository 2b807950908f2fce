// What `import ... from "@x/twitch-auth"` loads: the static module graph of
// mod.ts (what runs before its first line), read from `deno info --json`.
// Each module costs start-up time (tests/import_bench.ts measures it), so
// what only the CLI, the login handler or an ID token check needs loads on
// first use, and no npm package loads at all (the npm layer's start-up alone
// costs about a millisecond). Deno also reads and resolves, at every start,
// each module a literal `import("./x.ts")` leads to (without running it):
// the CLI, behind a computed specifier, stays out of that too.

import { assertEquals, assertFalse } from "@std/assert";

const ROOT = new URL("..", import.meta.url);

interface Dependency {
  code?: { specifier: string };
  isDynamic?: boolean;
}
interface Info {
  roots: string[];
  redirects: Record<string, string>;
  modules: { specifier: string; dependencies?: Dependency[] }[];
}

/**
 * The specifiers `entry` loads statically (with `dynamic`, also those behind
 * a literal `import()`, which Deno reads and resolves up front), relative to
 * the repository.
 */
async function staticGraph(
  entry: string,
  { dynamic = false } = {},
): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const info: Info = JSON.parse(new TextDecoder().decode(output.stdout));
  const resolve = (s: string) => info.redirects[s] ?? s;
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const todo = [resolve(info.roots[0])];
  while (todo.length > 0) {
    const specifier = todo.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.code && (dynamic || !dependency.isDynamic)) {
        todo.push(resolve(dependency.code.specifier));
      }
    }
  }
  return new Set([...seen].map((s) => s.replace(ROOT.href, "")));
}

Deno.test("importing mod.ts loads no npm package, and nothing that only the CLI, the login handler, the local sign-in's server or an ID token check needs", async () => {
  const graph = await staticGraph("mod.ts");
  assertEquals([...graph].filter((s) => s.startsWith("npm:")), []);
  for (
    const lazy of [
      "src/cli/_main.ts",
      "src/cli/_help.ts",
      "src/web/_login_flow.ts",
      "src/web/_login_cookie.ts",
      "src/web/_id_token_claims.ts",
      "src/web/_jose.ts",
      "src/deno/_callback_server.ts",
      "src/deno/_http_listener.ts",
      "src/deno/_open_browser.ts",
    ]
  ) {
    assertFalse(graph.has(lazy), `mod.ts loads ${lazy} at import`);
  }
  // Sanity: the walk sees the graph at all.
  assertEquals(graph.has("src/web/login_handler.ts"), true);
});

Deno.test("nothing of the CLI is even read when mod.ts is imported: its import() is computed", async () => {
  const graph = await staticGraph("mod.ts", { dynamic: true });
  assertEquals([...graph].filter((s) => s.startsWith("src/cli/")), []);
  assertEquals([...graph].filter((s) => s.includes("deno-std@1.4.0/cli")), []);
  // Sanity: the walk follows literal import()s (the login flow's).
  assertEquals(graph.has("src/web/_login_flow.ts"), true);
});

Deno.test("--help and --version alone are answered without the CLI's option parser, as the full CLI answers them", async () => {
  // An import map that breaks the option parser's import: the full CLI then
  // fails to load, the help text alone does not.
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  );
  const dir = await Deno.makeTempDir();
  try {
    const map = `${dir}/import_map.json`;
    await Deno.writeTextFile(
      map,
      JSON.stringify({
        imports: {
          ...config.imports,
          "@std/cli/parse-args": "./no_such_parser.js",
        },
      }),
    );
    const run = async (importMap: string[], args: string[]) => {
      const { code, stdout } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", ...importMap, "mod.ts", ...args],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).output();
      return { code, stdout: new TextDecoder().decode(stdout) };
    };
    for (const flag of ["--help", "-h", "--version", "-V"]) {
      const quick = await run([`--import-map=${map}`], [flag]);
      const full = await run([], ["--format", "json", flag]);
      assertEquals(quick.code, 0, `mod.ts ${flag} loaded the option parser`);
      assertEquals(full.code, 0);
      assertEquals(quick.stdout, full.stdout);
    }
    // Sanity: with any other argument the full CLI loads, and fails to here.
    const other = await run([`--import-map=${map}`], [
      "--format",
      "json",
      "-V",
    ]);
    assertEquals(other.code === 0, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
