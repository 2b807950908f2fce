// Neighbours that misbehave around a token file, as real processes: a lock
// holder stopped with SIGSTOP (the wait is bounded and ends in a typed
// error), and another user (uid 65534, `nobody`, through setpriv) racing to
// swap the temporaries for symbolic links, or planting files in a folder
// others can write. The second-uid tests need root; they are skipped
// otherwise.

import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  AccessToken,
  FileLockTimeoutError,
  FileTokenStore,
  UnsafeFileError,
  writeSecretFile,
} from "../mod.ts";

const isRoot = Deno.build.os === "linux" && Deno.uid() === 0;
const NOBODY = 65534;

function token(n: number): AccessToken {
  return new AccessToken({
    accessToken: `access0token0of0thirty0chars${String(n).padStart(2, "0")}`,
    refreshToken: "refresh-token-of-fifty-characters-0123456789abcdef",
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: Date.now(),
  });
}

async function tempDir(
  mode = 0o700,
): Promise<AsyncDisposable & { dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "file_faults_" });
  await Deno.chmod(dir, mode);
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

interface Script extends AsyncDisposable {
  child: Deno.ChildProcess;
}

/**
 * Runs `code` in a Deno process, as `nobody` (root only) or as this user,
 * and waits until it printed `word`. Disposing of it resumes and kills it.
 */
async function startScript(
  code: string,
  args: string[],
  { asNobody = false, scratch, word }: {
    asNobody?: boolean;
    scratch: string;
    word: string;
  },
): Promise<Script> {
  const deno = ["eval", "--no-config", code, ...args];
  const child = new Deno.Command(asNobody ? "setpriv" : Deno.execPath(), {
    args: asNobody
      ? [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        "--clear-groups",
        Deno.execPath(),
        ...deno,
      ]
      : deno,
    env: { DENO_DIR: scratch, HOME: scratch, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const script = {
    child,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGCONT");
        child.kill("SIGKILL");
      } catch {
        // it ended by itself
      }
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await stderr;
    },
  };
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes(word)) {
    const { value, done } = await reader.read();
    if (done) {
      await script[Symbol.asyncDispose]();
      throw new Error(`the script ended before "${word}": ${await stderr}`);
    }
    seen += value;
  }
  reader.releaseLock();
  return script;
}

/** A process holding an exclusive lock on `path`, stopped with SIGSTOP. */
async function stoppedHolder(path: string, scratch: string): Promise<Script> {
  const holder = await startScript(HOLD_LOCK, [path], {
    scratch,
    word: "locked",
  });
  holder.child.kill("SIGSTOP");
  return holder;
}

/** Fails instead of hanging when `promise` takes longer than `limit` ms. */
async function within<T>(promise: Promise<T>, limit: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        timer = setTimeout(
          () => reject(new Error(`still waiting after ${limit} ms`)),
          limit,
        )
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const HOLD_LOCK = `
const file = await Deno.open(Deno.args[0], { read: true, write: true, create: true });
await file.lock(true);
console.log("locked");
setInterval(() => {}, 3_600_000); // hold it until killed
`;

Deno.test({
  name:
    "FileTokenStore: a lock holder stopped with SIGSTOP delays a write by 10 s at most, then FileLockTimeoutError names the lock file",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using temp = await tempDir();
    const path = `${temp.dir}/tokens.json`;
    const store = new FileTokenStore(path);
    const first = await store.set("1", token(1), null);
    {
      await using _holder = await stoppedHolder(`${path}.lock`, temp.dir);
      const error = await within<FileLockTimeoutError>(
        assertRejects(
          () => store.set("1", token(2), first!.version),
          FileLockTimeoutError,
        ),
        30_000,
      );
      assertEquals(error.lockPath, `${path}.lock`);
      assert(error.message.includes(`${path}.lock`), error.message);
      assert(error.waited >= 10_000, `waited ${error.waited} ms`);
      // reads never take the lock: they go on
      assertEquals((await store.get("1"))?.version, first!.version);
    }
    // the holder is gone: its lock went with it
    assert(await within(store.set("1", token(3), first!.version), 30_000));
  },
});

Deno.test({
  name:
    "writeSecretFile: a writer stopped with SIGSTOP while holding its temporary delays the next write by 10 s at most, and its file is left alone",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using temp = await tempDir();
    const path = `${temp.dir}/token.json`;
    const stopped = `${path}.0123456789abcdef.tmp`;
    await using _holder = await stoppedHolder(stopped, temp.dir);
    await within(writeSecretFile(path, "mine\n"), 30_000);
    assertEquals(await Deno.readTextFile(path), "mine\n");
    assert((await Deno.stat(stopped)).isFile, "the stopped writer's file");
  },
});

// A racer that swaps every temporary it sees for a link to `victim`.
const RACER = `
const [dir, victim] = Deno.args;
console.log("racing");
for (;;) {
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.name.endsWith(".tmp") || entry.isSymlink) continue;
    const at = dir + "/" + entry.name;
    try {
      Deno.renameSync(at, at + ".taken");
      Deno.symlinkSync(victim, at);
    } catch { /* gone meanwhile, or refused */ }
  }
}
`;

/**
 * 200 writes of each writer in `dir` while the racer runs (as `nobody`, or
 * as this user); counts the writes that changed the mode or the content of
 * a file elsewhere, the ones refused, and the ones written.
 */
async function raceWrites(
  dir: string,
  asNobody: boolean,
): Promise<{ steered: number; refused: UnsafeFileError[]; written: number }> {
  await using elsewhere = await tempDir(0o755);
  const victim = `${elsewhere.dir}/victim`;
  const before = "the victim's own file\n";
  await Deno.writeTextFile(victim, before);
  await Deno.chmod(victim, 0o644);
  const scratch = `${dir}/.racer`;
  await Deno.mkdir(scratch);
  await Deno.chmod(scratch, 0o777);
  await using _racer = await startScript(RACER, [dir, victim], {
    asNobody,
    scratch,
    word: "racing",
  });
  let steered = 0;
  let written = 0;
  const refused: UnsafeFileError[] = [];
  const store = new FileTokenStore(`${dir}/tokens.json`);
  const writers = [
    (i: number) => writeSecretFile(`${dir}/secret.env`, `TOKEN=${i}\n`),
    async (i: number) => {
      const current = await store.get("1");
      await store.set("1", token(i % 100), current?.version ?? null);
    },
  ];
  for (const write of writers) {
    for (let i = 0; i < 200; i++) {
      try {
        await write(i);
        written++;
      } catch (error) {
        if (!(error instanceof UnsafeFileError)) throw error;
        refused.push(error);
      }
      const info = await Deno.stat(victim);
      if (
        (info.mode! & 0o777) !== 0o644 ||
        await Deno.readTextFile(victim) !== before
      ) {
        steered++;
        await Deno.chmod(victim, 0o644);
        await Deno.writeTextFile(victim, before);
      }
    }
  }
  return { steered, refused, written };
}

Deno.test({
  name:
    "writeSecretFile and FileTokenStore in a folder another user can write: every write refused (UnsafeFileError with the fix), 0 of 400 steered by a racing second uid",
  ignore: !isRoot,
  async fn() {
    await using temp = await tempDir(0o777);
    const { steered, refused, written } = await raceWrites(temp.dir, true);
    assertEquals(steered, 0);
    assertEquals(written, 0);
    assertEquals(refused.length, 400);
    assert(refused.every((e) => e.path === temp.dir), refused[0].message);
    assert(refused[0].message.includes("chmod go-w"), refused[0].message);
  },
});

Deno.test({
  name:
    "writeSecretFile and FileTokenStore: a racer swapping temporaries for links never gets its target chmod-ed or written (0 of 400)",
  ignore: Deno.build.os === "windows",
  async fn() {
    // The racer runs as this user in a private folder: only the mode change
    // and the rename through the open file are under test here.
    await using temp = await tempDir();
    const { steered, refused, written } = await raceWrites(temp.dir, false);
    assertEquals(steered, 0);
    assertEquals(written + refused.length, 400);
    // the racer did take temporaries, and every swap it made was refused
    assert(refused.length > 0, "the racer never swapped a temporary");
    assert(
      refused.every((e) => /replaced|symbolic link/.test(e.message)),
      refused[0]?.message,
    );
  },
});

Deno.test({
  name:
    "FileTokenStore refuses a dangling symbolic link at its lock path and never creates its target",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using temp = await tempDir();
    const path = `${temp.dir}/tokens.json`;
    const target = `${temp.dir}/created-through-the-link`;
    await Deno.symlink(target, `${path}.lock`);
    const store = new FileTokenStore(path);
    const error = await assertRejects(
      () => store.set("1", token(1), null),
      UnsafeFileError,
    );
    assertEquals(error.path, `${path}.lock`);
    assert(error.message.includes("symbolic link"), error.message);
    await assertRejects(() => Deno.lstat(target), Deno.errors.NotFound);
    await assertRejects(() => Deno.lstat(path), Deno.errors.NotFound);
  },
});

const PLANT = `
const [path, text] = Deno.args;
Deno.writeTextFileSync(path, text, { mode: 0o644 });
console.log("planted");
`;

Deno.test({
  name:
    "FileTokenStore in a sticky shared folder: works with its own files, refuses a token file or lock another uid planted",
  ignore: !isRoot,
  async fn() {
    await using temp = await tempDir(0o1777);
    await Deno.mkdir(`${temp.dir}/.racer`, { mode: 0o777 });
    await Deno.chmod(`${temp.dir}/.racer`, 0o777);
    const own = new FileTokenStore(`${temp.dir}/own.json`);
    assert(await own.set("1", token(1), null));
    assertEquals(await own.list(), ["1"]);

    const planted = JSON.stringify({
      ...token(7).toJSON(),
      accessToken: "planted0by0another0user0000000",
    });
    for (
      const [name, store] of [["tokens.json", "get"], ["lock.json.lock", "set"]]
    ) {
      await using plant = await startScript(
        PLANT,
        [`${temp.dir}/${name}`, planted],
        { asNobody: true, scratch: `${temp.dir}/.racer`, word: "planted" },
      );
      assertEquals((await plant.child.status).code, 0);
      const victim = new FileTokenStore(
        `${temp.dir}/${name.replace(".lock", "")}`,
      );
      const error = await assertRejects(
        () =>
          store === "get"
            ? victim.get("default")
            : victim.set("1", token(2), null),
        UnsafeFileError,
      );
      assertEquals(error.path, `${temp.dir}/${name}`);
      assert(error.message.includes("another user"), error.message);
    }
  },
});
