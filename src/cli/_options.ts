/**
 * Turns the command line's arguments and environment into checked options,
 * with a {@linkcode UsageError} naming each wrong input.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { parseScopes } from "../web/parse_scopes.ts";
import { redact } from "../web/redact.ts";
import type { AuthScope } from "../web/scopes.ts";

/** The commands of the command line. */
export const COMMANDS = [
  "token",
  "device",
  "app",
  "validate",
  "refresh",
  "revoke",
  "scopes",
  "mock",
] as const;

/** One of {@linkcode COMMANDS}. */
export type Command = typeof COMMANDS[number];

/** The output formats. */
export const FORMATS = ["text", "json", "env"] as const;

/** One of {@linkcode FORMATS}. */
export type Format = typeof FORMATS[number];

/** The commands that take a token (or refresh token) argument. */
const TAKES_TOKEN: ReadonlySet<Command> = new Set([
  "validate",
  "refresh",
  "revoke",
]);

/** What the user asked for, checked. */
export interface CliOptions {
  /** The command to run. */
  command: Command;
  /** The TOKEN or REFRESH_TOKEN argument (`"-"`: read stdin). */
  tokenArgument?: string;
  /** `-h/--help`. */
  help: boolean;
  /** With `--help`, the command named before or after it: show its help. */
  helpCommand?: Command;
  /** `-V/--version`. */
  version: boolean;
  /** `--client-id`, else `TWITCH_CLIENT_ID`. */
  clientId?: string;
  /** `--client-secret`, else `TWITCH_CLIENT_SECRET`. */
  clientSecret?: string;
  /** `-s/--scopes`, every occurrence, checked. */
  scopes: AuthScope[];
  /**
   * `--for`, every occurrence split at commas: endpoints, EventSub types or
   * tasks whose minimal scopes to ask for (token, device), show (scopes) or
   * check a token against (validate).
   */
  forNeeds: string[];
  /** `--force-verify`. */
  forceVerify: boolean;
  /** `--port`. */
  port?: number;
  /** `--host`. */
  host?: string;
  /** `--redirect-url` (the first, for every command but `mock`). */
  redirectUrl?: string;
  /** Every `--redirect-url` given (`mock` accepts several). */
  redirectUrls: string[];
  /** `mock expire` or `mock revoke`: steer a running mock instead of starting one. */
  mockAction?: "expire" | "revoke";
  /** `--all` (mock expire/revoke: every token). */
  all: boolean;
  /** `--token-lifetime` (mock), in seconds. */
  tokenLifetime?: number;
  /** `--browser CMD` (a command line), `false` for `--no-browser`, `undefined`: the system's. */
  browser?: string | false;
  /** `--auth-base-url`, else `TWITCH_AUTH_BASE_URL`. */
  authBaseUrl?: string;
  /** Where {@linkcode CliOptions.authBaseUrl} came from, for messages. */
  authBaseUrlFrom?: "--auth-base-url" | "TWITCH_AUTH_BASE_URL";
  /** `--format`. */
  format: Format;
  /** `--output`. */
  output?: string;
  /** `--force`: `--output` may replace a file that is not a token file. */
  force: boolean;
  /** `--timeout` (given in seconds), in milliseconds. */
  timeout?: number;
  /** `--demo`. */
  demo: boolean;
}

/** A wrong command line: the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong and how to put it right.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const STRING_OPTIONS = [
  "for",
  "client-id",
  "client-secret",
  "scopes",
  "port",
  "host",
  "redirect-url",
  "browser",
  "auth-base-url",
  "format",
  "output",
  "timeout",
  "token-lifetime",
] as const;

const BOOLEAN_OPTIONS = [
  "force-verify",
  "force",
  "demo",
  "help",
  "version",
  "all",
] as const;

type RawArgs =
  & {
    _: (string | number)[];
    scopes: string[];
    for: string[];
    "redirect-url": string[];
  }
  & {
    [K in Exclude<typeof STRING_OPTIONS[number], "redirect-url" | "for">]?:
      | string
      | false;
  }
  & { [K in typeof BOOLEAN_OPTIONS[number]]: boolean };

/**
 * Parses the arguments. Flags win over the environment; an empty value
 * counts as not given.
 *
 * @param args The arguments after the program name.
 * @param env Reads an environment variable.
 * @returns The checked options.
 * @throws {UsageError} for an unknown option or command, a bad value, or a
 * wrong number of arguments.
 * @throws {UnknownScopeError} for a scope Twitch does not know.
 */
export function parseCliArgs(
  args: string[],
  env: (name: string) => string | undefined,
): CliOptions {
  const raw = parseRaw(joinOptionValues(args));
  const positionals = raw._.map(String);
  const options: CliOptions = {
    command: "token",
    help: raw.help,
    version: raw.version,
    scopes: [],
    forNeeds: [],
    redirectUrls: [],
    all: raw.all,
    forceVerify: raw["force-verify"],
    format: "text",
    force: raw.force,
    demo: raw.demo,
  };
  if (options.help) {
    return { ...options, helpCommand: knownCommand(positionals[0]) };
  }
  if (options.version) return options;
  Object.assign(options, {
    ...readCommand(positionals),
    clientId: stringOption(raw, "client-id") ?? env("TWITCH_CLIENT_ID"),
    clientSecret: stringOption(raw, "client-secret") ??
      env("TWITCH_CLIENT_SECRET"),
    scopes: readScopes(raw.scopes),
    forNeeds: readNeeds(raw.for),
    port: readPort(stringOption(raw, "port")),
    host: readHost(stringOption(raw, "host")),
    ...readRedirectUrls(raw["redirect-url"]),
    browser: readBrowser(raw.browser),
    ...readAuthBaseUrl(
      stringOption(raw, "auth-base-url"),
      env("TWITCH_AUTH_BASE_URL"),
    ),
    format: readFormat(stringOption(raw, "format")),
    output: stringOption(raw, "output"),
    timeout: readTimeout(stringOption(raw, "timeout")),
    tokenLifetime: readTokenLifetime(stringOption(raw, "token-lifetime")),
  });
  checkCombination(options);
  return options;
}

/** Usage errors that depend on more than one option. */
function checkCombination(options: CliOptions): void {
  if (options.forNeeds.length > 0 && !TAKES_NEEDS.has(options.command)) {
    throw new UsageError(
      `--for works with token, device, scopes and validate, not ${options.command}`,
    );
  }
  if (
    options.forNeeds.length > 0 && options.command === "validate" &&
    options.format === "env"
  ) {
    throw new UsageError(
      "validate --for shows which needs the token covers: use --format text or json",
    );
  }
  if (options.command === "scopes" && options.format === "env") {
    throw new UsageError(
      "--format env makes .env lines of tokens; list the scopes with --format text or json",
    );
  }
  if (options.demo && DEMO_REFUSED.has(options.command)) {
    throw new UsageError(
      `${options.command} --demo would ask a fresh mock Twitch that knows no token: run "twitch-auth mock" in another terminal, paste its export lines here, then run ${options.command} without --demo`,
    );
  }
  if (options.command === "mock" && options.demo) {
    throw new UsageError("mock is the demo's mock Twitch: leave out --demo");
  }
  if (options.redirectUrls.length > 1 && options.command !== "mock") {
    throw new UsageError(
      `${options.command} takes one --redirect-url (only mock accepts several)`,
    );
  }
  if (options.tokenLifetime !== undefined && options.command !== "mock") {
    throw new UsageError(
      "--token-lifetime sets how long the mock's tokens live: use it with mock",
    );
  }
  const steering = options.mockAction !== undefined;
  if (options.all && !steering) {
    throw new UsageError(
      'use --all with "mock expire" or "mock revoke" (every token of a running mock)',
    );
  }
  if (steering && options.all === (options.tokenArgument !== undefined)) {
    throw new UsageError(
      `mock ${options.mockAction} needs a token (or "-" to read it from stdin) or --all, not both`,
    );
  }
}

/** Commands whose `--demo` could only meet a mock that never saw the token. */
const TAKES_NEEDS: ReadonlySet<Command> = new Set([
  "token",
  "device",
  "scopes",
  "validate",
]);

const DEMO_REFUSED: ReadonlySet<Command> = new Set([
  "validate",
  "refresh",
  "revoke",
]);

/** The long names of the options that take a value, and `-s`. */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  ...STRING_OPTIONS.map((name) => `--${name}`),
  "-s",
]);

/**
 * Makes `--port -1` one argument, `--port=-1`, so that a negative number
 * reaches the option's own check instead of counting as an unknown option;
 * refuses an empty value (`--output ''`), which the parser would take for a
 * positional argument.
 */
function joinOptionValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      joined.push(...args.slice(i));
      break;
    }
    if (!VALUE_FLAGS.has(arg) || i + 1 >= args.length) {
      joined.push(arg);
      continue;
    }
    const value = args[i + 1];
    if (value === "" || /^-[\d.]/.test(value)) {
      joined.push(`${arg === "-s" ? "--scopes" : arg}=${value}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function parseRaw(args: string[]): RawArgs {
  const unknown: string[] = [];
  const raw = parseArgs(args, {
    string: [...STRING_OPTIONS],
    boolean: [...BOOLEAN_OPTIONS],
    collect: ["scopes", "for", "redirect-url"],
    negatable: ["browser"],
    alias: { s: "scopes", h: "help", V: "version" },
    unknown: (arg: string, key?: string) => {
      if (key === undefined) return true;
      unknown.push(arg.split("=")[0]);
      return false;
    },
  }) as unknown as RawArgs;
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown option${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}`,
    );
  }
  return raw;
}

/**
 * A string option's value; `undefined` when absent. Giving the option with
 * an empty value is a usage error (an empty environment variable counts as
 * unset instead).
 */
function stringOption(
  raw: RawArgs,
  name: Exclude<typeof STRING_OPTIONS[number], "redirect-url" | "for">,
): string | undefined {
  const value = raw[name];
  if (typeof value !== "string") return undefined;
  if (value.trim() === "") {
    throw new UsageError(`--${name} needs a value, not an empty one`);
  }
  return value;
}

function readCommand(
  positionals: string[],
): Pick<CliOptions, "command" | "tokenArgument"> {
  const [first, ...rest] = positionals;
  if (first === undefined) return { command: "token" };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(
      `Unknown command "${shown(first)}": use one of ${COMMANDS.join(", ")}`,
    );
  }
  const command = first as Command;
  if (command === "mock" && rest.length > 0) return readMockAction(rest);
  const allowed = TAKES_TOKEN.has(command) ? 1 : 0;
  if (rest.length > allowed) {
    throw new UsageError(
      allowed === 0
        ? `${command} takes no arguments`
        : `${command} takes one argument (or "-" to read it from stdin)`,
    );
  }
  return { command, tokenArgument: rest[0] };
}

/** `name` when it is one of {@linkcode COMMANDS}. */
function knownCommand(name: string | undefined): Command | undefined {
  return (COMMANDS as readonly (string | undefined)[]).includes(name)
    ? name as Command
    : undefined;
}

/** `mock expire [TOKEN]` and `mock revoke [TOKEN]`. */
function readMockAction(
  rest: string[],
): Pick<CliOptions, "command" | "tokenArgument" | "mockAction"> {
  const [action, token, ...extra] = rest;
  if (action !== "expire" && action !== "revoke") {
    throw new UsageError(
      `Unknown mock action "${
        shown(action)
      }": use "mock" to start one, or "mock expire" / "mock revoke" with a token or --all to steer a running one`,
    );
  }
  if (extra.length > 0) {
    throw new UsageError(
      `mock ${action} takes one token (or "-" to read it from stdin), or --all`,
    );
  }
  return { command: "mock", mockAction: action, tokenArgument: token };
}

/** A user's input, shortened when it could be a secret typed by mistake. */
function shown(input: string): string {
  return input.length >= 16 ? redact(input) : input;
}

function readPort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new UsageError(
      `--port must be a whole number from 1 to 65535, not "${value}"`,
    );
  }
  return port;
}

function readNeeds(values: string[]): string[] {
  const needs = values.flatMap((value) => value.split(","))
    .map((need) => need.trim());
  if (needs.some((need) => need === "")) {
    throw new UsageError(
      '--for needs endpoints, EventSub types or tasks separated by commas, such as --for "read chat,send chat" (twitch-auth scopes --for lists the tasks)',
    );
  }
  return needs;
}

function readScopes(values: string[]): AuthScope[] {
  if (values.some((value) => value.trim() === "")) {
    throw new UsageError(
      "-s/--scopes needs scopes, not an empty value: such as -s chat:read (the scopes command lists them all)",
    );
  }
  return parseScopes(values);
}

/** Host names and addresses that only this machine can reach. */
function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return bare === "localhost" || bare === "::1" ||
    /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(bare);
}

/** Why a callback must stay on this machine, for the two options that could move it. */
const LOOPBACK_REASON =
  "Twitch accepts plain-http redirect URLs only for localhost, and the callback carries your authorization code, so no other machine may reach it";

function readHost(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isLoopback(value)) return value.replace(/^\[(.*)\]$/, "$1");
  const what = value === "0.0.0.0" || value === "::" || value === "[::]"
    ? "every network interface"
    : "an address other machines can reach";
  throw new UsageError(
    `--host must be a loopback address (127.0.0.1, ::1 or localhost), not "${
      shown(value)
    }", ${what}: ${LOOPBACK_REASON}`,
  );
}

function readRedirectUrls(
  values: string[],
): Pick<CliOptions, "redirectUrl" | "redirectUrls"> {
  const redirectUrls = values.map((value) => {
    if (value.trim() === "") {
      throw new UsageError("--redirect-url needs a value, not an empty one");
    }
    return readRedirectUrl(value);
  });
  return { redirectUrl: redirectUrls[0], redirectUrls };
}

function readRedirectUrl(value: string): string {
  const url = readUrl(value, "redirect-url") as string;
  const parsed = new URL(url);
  if (parsed.protocol !== "http:") {
    throw new UsageError(
      `--redirect-url must start with http:// (such as http://localhost:17563), not "${url}": the local callback server does not speak TLS`,
    );
  }
  if (parsed.port === "0") {
    throw new UsageError(
      `--redirect-url needs a real port from 1 to 65535, not 0 ("${url}"): Twitch sends the browser back to exactly this URL`,
    );
  }
  if (!isLoopback(parsed.hostname)) {
    throw new UsageError(
      `--redirect-url must point at this machine (localhost, 127.0.0.1 or [::1]), not "${url}": ${LOOPBACK_REASON}`,
    );
  }
  return url;
}

function readUrl(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const url = URL.parse(value);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(
      `--${name} must be an http:// or https:// URL, not "${value}"`,
    );
  }
  return value;
}

function readAuthBaseUrl(
  flag: string | undefined,
  env: string | undefined,
): Pick<CliOptions, "authBaseUrl" | "authBaseUrlFrom"> {
  if (flag !== undefined) {
    return {
      authBaseUrl: readUrl(flag, "auth-base-url"),
      authBaseUrlFrom: "--auth-base-url",
    };
  }
  if (env === undefined || env === "") return {};
  const url = URL.parse(env);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(
      `TWITCH_AUTH_BASE_URL must be an http:// or https:// URL, not "${env}": fix or unset it`,
    );
  }
  return { authBaseUrl: env, authBaseUrlFrom: "TWITCH_AUTH_BASE_URL" };
}

function readBrowser(
  value: string | false | undefined,
): string | false | undefined {
  if (value === "") {
    throw new UsageError(
      "--browser needs a command, such as --browser firefox (or use --no-browser)",
    );
  }
  return value;
}

function readFormat(value: string | undefined): Format {
  if (value === undefined) return "text";
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(
      `--format must be one of ${FORMATS.join(", ")}, not "${value}"`,
    );
  }
  return value as Format;
}

function readTokenLifetime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `--token-lifetime must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, not "${value}" (Twitch's tokens live about 14400 s)`,
    );
  }
  return seconds;
}

/** The longest `--timeout`: what a timer can wait (2^31 - 1 ms), in whole seconds. */
export const MAX_TIMEOUT_SECONDS: number = Math.floor((2 ** 31 - 1) / 1000);

function readTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (
    !Number.isFinite(seconds) || seconds < 0.001 ||
    seconds > MAX_TIMEOUT_SECONDS
  ) {
    throw new UsageError(
      `--timeout must be a number of seconds from 0.001 to ${MAX_TIMEOUT_SECONDS} (about 24 days), not "${value}"`,
    );
  }
  return Math.round(seconds * 1000);
}
