/**
 * Internal: the steps every durable write here takes, shared by the secret
 * files, the token store and the CLI's output: whole writes, folder syncs,
 * a bounded wait on a lock file, and the checks that no other user can
 * steer a secret file (its folder, the lock, the temporaries).
 *
 * @module
 */

import {
  FileLockTimeoutError,
  UnsafeFileError,
} from "../web/errors_token_store.ts";

/**
 * How long a writer waits for a lock file held by another process, in
 * milliseconds. A write holds the lock for milliseconds; a holder past this
 * is stopped or hung.
 */
export const LOCK_TIMEOUT = 10_000;

const WINDOWS = Deno.build.os === "windows";

/** Writes all of `bytes` (a single `write` may take only part). */
export async function writeAll(
  writer: { write(bytes: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    done += await writer.write(bytes.subarray(done));
  }
}

/** The folder that holds `path`. */
export function folderOf(path: string): string {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
}

/** Syncs the folder that holds `path`, so a rename in it is durable. */
export async function syncFolderOf(path: string): Promise<void> {
  if (WINDOWS) return; // folders cannot be opened there
  const handle = await Deno.open(folderOf(path), { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/**
 * Who may steer the files in the folder of `path`: `"owner"` when only its
 * owner (and root) can write it, `"sticky"` when others can but the sticky
 * bit keeps them from renaming or removing files they do not own (then
 * every file used there must be this process's own: see
 * {@linkcode checkOwnFile}).
 *
 * @throws {UnsafeFileError} when other users can write the folder and it is
 * not sticky: they could swap the files for links or plant their own.
 */
export async function checkFolder(path: string): Promise<"owner" | "sticky"> {
  if (WINDOWS) return "owner"; // no Unix modes there
  const folder = folderOf(path);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(folder);
  } catch {
    return "owner"; // no folder: the write that follows says so
  }
  const mode = info.mode ?? 0;
  if ((mode & 0o022) === 0) return "owner";
  if (mode & 0o1000) return "sticky";
  throw new UnsafeFileError(
    folder,
    `other users can write to the folder (mode ${
      (mode & 0o777).toString(8)
    }, not sticky)`,
    `Keep secrets in a folder only you can write (chmod go-w ${folder}), or pick another folder`,
  );
}

/**
 * Refuses `path` when it is a symbolic link or not a regular file, or, in a
 * sticky folder, another user's file. A path that does not exist passes.
 *
 * @returns What `lstat` says of it, or `undefined` when it does not exist.
 * @throws {UnsafeFileError} naming the path and why.
 */
export async function checkOwnFile(
  path: string,
  folder: "owner" | "sticky",
): Promise<Deno.FileInfo | undefined> {
  if (WINDOWS) return undefined;
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (info.isSymlink || !info.isFile) {
    throw new UnsafeFileError(
      path,
      info.isSymlink ? "it is a symbolic link" : "it is not a regular file",
      `Remove it (rm ${path}) if you did not make it, then try again`,
    );
  }
  if (folder === "sticky" && info.uid !== ownUid(path)) {
    throw new UnsafeFileError(
      path,
      `it belongs to another user (uid ${info.uid}) in a folder others can write`,
      "Keep secrets in a folder only you can write, or have that user remove the file",
    );
  }
  return info;
}

/**
 * Opens the lock file `lockPath`, creating it (mode 0600) when missing,
 * never through a symbolic link and, in a sticky folder, never another
 * user's.
 *
 * @throws {UnsafeFileError} when the path is a link, not a regular file,
 * another user's, or was swapped while being opened.
 */
export async function openLockFile(
  lockPath: string,
  folder: "owner" | "sticky",
): Promise<Deno.FsFile> {
  const options = { read: true, write: true, mode: 0o600 };
  try {
    return await Deno.open(lockPath, { ...options, createNew: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  const seen = await checkOwnFile(lockPath, folder);
  const file = await Deno.open(lockPath, options);
  if (seen && !sameFile(seen, await file.stat())) {
    file.close();
    throw new UnsafeFileError(
      lockPath,
      "it was replaced while being opened",
      "Find out who else writes to this folder, and keep secrets in a folder only you can write",
    );
  }
  return file;
}

/**
 * Takes an exclusive lock on `file`, trying without blocking and pausing
 * between tries (a few milliseconds, growing to 25), for at most
 * `timeout` milliseconds: a holder that is stopped or hung never makes the
 * caller wait without end.
 *
 * @throws {FileLockTimeoutError} naming `lockPath` when the time is up.
 */
export async function lockWithin(
  file: Deno.FsFile,
  lockPath: string,
  timeout: number = LOCK_TIMEOUT,
): Promise<void> {
  const start = Date.now();
  for (let pause = 1;; pause = Math.min(pause * 2, 25)) {
    if (await file.tryLock(true)) return;
    const waited = Date.now() - start;
    if (waited >= timeout) throw new FileLockTimeoutError(lockPath, waited);
    const jittered = pause / 2 + Math.random() * pause;
    await new Promise((resolve) => setTimeout(resolve, jittered));
  }
}

/**
 * Checks, just before the rename, that the temporary file at `temporary`
 * is still the one `file` wrote: nobody swapped it for a link or another
 * file meanwhile.
 *
 * @returns `"gone"` when nothing is there any more (another writer took it
 * for a stale one: write again), `"ours"` when it is the file written.
 * @throws {UnsafeFileError} when something else was put in its place.
 */
export async function checkStillOurs(
  temporary: string,
  file: Deno.FsFile,
): Promise<"ours" | "gone"> {
  if (WINDOWS) return "ours";
  const [there, ours] = await Promise.all([
    Deno.lstat(temporary).catch(() => undefined),
    file.stat(),
  ]);
  if (there === undefined) return "gone";
  if (!there.isSymlink && sameFile(there, ours)) return "ours";
  throw new UnsafeFileError(
    temporary,
    "the temporary file was replaced while being written",
    "Find out who else writes to this folder, and keep secrets in a folder only you can write",
  );
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** This process's user id, needed only in a folder others can write. */
function ownUid(path: string): number {
  try {
    return Deno.uid()!;
  } catch (error) {
    throw new UnsafeFileError(
      path,
      "it is in a folder other users can write, and this process may not read its own user id to check the file is its own",
      "Keep secrets in a folder only you can write, or allow --allow-sys=uid",
      { cause: error },
    );
  }
}
