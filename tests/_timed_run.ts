// For the benches that time a whole `deno` subprocess.

const ROOT = new URL("..", import.meta.url).pathname;

/** Times `deno ARGS` (run in the repository) to its end, output discarded. */
export async function timeRun(
  b: Deno.BenchContext,
  args: string[],
): Promise<void> {
  b.start();
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  b.end();
  if (code !== 0) throw new Error(`deno ${args.join(" ")} exited ${code}`);
}
