/**
 * The command line's help text and version.
 *
 * @module
 */

import denoJson from "../../deno.json" with { type: "json" };
import { writeAll } from "../deno/_files.ts";
import type { Command } from "./_options.ts";

/** The program name shown in messages. */
export const PROGRAM = "twitch-auth";

/** How to install the program under its name. */
const INSTALL = `deno install -g -A -n ${PROGRAM} jsr:${denoJson.name}`;

/**
 * Answers `--help` or `--version`, given alone, without the option parser or
 * the rest of the CLI: `mod.ts` loads only this module for them. Prints
 * exactly what the full CLI (`_main.ts`) prints for them.
 *
 * @param args `["--help"]`, `["-h"]`, `["--version"]` or `["-V"]`.
 * @returns The exit code: 0, or 1 when stdout is closed.
 *
 * @example
 * ```ts ignore
 * import { main } from "./_help.ts";
 *
 * Deno.exit(await main(["--version"])); // prints "twitch-auth 0.1.0"
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const version = args[0] === "-V" || args[0] === "--version";
  const text = version ? versionText() : helpText();
  try {
    await writeAll(Deno.stdout, new TextEncoder().encode(text));
    return 0;
  } catch {
    return 1; // stdout closed (`| head`): nothing to say it on.
  }
}

/**
 * The version line, from `deno.json`.
 *
 * @returns `"twitch-auth 1.2.3"`.
 */
export function versionText(): string {
  return `${PROGRAM} ${denoJson.version}\n`;
}

/** Each option's lines in the help, in the order they are listed. */
const OPTIONS = {
  "client-id":
    `  --client-id ID          The app's client id (env TWITCH_CLIENT_ID)`,
  "client-secret":
    `  --client-secret SECRET  The app's client secret. Better: set TWITCH_CLIENT_SECRET,
                          or leave it out and type it at the hidden prompt, so it
                          stays out of the shell history`,
  "scopes":
    `  -s, --scopes SCOPES     Scopes to ask for, separated by spaces or commas;
                          repeatable (see the scopes command)`,
  "for":
    `  --for NEEDS             What the app calls, separated by commas; repeatable:
                          endpoints ("POST /chat/messages", "Send Chat Message"),
                          EventSub types ("channel.follow", "channel.follow@2") or
                          tasks ("read chat", "moderate chat"; --for tasks lists
                          them). token and device ask for their fewest scopes
                          (with -s's), scopes shows them, validate checks a token`,
  "force-verify":
    `  --force-verify          Make Twitch ask again even if you approved before`,
  "port":
    `  --port PORT             Port of the local callback server (default 17563, or the
                          redirect URL's port); for mock, the mock's port`,
  "host":
    `  --host HOST             Loopback address the callback server listens on
                          (default 127.0.0.1 and ::1; never another machine's)`,
  "redirect-url":
    `  --redirect-url URL      The OAuth Redirect URL registered for the app
                          (default http://localhost:PORT); for mock, one more
                          redirect URL the demo app accepts (repeatable)`,
  "token-lifetime":
    `  --token-lifetime SECS   For mock: how long its access tokens live (default 14400)`,
  "all":
    `  --all                   For mock expire/revoke: every token the mock issued`,
  "no-browser":
    `  --no-browser            Print the sign-in URL instead of opening a browser`,
  "browser":
    `  --browser CMD           Command that opens the URL, such as "firefox --new-window"
                          (default $BROWSER, else the system's)`,
  "auth-base-url":
    `  --auth-base-url URL     Twitch's OAuth base URL (env TWITCH_AUTH_BASE_URL;
                          default https://id.twitch.tv/oauth2; a mock's to test)`,
  "format":
    `  --format FORMAT         text (default), json (Twitch's field names and
                          obtained_at: the token file a bot reads) or env
                          (TWITCH_ACCESS_TOKEN=... lines for a .env file)`,
  "output":
    `  --output FILE           Write the result to FILE, readable by you only (mode 0600),
                          instead of stdout; checked before the sign-in starts.
                          With --format env, updates its TWITCH_* lines and keeps
                          the others; with json, replaces only a token file. If
                          FILE cannot be written after all, the result goes to a
                          file beside it (or stdout) and the exit code is 1`,
  "force":
    `  --force                 Let --output replace a file that is not a token file`,
  "timeout":
    `  --timeout SECONDS       Give up after this long (default: 600 for the sign-in,
                          the code's lifetime for device, 30 per request to Twitch)`,
  "demo":
    `  --demo                  Try token, device or app with no Twitch account and no
                          network: a mock Twitch with a demo app, just for this run
                          (approves by itself with --no-browser or no browser)`,
  "help": `  -h, --help              Show this help`,
  "version": `  -V, --version           Show the version`,
} as const;

/** An option of {@linkcode OPTIONS}. */
type OptionName = keyof typeof OPTIONS;

const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

/** The lines of `names`, in the order of {@linkcode OPTIONS}. */
function optionLines(names: readonly OptionName[]): string {
  return OPTION_NAMES.filter((name) => names.includes(name))
    .map((name) => OPTIONS[name]).join("\n");
}

/**
 * The help text: commands, options, examples and exit codes.
 *
 * @returns The text for `--help`.
 */
export function helpText(): string {
  return `${PROGRAM} ${denoJson.version}: get a Twitch user access token on your own machine.
Approve in the browser, the redirect comes back to http://localhost:17563,
the tokens are printed. No web site in between. No browser here? Use device.

Usage:
  ${PROGRAM} [COMMAND] [OPTIONS]
  ${PROGRAM} COMMAND --help    That command's options and examples

  Install it under that name:  ${INSTALL}
  or run it without installing: deno run -A jsr:${denoJson.name} [COMMAND] [OPTIONS]

Commands:
  token                    User token through the browser sign-in (default); with
                           no -s, a local page lets you pick the scopes first
  device                   User token on a machine without a browser: open a URL
                           on any device (a QR code on a terminal) and type a code;
                           works with a public client (no secret)
  app                      App access token (client credentials)
  validate [TOKEN]         Show a token's client id, login, user id, scopes, expiry
  refresh [REFRESH_TOKEN]  New access token from a refresh token, or from a token
                           file on stdin (refresh - < token.json), keeping its fields
  revoke [TOKEN]           Revoke a token
  scopes                   List every scope and what it grants; with --for, the
                           fewest scopes for what your app calls, and why
  mock                     Run the mock Twitch until Ctrl+C (offline development):
                           prints its URLs, the demo app and export lines to paste,
                           then one line per request it answers
  mock expire TOKEN|--all  Expire tokens of a running mock (bots take their refresh
                           path); TOKEN may be an access or refresh token, or "-"
  mock revoke TOKEN|--all  Revoke tokens of a running mock (bots must sign in again)

  A TOKEN or REFRESH_TOKEN of "-" is read from stdin, so it stays out of the
  shell history; left out, it is read from stdin when that is a pipe, or
  asked for (hidden) on a terminal.

Options:
${optionLines(OPTION_NAMES)}

Examples:
  Try it without a Twitch account:
    ${PROGRAM} --demo --no-browser

  Which scopes does a chat bot need? Then sign in asking for exactly those:
    ${PROGRAM} scopes --for "read chat,send chat" --for channel.follow
    ${PROGRAM} --for "read chat,send chat,moderate chat"

  Does a token cover what the app calls?
    jq -r .access_token token.json | ${PROGRAM} validate - --for "read chat,send chat"

  Sign in, picking the scopes on a page, and keep the tokens for a bot:
    export TWITCH_CLIENT_ID=your_client_id TWITCH_CLIENT_SECRET=your_secret
    ${PROGRAM} --format json --output token.json

  On a server or a Raspberry Pi (no browser, no secret needed):
    ${PROGRAM} device -s chat:read,chat:edit --format json --output token.json

  Save .env lines for a bot:
    ${PROGRAM} -s chat:read,chat:edit --format env --output .env

  Check the token a bot keeps (the file above), without typing it:
    jq -r .access_token token.json | ${PROGRAM} validate -

  Refresh, then revoke:
    ${PROGRAM} refresh - < refresh_token.txt
    ${PROGRAM} revoke -

  Everything offline: run "${PROGRAM} mock" in one terminal, paste its export
  lines into another, then use the commands above there.

Set up an app at https://dev.twitch.tv/console/apps with the OAuth Redirect URL
http://localhost:17563 (for device, set its Client Type as you like: public
clients need no secret). The result goes to stdout, messages to stderr.

Exit codes: 0 success, 1 the sign-in or Twitch refused or failed (or validate
--for found scopes missing), 2 usage error, 130 interrupted (Ctrl+C).
`;
}

/** What `COMMAND --help` shows beyond the options. */
interface CommandHelp {
  /** The arguments after the command. */
  usage: string;
  /** What the command does, a few lines. */
  about: string;
  /** The options it takes (`--help` is always added). */
  options: readonly OptionName[];
  /** Command lines to try, each after a line saying what it does. */
  examples: readonly string[];
}

const SIGN_IN_OUTPUT = ["format", "output", "force", "timeout"] as const;

const COMMAND_HELP: Record<Command, CommandHelp> = {
  token: {
    usage: "[OPTIONS]",
    about:
      `User token through the browser sign-in (the default command): the browser
opens on Twitch's consent page (with no -s, first on a local page to pick the
scopes), Twitch sends it back to the local callback server on
http://localhost:17563, and the tokens are printed. Needs the client secret.`,
    options: [
      "client-id",
      "client-secret",
      "scopes",
      "for",
      "force-verify",
      "port",
      "host",
      "redirect-url",
      "no-browser",
      "browser",
      "auth-base-url",
      ...SIGN_IN_OUTPUT,
      "demo",
    ],
    examples: [
      "Ask for the fewest scopes a chat bot needs:",
      `${PROGRAM} --for "read chat,send chat,moderate chat"`,
      "Pick the scopes on a page, keep the tokens for a bot:",
      `${PROGRAM} --format json --output token.json`,
      "Print the URL instead of opening a browser:",
      `${PROGRAM} token -s chat:read --no-browser`,
    ],
  },
  device: {
    usage: "-s SCOPES [OPTIONS]",
    about:
      `User token on a machine without a browser: open the URL shown on any device
(a QR code on a terminal) and type the code; the tokens are printed once you
approve. Works with a public client (no secret).`,
    options: [
      "client-id",
      "scopes",
      "for",
      "auth-base-url",
      ...SIGN_IN_OUTPUT,
      "demo",
    ],
    examples: [
      "On a server or a Raspberry Pi:",
      `${PROGRAM} device -s chat:read,chat:edit --format json --output token.json`,
    ],
  },
  app: {
    usage: "[OPTIONS]",
    about: `App access token (client credentials): no user, no browser.`,
    options: [
      "client-id",
      "client-secret",
      "auth-base-url",
      ...SIGN_IN_OUTPUT,
      "demo",
    ],
    examples: [
      "An app token as .env lines:",
      `${PROGRAM} app --format env --output .env`,
    ],
  },
  validate: {
    usage: "[TOKEN] [OPTIONS]",
    about:
      `Show a token's client id, login, user id, scopes and expiry, as Twitch sees
it; with --for, whether its scopes cover those needs. TOKEN "-" (or none, with
stdin a pipe) is read from stdin; on a terminal it is asked for (hidden).
Exit 1 when Twitch calls it invalid.`,
    options: ["for", "auth-base-url", ...SIGN_IN_OUTPUT],
    examples: [
      "Check the token a bot keeps, without typing it:",
      `jq -r .access_token token.json | ${PROGRAM} validate -`,
      "Does it cover what the app calls?",
      `jq -r .access_token token.json | ${PROGRAM} validate - --for "read chat,send chat"`,
    ],
  },
  refresh: {
    usage: "[REFRESH_TOKEN] [OPTIONS]",
    about:
      `New access token (and refresh token) from a refresh token, read like validate's
TOKEN. A public client leaves the secret empty at the prompt.`,
    options: [
      "client-id",
      "client-secret",
      "auth-base-url",
      ...SIGN_IN_OUTPUT,
    ],
    examples: [
      "Refresh the tokens of a token file:",
      `jq -r .refresh_token token.json | ${PROGRAM} refresh - --format json --output token.json`,
    ],
  },
  revoke: {
    usage: "[TOKEN] [OPTIONS]",
    about:
      `Revoke an access or refresh token of the app (read like validate's TOKEN).`,
    options: ["client-id", "auth-base-url", ...SIGN_IN_OUTPUT],
    examples: [
      "Revoke the token a bot keeps:",
      `jq -r .access_token token.json | ${PROGRAM} revoke -`,
    ],
  },
  scopes: {
    usage: "[OPTIONS]",
    about:
      `List every Twitch scope and what it grants; with --for, the fewest scopes for
what your app calls, and why.`,
    options: ["for", "format", "output", "force"],
    examples: [
      "Which scopes does a chat bot need?",
      `${PROGRAM} scopes --for "read chat,send chat" --for channel.follow`,
      "Find the chat scopes:",
      `${PROGRAM} scopes | grep chat`,
    ],
  },
  mock: {
    usage: "[OPTIONS]  |  mock expire|revoke TOKEN|--all",
    about:
      `Run the mock Twitch on loopback until Ctrl+C, for offline development: it
prints its URLs, the demo app and export lines to paste into another terminal,
where the other commands, a bot or an example then talk to it, and one line
per request it answers. From that other terminal, "mock expire" and
"mock revoke" end tokens early (TOKEN is an access or refresh token, or "-").`,
    options: ["port", "redirect-url", "token-lifetime", "all"],
    examples: [
      "On a fixed port, also accepting another redirect URL:",
      `${PROGRAM} mock --port 8080 --redirect-url http://localhost:3000/callback`,
      "Make every running bot take its refresh path now:",
      `${PROGRAM} mock expire --all`,
    ],
  },
};

/**
 * The help of one command: what it does, its options and examples.
 *
 * @param command The command.
 * @returns The text for `COMMAND --help`.
 */
export function commandHelpText(command: Command): string {
  const help = COMMAND_HELP[command];
  const examples = help.examples.map((line, i) =>
    i % 2 === 0 ? `  ${line}` : `    ${line}`
  ).join("\n");
  return `Usage: ${PROGRAM} ${command} ${help.usage}

${help.about}

Options:
${optionLines([...help.options, "help"])}

Examples:
${examples}

Run "${PROGRAM} --help" for every command and the exit codes.
`;
}
