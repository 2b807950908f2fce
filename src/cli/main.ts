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
import { helpText, PROGRAM, versionText } from "./help.ts";
import {
  readTokenArgument,
  requireClientId,
  resolveClientSecret,
} from "./input.ts";
import { type CliIo, denoIo } from "./io.ts";
import {
  type CliOptions,
  type Command,
  parseCliArgs,
  UsageError,
} from "./options.ts";
import {
  formatRevoked,
  formatScopes,
  formatToken,
  formatValidation,
} from "./output.ts";
import {
  CancelledError,
  InvalidArgumentError,
  InvalidTokenError,
  TimeoutError,
  TwitchAuthError,
  UnknownScopeError,
} from "../web/errors.ts";
import { redact } from "../web/redact.ts";
import { refreshAccessToken } from "../web/refresh_access_token.ts";
import { revokeToken } from "../web/revoke_token.ts";
import { validateToken } from "../web/validate_token.ts";
import {
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
} from "./exit_codes.ts";
import {
  emit,
  interruptible,
  messageOf,
  remember,
  requestOptions,
  type Run,
  startRun,
  type Target,
  withTarget,
} from "./run.ts";
import { emitToken } from "./token_result.ts";

export type { CliIo } from "./io.ts";
export {
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
} from "./exit_codes.ts";

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
 * import { main } from "./main.ts";
 *
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(
  args: string[],
  io: Partial<CliIo> = {},
): Promise<number> {
  const run = startRun({ ...denoIo(), ...io });
  try {
    const options = parseCliArgs(args, run.io.env);
    remember(run, options.clientSecret);
    if (options.help) return await print(run, helpText());
    if (options.version) return await print(run, versionText());
    if (options.output !== undefined) {
      const { checkOutputPath } = await import("./output_file.ts");
      await checkOutputPath(options.output);
    }
    return await COMMAND_RUNNERS[options.command](options, run);
  } catch (error) {
    return reportFailure(error, run);
  }
}

const COMMAND_RUNNERS: Record<
  Command,
  (options: CliOptions, run: Run) => Promise<number>
> = {
  token: runToken,
  device: async (options, run) =>
    await (await import("./device.ts")).runDevice(options, run),
  app: runApp,
  validate: runValidate,
  refresh: runRefresh,
  revoke: runRevoke,
  scopes: runScopes,
  mock: async (options, run) =>
    await (await import("./mock_command.ts")).runMock(options, run),
};

// -- commands ----------------------------------------------------------------

async function runToken(options: CliOptions, run: Run): Promise<number> {
  const { browserSignIn } = await import("./sign_in.ts");
  return await withTarget(options, run, async (target) => {
    const { clientId, secret } = await appCredentials(target, "required", run);
    return await interruptible(run, async (signal) => {
      const token = await browserSignIn(
        options,
        { ...target, clientId },
        secret,
        run,
        signal,
      );
      await emitToken(token, clientId, options, target, run, signal);
      return EXIT_OK;
    });
  });
}

async function runApp(options: CliOptions, run: Run): Promise<number> {
  return await withTarget(options, run, async (target) => {
    const { clientId, secret } = await appCredentials(target, "required", run);
    return await interruptible(run, async (signal) => {
      const token = await getAppAccessToken(
        clientId,
        secret!, // "required": resolveClientSecret throws when it is missing
        requestOptions(options, target, signal),
      );
      remember(run, token.accessToken);
      await emit(
        formatToken({ token, clientId }, options.format),
        options,
        run,
      );
      return EXIT_OK;
    });
  });
}

async function runValidate(options: CliOptions, run: Run): Promise<number> {
  const token = await readSecretArgument(options, "access token", run);
  return await withTarget(
    options,
    run,
    (target) =>
      interruptible(run, async (signal) => {
        const result = await validateToken(
          token,
          requestOptions(options, target, signal),
        );
        if ("status" in result) throw new InvalidTokenError();
        await emit(formatValidation(result, options.format), options, run);
        return EXIT_OK;
      }),
  );
}

async function runRefresh(options: CliOptions, run: Run): Promise<number> {
  const refreshToken = await readSecretArgument(options, "refresh token", run);
  return await withTarget(options, run, async (target) => {
    const { clientId, secret } = await appCredentials(target, "optional", run);
    return await interruptible(run, async (signal) => {
      const token = await refreshAccessToken(
        refreshToken,
        clientId,
        secret,
        requestOptions(options, target, signal),
      );
      await emitToken(token, clientId, options, target, run, signal);
      return EXIT_OK;
    });
  });
}

async function runRevoke(options: CliOptions, run: Run): Promise<number> {
  const token = await readSecretArgument(options, "token", run);
  return await withTarget(options, run, async (target) => {
    const clientId = requireClientId(target.clientId);
    return await interruptible(run, async (signal) => {
      const revoked = await revokeToken(
        clientId,
        token,
        requestOptions(options, target, signal),
      );
      if (!revoked) {
        throw new TwitchAuthError(
          `Twitch did not revoke the token ${
            redact(token)
          }: it is unknown or already revoked, or it belongs to another app than client id ${clientId}`,
        );
      }
      await emit(formatRevoked(options.format), options, run);
      return EXIT_OK;
    });
  });
}

async function runScopes(options: CliOptions, run: Run): Promise<number> {
  await emit(formatScopes(options.format as "text" | "json"), options, run);
  return EXIT_OK;
}

/** The app's client id and secret, asked for when missing; never printed. */
async function appCredentials(
  target: Target,
  need: "required" | "optional",
  run: Run,
): Promise<{ clientId: string; secret: string | undefined }> {
  const clientId = requireClientId(target.clientId);
  const secret = await resolveClientSecret(
    target.clientSecret,
    clientId,
    need,
    run.io,
  );
  remember(run, secret);
  return { clientId, secret };
}

/** The token argument (or stdin, or a hidden prompt); never printed. */
async function readSecretArgument(
  options: CliOptions,
  what: string,
  run: Run,
): Promise<string> {
  const token = await readTokenArgument(options.tokenArgument, what, run.io);
  remember(run, token);
  return token;
}

// -- results -----------------------------------------------------------------

async function print(run: Run, text: string): Promise<number> {
  await run.io.writeOut(text);
  return EXIT_OK;
}

// -- plumbing ----------------------------------------------------------------

/** Prints one line for an expected failure and returns its exit code. */
function reportFailure(error: unknown, run: Run): number {
  // Ctrl+C: SIGINT while a command runs, or typed at the hidden prompt.
  if (run.interrupted || error instanceof CancelledError) {
    run.io.writeErr(
      `${PROGRAM}: interrupted; nothing was kept and the callback server is closed.\n`,
    );
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

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof UnknownScopeError ||
    error instanceof InvalidArgumentError;
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
