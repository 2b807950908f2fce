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
  "app",
  "validate",
  "refresh",
  "revoke",
  "scopes",
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
  /** `-V/--version`. */
  version: boolean;
  /** `--client-id`, else `TWITCH_CLIENT_ID`. */
  clientId?: string;
  /** `--client-secret`, else `TWITCH_CLIENT_SECRET`. */
  clientSecret?: string;
  /** `-s/--scopes`, every occurrence, checked. */
  scopes: AuthScope[];
  /** `--force-verify`. */
  forceVerify: boolean;
  /** `--port`. */
  port?: number;
  /** `--host`. */
  host?: string;
  /** `--redirect-url`. */
  redirectUrl?: string;
  /** `--browser CMD` (a command line), `false` for `--no-browser`, `undefined`: the system's. */
  browser?: string | false;
  /** `--auth-base-url`, else `TWITCH_AUTH_BASE_URL`. */
  authBaseUrl?: string;
  /** `--format`. */
  format: Format;
  /** `--output`. */
  output?: string;
  /** `--timeout`, in milliseconds. */
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
] as const;

const BOOLEAN_OPTIONS = ["force-verify", "demo", "help", "version"] as const;

type RawArgs =
  & { _: (string | number)[]; scopes: string[] }
  & { [K in typeof STRING_OPTIONS[number]]?: string | false }
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
  const raw = parseRaw(args);
  const positionals = raw._.map(String);
  const options: CliOptions = {
    command: "token",
    help: raw.help,
    version: raw.version,
    scopes: [],
    forceVerify: raw["force-verify"],
    format: "text",
    demo: raw.demo,
  };
  if (options.help || options.version) return options;
  Object.assign(options, {
    ...readCommand(positionals),
    clientId: stringOption(raw, "client-id") ?? env("TWITCH_CLIENT_ID"),
    clientSecret: stringOption(raw, "client-secret") ??
      env("TWITCH_CLIENT_SECRET"),
    scopes: parseScopes(raw.scopes),
    port: readPort(stringOption(raw, "port", true)),
    host: stringOption(raw, "host", true),
    redirectUrl: readUrl(
      stringOption(raw, "redirect-url", true),
      "redirect-url",
    ),
    browser: readBrowser(raw.browser),
    authBaseUrl: readUrl(
      stringOption(raw, "auth-base-url", true) ?? env("TWITCH_AUTH_BASE_URL"),
      "auth-base-url",
    ),
    format: readFormat(stringOption(raw, "format", true)),
    output: stringOption(raw, "output", true),
    timeout: readTimeout(stringOption(raw, "timeout", true)),
  });
  if (options.command === "scopes" && options.format === "env") {
    throw new UsageError(
      "--format env makes .env lines of tokens; list the scopes with --format text or json",
    );
  }
  return options;
}

function parseRaw(args: string[]): RawArgs {
  const unknown: string[] = [];
  const raw = parseArgs(args, {
    string: [...STRING_OPTIONS],
    boolean: [...BOOLEAN_OPTIONS],
    collect: ["scopes"],
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
 * A string option's value; `undefined` when absent or empty. With
 * `required`, giving the option without a value is a usage error.
 */
function stringOption(
  raw: RawArgs,
  name: typeof STRING_OPTIONS[number],
  required = false,
): string | undefined {
  const value = raw[name];
  if (typeof value !== "string") return undefined;
  if (value === "" && required) {
    throw new UsageError(`--${name} needs a value`);
  }
  return value || undefined;
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

function readTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || value.trim() === "") {
    throw new UsageError(
      `--timeout must be a number of seconds above 0, not "${value}"`,
    );
  }
  return Math.round(seconds * 1000);
}
