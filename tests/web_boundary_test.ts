// `src/web/` is what edge functions, Bun and Node import through `web.ts`:
// it may use only web-standard APIs. These tests hold that line.

import { assert, assertEquals } from "@std/assert";
import { bundle } from "./_bundle.ts";
import { tempDir } from "./_util.ts";

const ROOT = new URL("..", import.meta.url);
const WEB = new URL("src/web/", ROOT);

// Packages (bare names mapped in deno.json) that src/web/ may import: each is
// web-standard itself (fetch, WebCrypto only) and runs on every runtime we
// claim: `jose` verifies ID tokens on Workers, Deno, Bun, Node and browsers;
// std's cookie module is marked browser-compatible and imports nothing.
const WEB_SAFE_PACKAGES = new Set(["jose", "@std/http/cookie"]);

const COMMENT_OR_STRING =
  /\/\*[\s\S]*?\*\/|\/\/[^\n]*|(["'`])(?:\\[\s\S]|(?!\1)[^\\])*\1/g;

/** Source text without comments; strings blanked too unless `keepStrings`. */
function codeOnly(source: string, keepStrings = false): string {
  return source.replace(
    COMMENT_OR_STRING,
    (match) => match.startsWith("/") ? " " : keepStrings ? match : '""',
  );
}

/** Why a file under `src/web/` breaks the boundary, if it does. */
function boundaryViolations(path: string, source: string): string[] {
  const found: string[] = [];
  const code = codeOnly(source);
  if (/(?<![\w$.])Deno\s*(\.|\[)/.test(code)) found.push(`${path} uses Deno.*`);
  if (/\bglobalThis\s*\.\s*Deno\b/.test(code)) found.push(`${path} uses Deno`);
  const specifiers = [
    ...codeOnly(source, true).matchAll(
      /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"']+)\1/g,
    ),
  ].map((m) => m[2]);
  for (const specifier of specifiers) {
    if (specifier.startsWith("node:")) {
      found.push(`${path} imports ${specifier}`);
    } else if (specifier.startsWith(".")) {
      const target = new URL(specifier, new URL(path, WEB)).href;
      if (!target.startsWith(WEB.href)) {
        found.push(`${path} imports ${specifier}, outside src/web/`);
      }
    } else if (!WEB_SAFE_PACKAGES.has(specifier)) {
      found.push(`${path} imports ${specifier}, not a web-only module`);
    }
  }
  return found;
}

async function* webFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* webFiles(url);
    else if (/\.(ts|js|mjs)$/.test(entry.name)) yield url;
  }
}

Deno.test("no file under src/web/ uses Deno, node: or anything outside src/web/", async () => {
  const violations: string[] = [];
  let files = 0;
  for await (const url of webFiles(WEB)) {
    files++;
    const path = url.href.slice(WEB.href.length);
    violations.push(...boundaryViolations(path, await Deno.readTextFile(url)));
  }
  assert(files > 10, `only ${files} files found under src/web/`);
  assertEquals(violations, []);
});

Deno.test("the boundary check catches what it is there to catch", () => {
  const bad = {
    "a.ts": "const f = await Deno.readTextFile('x');",
    "b.ts": "const env = Deno['env'];",
    "c.ts": 'import { readFile } from "node:fs/promises";',
    "d.ts": 'import { serve } from "../deno/callback_server.ts";',
    "e.ts": 'const m = await import("../cli/main.ts");',
    "f.ts": 'import { parseArgs } from "@std/cli/parse-args";',
    "g.ts": "const d = globalThis.Deno;",
    "h.ts": 'import { STATUS_TEXT } from "@std/http/status";',
    "i.ts": 'import { x } from "jose-but-not-jose";',
  };
  for (const [path, source] of Object.entries(bad)) {
    assert(boundaryViolations(path, source).length > 0, `${path} passed`);
  }
  const good = [
    '// Deno.inspect shows it redacted\nconst s = Symbol.for("Deno.customInspect");',
    'import { redact } from "./redact.ts";',
    'import { jwtVerify } from "jose";',
    'import { getCookies } from "@std/http/cookie";',
    "/** ```ts\n * await Deno.writeTextFile('t', x);\n * ``` */ export const x = 1;",
  ];
  for (const source of good) {
    assertEquals(boundaryViolations("ok.ts", source), []);
  }
});

Deno.test("web.ts bundles for the browser platform with no Deno API in it", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const out = `${dir}/web.js`;
  await bundle("web.ts", out, { minify: true });
  const text = await Deno.readTextFile(out);
  assert(text.includes("id.twitch.tv"), "the bundle lacks the helpers");
  // The only "Deno." allowed is the name of the inspect symbol, a string.
  const uses = text.replaceAll("Deno.customInspect", "").match(/Deno\./g);
  assertEquals(uses, null, "the web bundle mentions Deno.");
  assert(!/\bnode:/.test(text), "the web bundle imports node: modules");
});

Deno.test("the fleet stores load only when asked for: web.ts leaves them out, redis.ts and postgres.ts bundle on their own without Deno, node: or a client library", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await bundle("web.ts", `${dir}/web.js`, { minify: true });
    const web = await Deno.readTextFile(`${dir}/web.js`);
    for (const name of ["RedisTokenStore", "PostgresTokenStore", "EVAL"]) {
      assert(!web.includes(name), `the web bundle carries ${name}`);
    }
    for (const entry of ["redis.ts", "postgres.ts"]) {
      const out = `${dir}/${entry.replace(".ts", ".js")}`;
      await bundle(entry, out, { minify: true });
      const text = await Deno.readTextFile(out);
      assert(/TokenStore/.test(text), `${entry} bundled empty`);
      const uses = text.replaceAll("Deno.customInspect", "").match(/Deno\./g);
      assertEquals(uses, null, `${entry} mentions Deno.`);
      assert(!/\bnode:/.test(text), `${entry} imports node: modules`);
      // No client library inside: the smallest of them (postgres.js) is
      // over 60 kB minified; the stores with what they share are under 30.
      assert(text.length < 30_000, `${entry} is ${text.length} bytes`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
