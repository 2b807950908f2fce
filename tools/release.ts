// `deno task release [-- deno publish flags]`: publishes to JSR with Deno's
// own standard library. In development `@std/*` comes from npm's `deno-std`,
// a third party's repackaging (the only registry this project's machines
// reach); a release points every `@std/*` import at `jsr:@std/*` for the
// publish, then puts deno.json and deno.lock back as they were.
//
// Where JSR cannot be reached it stops with one line before changing
// anything. TWITCH_AUTH_JSR_URL replaces https://jsr.io (for the tests).

const ROOT = new URL("..", import.meta.url);
const CONFIG = new URL("deno.json", ROOT);
const LOCK = new URL("deno.lock", ROOT);
const JSR = Deno.env.get("TWITCH_AUTH_JSR_URL") || "https://jsr.io";

/**
 * The `@std/*` entries of an import map pointed at JSR: `@std/cli/parse-args`
 * becomes `jsr:@std/cli@^1/parse-args`. Other entries stay as they are.
 *
 * @param imports deno.json's `imports`.
 * @returns The imports for the release.
 */
export function jsrImports(
  imports: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(imports).map(([name, target]) => {
      const match = /^@std\/([\w-]+)(\/.*)?$/.exec(name);
      return match
        ? [name, `jsr:@std/${match[1]}@^1${match[2] ?? ""}`]
        : [name, target];
    }),
  );
}

/** Why JSR cannot be reached, or `undefined` when it can. */
async function unreachable(): Promise<string | undefined> {
  try {
    const response = await fetch(`${JSR}/@std/cli/meta.json`, {
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : "error";
  }
}

async function release(args: string[]): Promise<number> {
  const reason = await unreachable();
  if (reason) {
    console.error(
      `release: cannot reach ${JSR} (${reason}); nothing was changed, nothing was published`,
    );
    return 1;
  }
  const config = await Deno.readTextFile(CONFIG);
  const lock = await Deno.readTextFile(LOCK).catch(() => undefined);
  const json = JSON.parse(config);
  json.imports = jsrImports(json.imports ?? {});
  try {
    await Deno.writeTextFile(CONFIG, `${JSON.stringify(json, null, 2)}\n`);
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["publish", ...args],
      cwd: ROOT,
    }).spawn().status;
    return code;
  } finally {
    await Deno.writeTextFile(CONFIG, config);
    if (lock !== undefined) await Deno.writeTextFile(LOCK, lock);
  }
}

if (import.meta.main) Deno.exit(await release(Deno.args));
