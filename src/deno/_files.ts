/**
 * Internal: the two steps every durable write here takes, shared by the
 * secret files, the token store and the CLI's output.
 *
 * @module
 */

/** Writes all of `bytes` (a single `write` may take only part). */
export async function writeAll(
  writer: { write(bytes: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    done += await writer.write(bytes.subarray(done));
  }
}

/** Syncs the folder that holds `path`, so a rename in it is durable. */
export async function syncFolderOf(path: string): Promise<void> {
  if (Deno.build.os === "windows") return; // folders cannot be opened there
  const slash = path.lastIndexOf("/");
  const folder = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const handle = await Deno.open(folder, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}
