// `deno bundle` for the tests that run this module's code elsewhere (Node,
// Bun, workerd) or check what a bundle holds.

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Bundles `entry` (relative to the repository root) for the browser platform
 * as ESM into `out`, minified when asked; throws with deno's message when it
 * fails.
 */
export async function bundle(
  entry: string,
  out: string,
  { minify = false } = {},
): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
      ...(minify ? ["--minify"] : []),
      "-o",
      out,
      entry,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(
      `deno bundle ${entry} failed: ${new TextDecoder().decode(result.stderr)}`,
    );
  }
}
