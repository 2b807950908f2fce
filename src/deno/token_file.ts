/**
 * Writes secrets to disk so that only their owner can read them, and so that
 * a crash never leaves a half-written file behind.
 *
 * @module
 */

import {
  FileLockTimeoutError,
  UnsafeFileError,
} from "../web/errors_token_store.ts";
import {
  checkFolder,
  checkOwnFile,
  checkStillOurs,
  lockWithin,
  syncFolderOf,
  writeAll,
} from "./_files.ts";

/**
 * Writes `text` to `path` as a secret file: readable and writable by its
 * owner only (mode `0600`), and atomically. The text goes to a temporary
 * file beside `path` (same directory, so the same file system), created
 * with mode `0600`, flushed to disk, then renamed over `path`, and the
 * folder is flushed so the rename lasts too. Temporary
 * files of `path` left by a writer that was killed mid-write are removed
 * first (see {@linkcode readSecretFile}). Readers see
 * the old content or the new, never a part; an existing file is replaced
 * (with mode `0600`, whatever its mode was); on failure the temporary file
 * is removed and `path` is left as it was.
 *
 * Only the owner steers the write: the temporary file is created new
 * (never opened through a link) and never changed by path, and the write
 * is refused with {@linkcode UnsafeFileError} when `path` is a symbolic
 * link, or its folder can be written by other users and is not sticky (in
 * a sticky one such as `/tmp`, `path` must be this user's own file, which
 * needs `--allow-sys=uid` to check).
 *
 * Use it to store the tokens a bot gets at every refresh (Twitch may rotate
 * the refresh token: always store what comes back).
 *
 * @param path The file to write.
 * @param text The content.
 * @returns A promise that resolves once the file is in place.
 * @throws {Deno.errors.NotFound} when the directory of `path` does not exist;
 * other file system errors as `Deno` throws them.
 * @throws {UnsafeFileError} when another user could steer the write.
 *
 * @example Store refreshed tokens
 * ```ts ignore
 * import { Twitch, writeSecretFile } from "@x/twitch-auth";
 *
 * const twitch = new Twitch("my_app_id", "my_app_secret");
 * twitch.onUserAuthRefresh((token) =>
 *   writeSecretFile("token.json", JSON.stringify(token))
 * );
 * ```
 *
 * @example Write a .env file
 * ```ts
 * import { writeSecretFile } from "@x/twitch-auth";
 *
 * const path = await Deno.makeTempFile();
 * await writeSecretFile(path, "TWITCH_ACCESS_TOKEN=abc\n");
 * console.log((await Deno.stat(path)).mode! & 0o777); // 384 (0o600) on Unix
 * await Deno.remove(path);
 * ```
 */
export async function writeSecretFile(
  path: string,
  text: string,
): Promise<void> {
  await checkOwnFile(path, await checkFolder(path));
  await removeStaleTemporaries(path);
  const bytes = new TextEncoder().encode(text);
  for (let attempt = 1;; attempt++) {
    const temporary = temporaryPathBeside(path);
    const name = baseName(temporary);
    LIVE_TEMPORARIES.add(name);
    try {
      await writeAndRename(temporary, bytes, path);
      await syncFolderOf(path); // the rename itself survives a power cut
      return;
    } catch (error) {
      await Deno.remove(temporary).catch(() => {});
      // another writer took our temporary for a stale one: write it again
      if (error instanceof TemporaryGone && attempt < 5) continue;
      if (!(error instanceof TemporaryGone)) throw error;
      throw new UnsafeFileError(
        temporary,
        "another process removed or replaced the temporary file before its rename, 5 times in a row",
        "Find out who else writes to this folder, and keep secrets in a folder only you can write",
        { cause: error.cause },
      );
    } finally {
      LIVE_TEMPORARIES.delete(name);
    }
  }
}

/**
 * The names of this process's temporaries being written. Another writer
 * here skips them: between its creation and its lock a temporary looks
 * stale, and taking it would make its writer start over.
 */
const LIVE_TEMPORARIES = new Set<string>();

function baseName(path: string): string {
  return path.slice(
    Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1,
  );
}

/**
 * Reads a file written by {@linkcode writeSecretFile}, first removing the
 * temporary files a writer killed mid-write left beside it (they may hold
 * a whole token).
 *
 * @param path The file to read.
 * @returns Its text.
 * @throws {Deno.errors.NotFound} when it does not exist; other file system
 * errors as `Deno` throws them.
 *
 * @example Read a token file
 * ```ts
 * import { readSecretFile, writeSecretFile } from "@x/twitch-auth";
 *
 * const path = await Deno.makeTempFile();
 * await writeSecretFile(path, "TWITCH_ACCESS_TOKEN=abc\n");
 * console.log(await readSecretFile(path)); // TWITCH_ACCESS_TOKEN=abc
 * await Deno.remove(path);
 * ```
 */
export async function readSecretFile(path: string): Promise<string> {
  await removeStaleTemporaries(path);
  return await Deno.readTextFile(path);
}

const TEMPORARY_SUFFIX = /^\.[0-9a-f]{16}\.tmp$/;

/** Thrown when a temporary file vanished before its rename. */
class TemporaryGone extends Error {}

/**
 * Removes the temporary files of `path` that no writer holds: a writer
 * keeps an exclusive lock on its temporary file until it is renamed, and a
 * killed writer's lock goes with its process. Waits for a live writer to
 * finish instead of taking its file, for 10 seconds at most: the file of a
 * writer stopped or hung longer is left where it is.
 */
async function removeStaleTemporaries(path: string): Promise<void> {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const directory = slash < 0 ? "." : path.slice(0, slash) || "/";
  const name = path.slice(slash + 1);
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(directory));
  } catch {
    return; // no directory, no temporaries; the caller reports what fails
  }
  for (const entry of entries) {
    if (
      !entry.isFile || !entry.name.startsWith(name) ||
      !TEMPORARY_SUFFIX.test(entry.name.slice(name.length))
    ) {
      continue;
    }
    if (LIVE_TEMPORARIES.has(entry.name)) continue;
    const temporary = `${directory}/${entry.name}`;
    let file: Deno.FsFile;
    try {
      file = await Deno.open(temporary, { read: true });
    } catch {
      continue; // renamed or removed meanwhile
    }
    try {
      await lockWithin(file, temporary);
      await Deno.remove(temporary).catch(() => {});
    } catch (error) {
      // a writer stopped or hung while holding it: leave its file alone
      if (!(error instanceof FileLockTimeoutError)) throw error;
    } finally {
      file.close();
    }
  }
}

/** A name for a temporary file in the directory of `path`, not yet taken. */
function temporaryPathBeside(path: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const suffix = Array.from(random, (b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${path}.${suffix}.tmp`;
}

/**
 * Creates `temporary` (it must not exist) with mode 0600, locked, writes
 * `bytes`, flushes, and renames it to `path` before letting the lock go.
 */
async function writeAndRename(
  temporary: string,
  bytes: Uint8Array,
  path: string,
): Promise<void> {
  const file = await Deno.open(temporary, {
    write: true,
    createNew: true,
    mode: 0o600,
  });
  try {
    await file.lock(true);
    await writeAll(file, bytes);
    await file.sync();
    // Created new with mode 0600 (a umask only takes bits away), so no
    // chmod: one by path would follow whatever link was swapped in.
    if (await checkStillOurs(temporary, file) === "gone") {
      throw new TemporaryGone("temporary file removed");
    }
    await Deno.rename(temporary, path).catch(async (error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      const gone = await Deno.lstat(temporary).then(() => false, () => true);
      // Gone: another writer took it for a stale one. There again, yet not
      // found a moment ago: someone swapped something in while we wrote.
      throw gone
        ? new TemporaryGone("temporary file removed", { cause: error })
        : new UnsafeFileError(
          temporary,
          "the temporary file was replaced while it was being written",
          "Find out who else writes to this folder, and keep secrets in a folder only you can write",
          { cause: error },
        );
    });
  } finally {
    file.close();
  }
}
