/**
 * Checks `--output` before anything else happens, so that a path that cannot
 * be written fails at once instead of after the sign-in, with the fresh
 * tokens thrown away.
 *
 * @module
 */

import { UsageError } from "./_options.ts";

/**
 * Makes sure `path` can be written: its folder exists and is a folder, a
 * file can be created in it, and `path` itself is not a folder. Leaves
 * nothing behind.
 *
 * @param path The `--output` path.
 * @throws {UsageError} naming the path and what is wrong with it.
 */
export async function checkOutputPath(path: string): Promise<void> {
  const folder = folderOf(path);
  const here = await statOf(path);
  if (here?.isDirectory) {
    throw new UsageError(
      `--output ${path} is a folder: give a file name, such as ${
        path.replace(/\/+$/, "")
      }/token.json`,
    );
  }
  const parent = await statOf(folder);
  if (!parent) {
    throw new UsageError(
      `--output ${path}: the folder ${folder} does not exist; create it first`,
    );
  }
  if (!parent.isDirectory) {
    throw new UsageError(`--output ${path}: ${folder} is not a folder`);
  }
  await probeWrite(path, folder);
}

/** Creates and removes a file beside `path`: the only sure test of writing. */
async function probeWrite(path: string, folder: string): Promise<void> {
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(16);
  const probe = `${path}.${random}.probe.tmp`;
  try {
    const file = await Deno.open(probe, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    file.close();
  } catch (error) {
    throw new UsageError(
      `--output ${path}: cannot create a file in ${folder} (${
        error instanceof Error ? error.name : "error"
      }); pick a folder you can write to`,
    );
  }
  await Deno.remove(probe).catch(() => {});
}

async function statOf(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.NotADirectory) return undefined;
    throw new UsageError(
      `--output: cannot look at ${path} (${
        error instanceof Error ? error.name : "error"
      })`,
    );
  }
}

function folderOf(path: string): string {
  const cut = path.replace(/\/+$/, "").lastIndexOf("/");
  if (cut < 0) return ".";
  return cut === 0 ? "/" : path.slice(0, cut);
}
