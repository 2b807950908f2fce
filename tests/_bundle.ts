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

/** A bundle in a temporary folder; disposing it removes the folder. */
export interface TempBundle extends AsyncDisposable {
  /** The bundle's path. */
  path: string;
  /** The temporary folder it is in, for files to put beside it. */
  dir: string;
}

/** Bundles `entry` (see {@linkcode bundle}) into a new temporary folder as `name`. */
export async function bundleToTemp(
  entry: string,
  name = "bundle.mjs",
): Promise<TempBundle> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/${name}`;
  try {
    await bundle(entry, path);
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
  return {
    path,
    dir,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Whether `command --version` runs here (a runtime the tests can use). */
export async function commandWorks(command: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(command, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** The exit code and the decoded output of `command ARGS` (node, bun...). */
export async function runCommand(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, { args }).output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}
