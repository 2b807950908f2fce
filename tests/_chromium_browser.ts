// A real browser for the end-to-end test, run as a program the way the
// authenticator runs any `browser` command (the URL comes last):
//
//   deno run -A tests/_chromium_browser.ts [--click=Authorize|Cancel]
//     [--tick=SCOPE,SCOPE] [--screenshot=FILE] [--log=FILE] URL
//
// It starts headless Chromium (`TWITCH_AUTH_CHROMIUM`, default
// /usr/bin/chromium) with a fresh temporary profile, opens URL, clicks the
// CLI's scope picker: with --tick, it ticks those scopes on the picker and
// presses "Sign in with Twitch" first. Then it clicks the
// consent page's Authorize (or Cancel) button when it lands on one, waits for
// the page at the authorize URL's `redirect_uri`, prints that page's heading,
// closes Chromium and exits 0. Any failure, or 30 s going by, exits non-zero
// with the error on stderr. `E2E_CLICK` and `E2E_SCREENSHOT` work as the flags.
// `--log` also appends what it prints to FILE: the authenticator discards a
// browser's output, so this is how a test gets to see it.

// A full specifier, not an import map entry: playwright-core is for the tests
// only, and nothing a user runs may download it.
// deno-lint-ignore no-import-prefix
import { type Browser, chromium } from "npm:playwright-core@1.65.1";

/** The whole run, Chromium's start and close included, must fit in this. */
const TIMEOUT_MS = 30_000;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

interface Options {
  url: string;
  click: "Authorize" | "Cancel";
  screenshot?: string;
  log?: string;
  tick?: string[];
}

function parseArgs(args: string[]): Options {
  const url = args.at(-1);
  if (!url || url.startsWith("--")) {
    throw new Error(
      "usage: deno run -A tests/_chromium_browser.ts [--click=Authorize|Cancel] [--screenshot=FILE] [--log=FILE] URL",
    );
  }
  const flags = new Map<string, string>();
  for (const arg of args.slice(0, -1)) {
    const match = /^--(click|screenshot|log|tick)=(.+)$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}`);
    flags.set(match[1], match[2]);
  }
  const click = flags.get("click") ?? Deno.env.get("E2E_CLICK") ?? "Authorize";
  if (click !== "Authorize" && click !== "Cancel") {
    throw new Error(`--click must be Authorize or Cancel, not ${click}`);
  }
  return {
    url,
    click,
    screenshot: flags.get("screenshot") ?? Deno.env.get("E2E_SCREENSHOT"),
    log: flags.get("log"),
    tick: flags.get("tick")?.split(","),
  };
}

const started = performance.now();
const left = () => Math.max(1, TIMEOUT_MS - (performance.now() - started));
let logFile: string | undefined;

function log(line: string, error = false): void {
  (error ? console.error : console.log)(line);
  if (logFile) Deno.writeTextFileSync(logFile, `${line}\n`, { append: true });
}

/** Opens `url` and returns the heading of the page the browser ends on. */
async function run(browser: Browser, options: Options): Promise<string> {
  const start = new URL(options.url);
  const redirectUri = start.searchParams.get("redirect_uri");
  const atCallback = (url: URL) =>
    redirectUri
      ? url.href.startsWith(redirectUri)
      : url.origin !== start.origin;
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(left());
  await page.goto(options.url, { timeout: left() });
  if (options.tick) {
    // the scope picker: tick like a user, then go on to Twitch
    for (const scope of options.tick) {
      await page.locator(`input[type=checkbox][value="${scope}"]`).check({
        timeout: left(),
      });
    }
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has("redirect_uri"), {
        timeout: left(),
      }),
      page.getByRole("button", { name: "Sign in with Twitch" }).click({
        timeout: left(),
      }),
    ]);
  }
  const consent = new URL(page.url()).searchParams.get("redirect_uri");
  const callbackAt = consent ?? redirectUri;
  const arrived = (url: URL) =>
    callbackAt ? url.href.startsWith(callbackAt) : atCallback(url);
  if (!arrived(new URL(page.url()))) {
    // Twitch's (the mock's) consent page: press the button like a user would.
    const button = page.getByRole("button", {
      name: options.click,
      exact: true,
    });
    await Promise.all([
      page.waitForURL(arrived, { timeout: left() }),
      button.click({ timeout: left() }),
    ]);
  }
  const heading = page.locator("h1").first();
  await heading.waitFor({ timeout: left() });
  const text = (await heading.innerText({ timeout: left() })).trim();
  if (options.screenshot) {
    await page.screenshot({ path: options.screenshot, timeout: left() });
  }
  return text;
}

async function main(): Promise<number> {
  const options = parseArgs(Deno.args);
  logFile = options.log;
  const executablePath = Deno.env.get("TWITCH_AUTH_CHROMIUM") ||
    "/usr/bin/chromium";
  // No userDataDir: Playwright makes a fresh temporary profile and deletes it.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: left(),
  });
  try {
    log(await run(browser, options));
    return 0;
  } finally {
    await browser.close();
  }
}

// A last resort should Chromium hang on close: exit anyway (Playwright then
// kills the browser's process group on the way out).
const watchdog = setTimeout(() => {
  log(`_chromium_browser: gave up after ${TIMEOUT_MS + 5_000} ms`, true);
  Deno.exit(124);
}, TIMEOUT_MS + 5_000);
Deno.unrefTimer(watchdog);

let code = 1;
try {
  code = await main();
} catch (error) {
  log(
    `_chromium_browser: ${error instanceof Error ? error.stack : error}`,
    true,
  );
}
Deno.exit(code);
