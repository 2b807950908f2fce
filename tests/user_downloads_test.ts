// What a user of a clone downloads: only the packages the module itself
// imports. Test-only packages (playwright-core, database clients, workerd,
// bun) resolve through tests/deno.lock, which only the tasks use.

import { assertEquals } from "@std/assert";

const ROOT = new URL("../", import.meta.url);

/** The npm package names a lock file pins, sorted. */
async function lockedPackages(path: URL): Promise<string[]> {
  const lock = JSON.parse(await Deno.readTextFile(path));
  return Object.keys(lock.npm ?? {})
    .map((key) => key.slice(0, key.lastIndexOf("@")))
    .sort();
}

/** The npm packages deno.json's import map names: what the module uses. */
async function importedPackages(): Promise<string[]> {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  );
  const names = Object.values(config.imports as Record<string, string>)
    .map((target) => target.match(/^npm:((?:@[^/]+\/)?[^@/]+)/)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

Deno.test("the root deno.lock pins only the packages the module imports", async () => {
  assertEquals(
    await lockedPackages(new URL("deno.lock", ROOT)),
    await importedPackages(),
    "a test-only package reached deno.lock: run tests through `deno task test`, " +
      "and start child processes that import test-only packages with --lock=tests/deno.lock",
  );
});

Deno.test({
  name:
    "deno run mod.ts from a clone with an empty cache downloads nothing test-only",
  sanitizeResources: false,
  async fn() {
    const denoDir = await Deno.makeTempDir({ prefix: "deno-dir-" });
    const clone = await Deno.makeTempDir({ prefix: "clone-" });
    try {
      // A copy of what `git clone` gives a user (no tests/deno.lock needed).
      for (const name of ["deno.json", "deno.lock", "mod.ts", "web.ts"]) {
        await Deno.copyFile(new URL(name, ROOT), `${clone}/${name}`);
      }
      await copyTree(new URL("src/", ROOT), `${clone}/src`);
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "mod.ts", "--version"],
        cwd: clone,
        env: { DENO_DIR: denoDir, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assertEquals(output.code, 0, stderr);
      const downloaded = [
        ...stderr.matchAll(
          /Download https:\/\/registry\.npmjs\.org\/(\S+?)\/-\//g,
        ),
      ].map((match) => decodeURIComponent(match[1])).sort();
      assertEquals(downloaded, await importedPackages(), stderr);
    } finally {
      await Deno.remove(denoDir, { recursive: true });
      await Deno.remove(clone, { recursive: true });
    }
  },
});

async function copyTree(from: URL, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      await copyTree(new URL(`${entry.name}/`, from), `${to}/${entry.name}`);
    } else if (entry.isFile) {
      await Deno.copyFile(new URL(entry.name, from), `${to}/${entry.name}`);
    }
  }
}
