// For the benches that time a whole `deno` subprocess.

const ROOT = new URL("..", import.meta.url).pathname;

/** Times `deno ARGS` (run in the repository) to its end, output discarded. */
export async function timeRun(
  b: Deno.BenchContext,
  args: string[],
): Promise<void> {
  b.start();
  const code = await runDeno(args);
  b.end();
  if (code !== 0) throw new Error(`deno ${args.join(" ")} exited ${code}`);
}

/** Runs `deno ARGS` in the repository to its end, output discarded; its exit code. */
export async function runDeno(args: string[]): Promise<number> {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  return code;
}
