/**
 * Writes secrets to disk so that only their owner can read them, and so that
 * a crash never leaves a half-written file behind.
 *
 * @module
 */

/**
 * Writes `text` to `path` as a secret file: readable and writable by its
 * owner only (mode `0600`), and atomically. The text goes to a temporary
 * file beside `path` (same directory, so the same file system), created
 * with mode `0600`, flushed to disk, then renamed over `path`. Readers see
 * the old content or the new, never a part; an existing file is replaced
 * (with mode `0600`, whatever its mode was); on failure the temporary file
 * is removed and `path` is left as it was.
 *
 * Use it to store the tokens a bot gets at every refresh (Twitch may rotate
 * the refresh token: always store what comes back).
 *
 * @param path The file to write.
 * @param text The content.
 * @returns A promise that resolves once the file is in place.
 * @throws {Deno.errors.NotFound} when the directory of `path` does not exist;
 * other file system errors as `Deno` throws them.
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
  const temporary = temporaryPathBeside(path);
  try {
    await writeNewPrivateFile(temporary, new TextEncoder().encode(text));
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/** A name for a temporary file in the directory of `path`, not yet taken. */
function temporaryPathBeside(path: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const suffix = Array.from(random, (b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${path}.${suffix}.tmp`;
}

/** Creates `path` (it must not exist) with mode 0600 and writes `bytes`. */
async function writeNewPrivateFile(
  path: string,
  bytes: Uint8Array,
): Promise<void> {
  const file = await Deno.open(path, {
    write: true,
    createNew: true,
    mode: 0o600,
  });
  try {
    let written = 0;
    while (written < bytes.length) {
      written += await file.write(bytes.subarray(written));
    }
    await file.sync();
  } finally {
    file.close();
  }
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
}
