/**
 * Opens a URL in the user's browser with `Deno.Command`, never through a
 * shell.
 *
 * @module
 */

/** How long an opener may take to fail before it counts as started. */
const OPENER_GRACE = 3_000;
/** How long a finished sign-in waits for a browser command to exit. */
export const RELEASE_GRACE = 1_000;

/** A browser opener that was started. */
export interface OpenedBrowser {
  /** The command that worked. */
  command: string[];
  /**
   * Waits up to `grace` milliseconds (default {@linkcode RELEASE_GRACE}) for
   * the opener to exit, so no child is left behind; a browser that is still
   * running then (a browser started directly rather than through a launcher
   * such as `xdg-open`) is the user's, and is left running, detached.
   */
  release(grace?: number): Promise<void>;
}

/**
 * Splits a command line into words the way a POSIX shell would for plain
 * words, `'single'` and `"double"` quotes and backslash escapes, without
 * running a shell.
 *
 * @param command A command line such as `chromium --incognito`.
 * @returns The words.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (char === "\\" && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The commands to try, in order, to open `url`: the `browser` option, then
 * the `BROWSER` environment variable (a `:`-separated list), then the
 * system's URL handler (`open` on macOS, `rundll32 url.dll` on Windows and
 * WSL, which take the URL whole, `&` and all; `xdg-open` elsewhere). A
 * command with `%s` gets the URL there; otherwise it is the last argument.
 *
 * @param url The URL to open.
 * @param browser A command line chosen by the user.
 * @returns Each candidate as argv.
 */
export function browserCommands(url: string, browser?: string): string[][] {
  const lines: string[] = [];
  if (browser) lines.push(browser);
  else {
    const env = environmentBrowser();
    if (env) lines.push(...env.split(":").filter(Boolean));
  }
  const commands = lines.map((line) => withUrl(splitCommand(line), url));
  if (browser) return commands;
  switch (Deno.build.os) {
    case "darwin":
      commands.push(["open", url]);
      break;
    case "windows":
      commands.push(["rundll32", "url.dll,FileProtocolHandler", url]);
      break;
    default:
      if (isWsl()) {
        commands.push(["wslview", url]);
        commands.push(["rundll32.exe", "url.dll,FileProtocolHandler", url]);
      }
      commands.push(["xdg-open", url]);
  }
  return commands;
}

function withUrl(words: string[], url: string): string[] {
  return words.some((word) => word.includes("%s"))
    ? words.map((word) => word.replaceAll("%s", url))
    : [...words, url];
}

function environmentBrowser(): string | undefined {
  try {
    return Deno.env.get("BROWSER");
  } catch {
    return undefined; // no --allow-env: use the system opener
  }
}

function isWsl(): boolean {
  try {
    return Deno.build.os === "linux" &&
      (Deno.env.has("WSL_DISTRO_NAME") ||
        Deno.osRelease().toLowerCase().includes("microsoft"));
  } catch {
    return false;
  }
}

/**
 * Opens `url` with the first command of {@linkcode browserCommands} that
 * starts and does not fail at once. Nothing goes through a shell.
 *
 * @param url The URL to open.
 * @param browser A command line chosen by the user (`--browser`).
 * @param signal Stops waiting to see whether the opener fails: the command
 * started so far counts as opened (release it), and no other is tried.
 * @returns The opener that worked, or `undefined` when none did: then show
 * the URL to the user.
 */
export async function openBrowser(
  url: string,
  browser?: string,
  signal?: AbortSignal,
): Promise<OpenedBrowser | undefined> {
  for (const command of browserCommands(url, browser)) {
    if (signal?.aborted) return undefined;
    const opened = await tryCommand(command, signal);
    if (opened) return opened;
  }
  return undefined;
}

async function tryCommand(
  command: string[],
  signal?: AbortSignal,
): Promise<OpenedBrowser | undefined> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command[0], {
      args: command.slice(1),
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch {
    return undefined; // not installed, or not allowed to run
  }
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const early = await waitFor(status, OPENER_GRACE, signal);
  if (early && !early.success) return undefined;
  return {
    command,
    async release(grace = RELEASE_GRACE) {
      if (!exited) await waitFor(status, grace);
      if (!exited) child.unref();
    },
  };
}

/** `promise`'s value, or `undefined` after `ms` or once `signal` aborts. */
async function waitFor<T>(
  promise: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    onAbort = () => resolve(undefined);
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, gaveUp]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort!);
  }
}
