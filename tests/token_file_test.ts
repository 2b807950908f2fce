import { assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { readSecretFile, writeSecretFile } from "../mod.ts";

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

Deno.test("writeSecretFile() and readSecretFile() remove the temporaries a killed writer left, and no others", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/token.json`;
    const stale = `${path}.0123456789abcdef.tmp`;
    const other = `${dir}/other.json.0123456789abcdef.tmp`;
    await Deno.writeTextFile(stale, '{"accessToken":"left by a crash"}');
    await Deno.writeTextFile(other, "not ours");
    await writeSecretFile(path, "new");
    assertEquals(await namesIn(dir), [
      "other.json.0123456789abcdef.tmp",
      "token.json",
    ]);
    await Deno.writeTextFile(stale, '{"accessToken":"left by a crash"}');
    assertEquals(await readSecretFile(path), "new");
    assertEquals(await namesIn(dir), [
      "other.json.0123456789abcdef.tmp",
      "token.json",
    ]);
  });
});

Deno.test("writeSecretFile() leaves no temporary after a writer process is killed mid-write", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/token.json`;
    for (let kill = 0; kill < 3; kill++) {
      const writer = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("./_token_file_writer.ts", import.meta.url).pathname,
          path,
        ],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const reader = writer.stdout.getReader();
      await reader.read(); // "writing"
      reader.releaseLock();
      await new Promise((resolve) => setTimeout(resolve, 50 + 40 * kill));
      writer.kill("SIGKILL");
      await writer.status;
      await writer.stdout.cancel();
      await writeSecretFile(path, "after the crash");
      assertEquals(await namesIn(dir), ["token.json"]);
      assertEquals(await readSecretFile(path), "after the crash");
    }
  });
});

Deno.test("writeSecretFile(): writers at the same time never take each other's temporary (100 rounds of 20)", async () => {
  // A temporary is locked just after it is created: in that moment it looks
  // stale to another writer's clean-up, which used to take it (about one
  // round in 30 failed, the writer's retries used up or its check tripped).
  for (let round = 0; round < 100; round++) {
    await inTempDir(async (dir) => {
      const path = `${dir}/token.json`;
      const texts = Array.from({ length: 20 }, (_, i) => `token ${i}`);
      await Promise.all(texts.map((text) => writeSecretFile(path, text)));
      assertEquals(await namesIn(dir), ["token.json"]);
      assertEquals(texts.includes(await readSecretFile(path)), true);
    });
  }
});

Deno.test("writeSecretFile() waits for a live writer's temporary instead of removing it", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/token.json`;
    const live = `${path}.aaaaaaaaaaaaaaaa.tmp`;
    const file = await Deno.open(live, { write: true, createNew: true });
    await file.lock(true); // as a writer holds its temporary until the rename
    let done = false;
    const writing = writeSecretFile(path, "mine").then(() => done = true);
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      assertEquals(done, false);
      assertEquals(await namesIn(dir), ["token.json.aaaaaaaaaaaaaaaa.tmp"]);
    } finally {
      file.close(); // the writer "dies" without renaming
    }
    await writing;
    assertEquals(await namesIn(dir), ["token.json"]);
  });
});
