// What `import ... from "@x/twitch-auth"` loads: the static module graph of
// mod.ts (what runs before its first line), read from `deno info --json`.
// Each module costs start-up time (tests/import_bench.ts measures it), so
// what only the CLI, the login handler or an ID token check needs loads on
// first use, and no npm package loads at all (the npm layer's start-up alone
// costs about a millisecond).

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

/** The specifiers `entry` loads statically, relative to the repository. */
async function staticGraph(entry: string): Promise<Set<string>> {
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
      if (dependency.code && !dependency.isDynamic) {
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
      "src/cli/main.ts",
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
