/**
 * The command line: `deno run -A jsr:@x/twitch-auth` gets a Twitch user
 * access token in one command. Run `--help` for the commands and options.
 *
 * Loaded only when `mod.ts` is the main module, so library users never load
 * it or `@std/cli`.
 *
 * @module
 */

import { getAppAccessToken } from "../web/app_access_token.ts";
import { commandHelpText, helpText, PROGRAM, versionText } from "./_help.ts";
import {
  readTokenArgument,
  requireClientId,
  resolveClientSecret,
} from "./_input.ts";
import { type CliIo, denoIo } from "./_io.ts";
import {
  type CliOptions,
  type Command,
  parseCliArgs,
  UsageError,
} from "./_options.ts";
import {
  formatRevoked,
  formatScopes,
  formatToken,
  formatValidation,
} from "./_output.ts";
import {
  CancelledError,
  InvalidArgumentError,
  InvalidTokenError,
  MissingClientSecretError,
  TimeoutError,
  TwitchAuthError,
  UnknownScopeError,
} from "../web/errors.ts";
import { redact } from "../web/redact.ts";
import { refreshAccessToken } from "../web/refresh_access_token.ts";
import { carryOver, requireSecretFor } from "../web/_refresh_secret.ts";
import { revokeToken } from "../web/revoke_token.ts";
import { validateToken } from "../web/validate_token.ts";
import {
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
} from "./_exit_codes.ts";
import {
  type CliContext,
  emit,
  interruptible,
  messageOf,
  remember,
  requestOptions,
  type Run,
  startRun,
  type TargetContext,
  withTarget,
} from "./_run.ts";
import type { AppCredentials } from "../web/app_credentials.ts";
import { emitToken } from "./_token_result.ts";

export type { CliIo } from "./_io.ts";
export {
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
} from "./_exit_codes.ts";

/**
 * Runs the command line: parses `args`, runs the command, writes the result
 * to stdout (or `--output`) and every message to stderr.
 *
 * @param args The arguments after the program name, such as `Deno.args`.
 * @param io Replaces parts of the process's I/O (for tests).
 * @returns The exit code: 0 success, 1 the flow failed, 2 usage error,
 * 130 interrupted.
 *
 * @example Run it as a program
 * ```ts ignore
 * import { main } from "./_main.ts";
 *
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(
  args: string[],
  io: Partial<CliIo> = {},
): Promise<number> {
  const run = startRun({ ...denoIo(), ...io });
  let command: Command | undefined;
  try {
    const cli: CliContext = {
      ...run,
      options: await withNeeds(parseCliArgs(args, run.io.env)),
    };
    const { options } = cli;
    command = options.command;
    remember(cli, options.clientSecret);
    if (options.help) {
      return await print(
        cli,
        options.helpCommand ? commandHelpText(options.helpCommand) : helpText(),
      );
    }
    if (options.version) return await print(cli, versionText());
    if (options.output !== undefined) {
      const { checkOutputPath } = await import("./_output_file.ts");
      await checkOutputPath(options.output, options);
    }
    return await COMMAND_RUNNERS[options.command](cli);
  } catch (error) {
    return reportFailure(error, run, command);
  }
}

const COMMAND_RUNNERS: Record<Command, (cli: CliContext) => Promise<number>> = {
  token: runToken,
  device: async (cli) => await (await import("./_device.ts")).runDevice(cli),
  app: runApp,
  validate: runValidate,
  refresh: runRefresh,
  revoke: runRevoke,
  scopes: runScopes,
  mock: async (cli) => await (await import("./_mock_command.ts")).runMock(cli),
};

// -- commands ----------------------------------------------------------------

async function runToken(cli: CliContext): Promise<number> {
  const { browserSignIn } = await import("./_sign_in.ts");
  return await withTarget(cli, async (cli) => {
    const credentials = await appCredentials(cli, "required");
    return await interruptible(cli, async () => {
      const token = await browserSignIn(cli, credentials);
      await emitToken(cli, token, credentials.clientId);
      return EXIT_OK;
    });
  });
}

async function runApp(cli: CliContext): Promise<number> {
  return await withTarget(cli, async (cli) => {
    const { clientId, clientSecret } = await appCredentials(cli, "required");
    return await interruptible(cli, async () => {
      const token = await getAppAccessToken(
        clientId,
        clientSecret!, // "required": resolveClientSecret throws when it is missing
        requestOptions(cli),
      );
      remember(cli, token.accessToken);
      await emit(cli, formatToken({ token, clientId }, cli.options.format));
      return EXIT_OK;
    });
  });
}

async function runValidate(cli: CliContext): Promise<number> {
  const token = await readSecretArgument(cli, "access token");
  return await withTarget(
    cli,
    (cli) =>
      interruptible(cli, async () => {
        const result = await validateToken(token, requestOptions(cli));
        if ("status" in result) throw new InvalidTokenError();
        if (cli.options.forNeeds.length > 0) {
          const { runValidateFor } = await import("./_scopes_command.ts");
          return await runValidateFor(cli, result);
        }
        await emit(cli, formatValidation(result, cli.options.format));
        return EXIT_OK;
      }),
  );
}

async function runRefresh(cli: CliContext): Promise<number> {
  const { readRefreshInput } = await import("./_refresh_input.ts");
  const given = readRefreshInput(
    await readSecretArgument(cli, "refresh token"),
  );
  remember(cli, given.refreshToken, given.token?.accessToken);
  return await withTarget(cli, async (cli) => {
    const { clientId, clientSecret } = await appCredentials(cli, "optional");
    // A token file from the browser sign-in needs the secret: say so now.
    if (given.token) requireSecretFor(given.token, clientSecret, clientId);
    return await interruptible(cli, async () => {
      const token = await refreshAccessToken(
        given.refreshToken,
        clientId,
        clientSecret,
        requestOptions(cli),
      );
      const kept = given.token ? carryOver(given.token, token) : token;
      await emitToken(cli, kept, clientId);
      return EXIT_OK;
    });
  });
}

async function runRevoke(cli: CliContext): Promise<number> {
  const token = await readSecretArgument(cli, "token");
  return await withTarget(cli, async (cli) => {
    const clientId = requireClientId(cli.target.clientId);
    return await interruptible(cli, async () => {
      const revoked = await revokeToken(clientId, token, requestOptions(cli));
      if (!revoked) {
        throw new TwitchAuthError(
          `Twitch did not revoke the token ${
            redact(token)
          }: it is unknown or already revoked, or it belongs to another app than client id ${clientId}`,
        );
      }
      await emit(cli, formatRevoked(cli.options.format));
      return EXIT_OK;
    });
  });
}

async function runScopes(cli: CliContext): Promise<number> {
  if (cli.options.forNeeds.length > 0) {
    return await (await import("./_scopes_command.ts")).runScopesFor(cli);
  }
  await emit(cli, formatScopes(cli.options.format as "text" | "json"));
  return EXIT_OK;
}

/** token and device `--for`: the needs' minimal scopes join `-s`'s. */
async function withNeeds(options: CliOptions): Promise<CliOptions> {
  if (
    options.forNeeds.length === 0 ||
    (options.command !== "token" && options.command !== "device")
  ) return options;
  return await (await import("./_scopes_command.ts")).withNeededScopes(
    options,
  );
}

/** The app's client id and secret, asked for when missing; never printed. */
async function appCredentials(
  cli: TargetContext,
  need: "required" | "optional",
): Promise<AppCredentials> {
  const clientId = requireClientId(cli.target.clientId);
  const clientSecret = await resolveClientSecret(
    cli.target.clientSecret,
    clientId,
    need,
    cli.io,
  );
  remember(cli, clientSecret);
  return {
    clientId,
    clientSecret,
    authBaseUrl: cli.target.authBaseUrl,
    timeout: cli.options.timeout,
  };
}

/** The token argument (or stdin, or a hidden prompt); never printed. */
async function readSecretArgument(
  cli: CliContext,
  what: string,
): Promise<string> {
  const token = await readTokenArgument(
    cli.options.tokenArgument,
    what,
    cli.io,
  );
  remember(cli, token);
  return token;
}

// -- results -----------------------------------------------------------------

async function print(cli: CliContext, text: string): Promise<number> {
  await cli.io.writeOut(text);
  return EXIT_OK;
}

// -- plumbing ----------------------------------------------------------------

/**
 * Prints one line for an expected failure and returns its exit code.
 *
 * @param error What was thrown.
 * @param run The run.
 * @param command The command that ran, once the arguments were read.
 */
function reportFailure(
  error: unknown,
  run: Run,
  command: Command | undefined,
): number {
  // Ctrl+C: SIGINT while a command runs, or typed at the hidden prompt.
  if (run.signal.aborted || error instanceof CancelledError) {
    run.io.writeErr(`${PROGRAM}: ${interruptedMessage(command)}\n`);
    return EXIT_INTERRUPTED;
  }
  if (isUsageError(error)) {
    run.io.writeErr(
      `${PROGRAM}: ${
        messageOf(error)
      }\nRun "${PROGRAM} --help" for the commands, options and examples.\n`,
    );
    return EXIT_USAGE;
  }
  run.io.writeErr(`${PROGRAM}: ${messageOf(inSeconds(error))}\n`);
  return EXIT_FAILED;
}

/** What Ctrl+C left behind, said for the command that ran. */
function interruptedMessage(command: Command | undefined): string {
  switch (command) {
    case "token":
      return "interrupted; nothing was kept and the callback server is closed.";
    case "device":
      return "interrupted; nothing was kept: run device again for a new code.";
    default:
      return "interrupted; nothing was kept.";
  }
}

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof UnknownScopeError ||
    error instanceof InvalidArgumentError ||
    error instanceof MissingClientSecretError;
}

/** A timeout told in the CLI's unit, seconds (`--timeout`), not milliseconds. */
function inSeconds(error: unknown): unknown {
  if (!(error instanceof TimeoutError)) return error;
  const what = error.message.match(/^(.*?) timed out/)?.[1] ?? "It";
  return new Error(
    `${what} timed out after ${
      Math.round(error.timeout) / 1000
    } seconds: try again, or allow more time with --timeout SECONDS`,
  );
}
