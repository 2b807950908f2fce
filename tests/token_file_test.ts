import { assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { writeSecretFile } from "../mod.ts";

const isWindows = Deno.build.os === "windows";

async function inTempDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "token_file_test_" });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function namesIn(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("writeSecretFile() writes the text to a new file with mode 0600", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/token.json`;
    await writeSecretFile(path, '{"accessToken":"abc"}\n');
    assertEquals(await Deno.readTextFile(path), '{"accessToken":"abc"}\n');
    if (!isWindows) assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals(await namesIn(dir), ["token.json"]);
  });
});

Deno.test("writeSecretFile() replaces an existing file, mode and all, leaving no temporary file", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/.env`;
    await Deno.writeTextFile(path, "OLD=1\nA_MUCH_LONGER_OLD_CONTENT=1\n", {
      mode: 0o644,
    });
    if (!isWindows) await Deno.chmod(path, 0o644);
    await writeSecretFile(path, "NEW=2\n");
    assertEquals(await Deno.readTextFile(path), "NEW=2\n");
    if (!isWindows) assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals(await namesIn(dir), [".env"]);
  });
});

Deno.test({
  name:
    "writeSecretFile() is atomic: the old file is replaced whole by a new one, never rewritten in place",
  ignore: isWindows,
  async fn() {
    await inTempDir(async (dir) => {
      const path = `${dir}/token.txt`;
      await writeSecretFile(path, "old content");
      // A hard link keeps the old file's inode reachable: a write in place
      // (open, truncate, write) would show through it, a rename never does.
      await Deno.link(path, `${dir}/old-link`);
      const before = (await Deno.stat(path)).ino;
      await writeSecretFile(path, "new content");
      assertEquals(await Deno.readTextFile(`${dir}/old-link`), "old content");
      assertEquals(await Deno.readTextFile(path), "new content");
      assertNotEquals((await Deno.stat(path)).ino, before);
      assertEquals(await namesIn(dir), ["old-link", "token.txt"]);
    });
  },
});

Deno.test("writeSecretFile() fails for a missing directory and leaves nothing behind", async () => {
  await inTempDir(async (dir) => {
    await assertRejects(
      () => writeSecretFile(`${dir}/missing/token.json`, "x"),
      Deno.errors.NotFound,
    );
    assertEquals(await namesIn(dir), []);
  });
});

Deno.test("writeSecretFile() removes its temporary file when the rename fails", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/occupied`;
    await Deno.mkdir(`${path}/inside`, { recursive: true });
    await assertRejects(() => writeSecretFile(path, "x"));
    assertEquals(await namesIn(dir), ["occupied"]);
  });
});

Deno.test("writeSecretFile() writes empty and multi-byte text exactly", async () => {
  await inTempDir(async (dir) => {
    await writeSecretFile(`${dir}/empty`, "");
    assertEquals(await Deno.readTextFile(`${dir}/empty`), "");
    await writeSecretFile(`${dir}/utf8`, "jeton ✓ トークン\n");
    assertEquals(await Deno.readTextFile(`${dir}/utf8`), "jeton ✓ トークン\n");
  });
});
