// Gets the runtimes the edge tests run in (Cloudflare's workerd, Bun) from
// npm into .tmp/runtimes/ (gitignored) on first use, so a clean clone and CI
// need nothing but npm. Outside CI a runtime that cannot be had makes its
// tests skip with the reason; in CI (CI=true) the tests fail instead.

const ROOT = new URL("..", import.meta.url).pathname;
/** The pinned runtime packages. */
const PACKAGES = ["workerd@1.20261117.1", "bun@1.4.4"];
const PREFIX = `${ROOT}.tmp/runtimes`;

/** Whether this run is CI, where a missing runtime is a failure. */
export const IN_CI = Deno.env.get("CI") === "true";

/** A runtime's binary, or why there is none. */
export type Runtime = { path: string } | { missing: string };

async function works(path: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

let installed: Promise<string | undefined> | undefined;

/** Runs `npm install` into .tmp/runtimes once; resolves to the failure, if any. */
function install(): Promise<string | undefined> {
  installed ??= (async () => {
    try {
      const out = await new Deno.Command("npm", {
        args: [
          "install",
          "--prefix",
          PREFIX,
          "--no-audit",
          "--no-fund",
          "--no-save",
          "--loglevel=error",
          ...PACKAGES,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return out.success
        ? undefined
        : `npm install ${PACKAGES.join(" ")} failed: ${
          new TextDecoder().decode(out.stderr).trim().slice(-500)
        }`;
    } catch (error) {
      return `npm could not run: ${error}`;
    }
  })();
  return installed;
}

/** The binary of `name` (`"workerd"` or `"bun"`), installed from npm when missing. */
export async function runtime(name: "workerd" | "bun"): Promise<Runtime> {
  const path = `${PREFIX}/node_modules/.bin/${name}`;
  if (await works(path)) return { path };
  const failure = await install();
  if (await works(path)) return { path };
  return { missing: failure ?? `${path} does not run after npm install` };
}

/** Test options: skip (outside CI) with the reason when the runtime is missing. */
export function skipUnless(found: Runtime, what: string): { ignore: boolean } {
  if ("missing" in found && !IN_CI) {
    console.warn(`skipping the ${what} tests: ${found.missing}`);
    return { ignore: true };
  }
  return { ignore: false };
}

/** The path of a runtime, or a failure naming why it is missing (CI). */
export function pathOf(found: Runtime): string {
  if ("missing" in found) {
    throw new Error(`the runtime is missing in CI: ${found.missing}`);
  }
  return found.path;
}

/** A loopback port free right now (for configs that need one up front). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Bundles `entry` (relative to the repository root) for the browser platform as ESM. */
export async function bundle(entry: string, out: string): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
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

/**
 * Waits until `url` answers, or the process ends (then throws with its
 * output). Gives up after `attempts` tries 100 ms apart.
 */
export async function waitForServer(
  url: string,
  exited: Promise<Deno.CommandStatus>,
  attempts = 300,
): Promise<void> {
  let done = false;
  const ended = exited.then((status) => {
    done = true;
    return status;
  });
  for (let i = 0; i < attempts && !done; i++) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (done) throw new Error(`the server exited (${(await ended).code})`);
  throw new Error(`${url} did not answer`);
}
