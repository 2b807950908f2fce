// The gzipped size of a file, as a server or a Workers upload would send it.

/** How many bytes `path` takes once gzipped (CompressionStream's default level). */
export async function gzippedSize(path: string): Promise<number> {
  const file = await Deno.open(path);
  const gzipped = file.readable.pipeThrough(new CompressionStream("gzip"));
  let size = 0;
  for await (const chunk of gzipped) size += chunk.length;
  return size;
}
