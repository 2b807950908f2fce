/**
 * The command line: `deno run -A jsr:@x/twitch-auth` gets a Twitch user
 * access token in one command. Run `--help` for the commands and options.
 *
 * Loaded only when `mod.ts` is the main module, so library users never load
 * it or `@std/cli`.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { getAppAccessToken } from "../web/app_access_token.ts";
import type { Demo } from "./demo.ts";
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
  type TokenReport,
} from "./output.ts";
import { ProgressLine } from "./progress.ts";
import {
  CancelledError,
  InvalidArgumentError,
  InvalidTokenError,
  TwitchAuthError,
  UnknownScopeError,
} from "../web/errors.ts";
import { openBrowser, type OpenedBrowser } from "../deno/open_browser.ts";
import { redact } from "../web/redact.ts";
import { refreshAccessToken } from "../web/refresh_access_token.ts";
import { revokeToken } from "../web/revoke_token.ts";
import { writeSecretFile } from "../deno/token_file.ts";
import type { RequestOptions } from "../web/_request.ts";
import { Twitch } from "../web/twitch.ts";
import {
  DEFAULT_REDIRECT_URL,
  UserAuthenticator,
} from "../deno/user_authenticator.ts";
import { validateToken } from "../web/validate_token.ts";

export type { CliIo } from "./io.ts";

/** Exit code: the command worked. */
export const EXIT_OK = 0;
/** Exit code: the sign-in or a call to Twitch failed or was refused. */
export const EXIT_FAILED = 1;
/** Exit code: the command line was wrong. */
export const EXIT_USAGE = 2;
/** Exit code: interrupted with Ctrl+C. */
export const EXIT_INTERRUPTED = 130;

/** One run of the command line. */
interface Run {
  io: CliIo;
  /** Secrets seen in this run; never written to stderr in full. */
  secrets: Set<string>;
  /** Set once Ctrl+C was pressed. */
  interrupted: boolean;
}

/** Where the Twitch calls go and with which app. */
interface Target {
  clientId?: string;
  clientSecret?: string;
  authBaseUrl?: string;
  redirectUrl: string;
  demo?: Demo;
}

/** What `--demo` asks for when no `--scopes` are given: a chat bot's scopes. */
const DEMO_SCOPES: readonly string[] = ["chat:read", "chat:edit"];

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
  const secrets = new Set<string>();
  const run: Run = {
    io: withScrubbedErrors({ ...denoIo(), ...io }, secrets),
    secrets,
    interrupted: false,
  };
  try {
    const options = parseCliArgs(args, run.io.env);
    remember(run, options.clientSecret);
    if (options.help) return await print(run, helpText());
    if (options.version) return await print(run, versionText());
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
  app: runApp,
  validate: runValidate,
  refresh: runRefresh,
  revoke: runRevoke,
  scopes: runScopes,
};

// -- commands ----------------------------------------------------------------

async function runToken(options: CliOptions, run: Run): Promise<number> {
  return await withTarget(options, run, async (target) => {
    const { clientId, secret } = appCredentials(target, "required", run);
    const twitch = new Twitch(clientId, secret, {
      authBaseUrl: target.authBaseUrl,
      timeout: options.timeout,
    });
    const scopes = options.scopes.length === 0 && target.demo
      ? DEMO_SCOPES
      : options.scopes;
    const authenticator = new UserAuthenticator(twitch, scopes, {
      forceVerify: options.forceVerify,
      url: target.redirectUrl,
      host: options.host,
      port: options.port,
    });
    return await interruptible(run, async (signal) => {
      const token = await signIn(authenticator, options, target, run, signal);
      await emitToken(token, clientId, options, target, run, signal);
      return EXIT_OK;
    });
  });
}

async function runApp(options: CliOptions, run: Run): Promise<number> {
  return await withTarget(options, run, async (target) => {
    const { clientId, secret } = appCredentials(target, "required", run);
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
    const { clientId, secret } = appCredentials(target, "optional", run);
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
function appCredentials(
  target: Target,
  need: "required" | "optional",
  run: Run,
): { clientId: string; secret: string | undefined } {
  const clientId = requireClientId(target.clientId);
  const secret = resolveClientSecret(
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

// -- the browser sign-in -------------------------------------------------------

/**
 * Runs the sign-in: the authenticator's server starts, then the browser opens
 * (or the URL is printed), a progress line runs on a terminal, and in demo
 * mode without a browser the mock approves by itself.
 */
async function signIn(
  authenticator: UserAuthenticator,
  options: CliOptions,
  target: Target,
  run: Run,
  signal: AbortSignal,
): Promise<AccessToken> {
  const progress = new ProgressLine({
    write: run.io.writeErr,
    enabled: run.io.stderrIsTerminal(),
    color: run.io.env("NO_COLOR") === undefined,
    message: target.demo
      ? "Waiting for the sign-in on the demo's mock Twitch…"
      : "Waiting for you to approve on Twitch in the browser…",
  });
  const ended = new AbortController();
  let opening: Promise<OpenedBrowser | undefined> | undefined;
  try {
    const token = await authenticator.authenticate({
      useBrowser: false,
      authUrlCallback: (url) => {
        progress.start();
        opening = presentAuthorizeUrl(
          url,
          options,
          target,
          progress,
          ended.signal,
        );
      },
      signal,
      timeout: options.timeout,
    });
    remember(run, token.accessToken, token.refreshToken);
    return token;
  } finally {
    progress.stop();
    ended.abort();
    const opened = await opening;
    await opened?.release(run.interrupted ? 0 : undefined);
  }
}

/**
 * Opens the browser on the authorize URL, or prints it; in demo mode with no
 * browser, approves on the mock. Never throws: the sign-in keeps waiting.
 */
async function presentAuthorizeUrl(
  url: string,
  options: CliOptions,
  target: Target,
  progress: ProgressLine,
  ended: AbortSignal,
): Promise<OpenedBrowser | undefined> {
  if (options.browser !== false) {
    progress.log(
      `Opening the browser on the consent page. If it does not come up, open:\n  ${url}`,
    );
    const opened = await openBrowser(url, options.browser, ended).catch(() =>
      undefined
    );
    if (opened || ended.aborted) return opened;
    progress.log(
      "Could not open a browser: open the URL above to sign in with Twitch.",
    );
  } else {
    progress.log(
      `Open this URL in a browser to sign in with Twitch:\n  ${url}`,
    );
  }
  if (target.demo) await approveDemo(target.demo, url, progress);
  return undefined;
}

async function approveDemo(
  demo: Demo,
  url: string,
  progress: ProgressLine,
): Promise<void> {
  progress.log("Demo: no browser, so the mock Twitch approves by itself.");
  try {
    await demo.approve(url);
  } catch (error) {
    progress.log(
      `Demo: the mock could not approve by itself (${
        messageOf(error)
      }): open the URL above.`,
    );
  }
}

// -- results -----------------------------------------------------------------

/** Prints a user token; the text format names its owner (one `/validate`). */
async function emitToken(
  token: AccessToken,
  clientId: string,
  options: CliOptions,
  target: Target,
  run: Run,
  signal: AbortSignal,
): Promise<void> {
  remember(run, token.accessToken, token.refreshToken);
  const report: TokenReport = { token, clientId };
  if (options.format === "text") {
    report.user = await lookUpUser(token, options, target, signal);
  }
  await emit(formatToken(report, options.format), options, run);
}

/** The token's owner, or `undefined` when Twitch cannot say. */
async function lookUpUser(
  token: AccessToken,
  options: CliOptions,
  target: Target,
  signal: AbortSignal,
): Promise<TokenReport["user"]> {
  try {
    const result = await validateToken(
      token.accessToken,
      requestOptions(options, target, signal),
    );
    if ("status" in result || !result.login || !result.user_id) {
      return undefined;
    }
    return { login: result.login, userId: result.user_id };
  } catch {
    return undefined; // the tokens are still worth printing
  }
}

/** Writes the result to `--output` (mode 0600) or stdout. */
async function emit(
  text: string,
  options: CliOptions,
  run: Run,
): Promise<void> {
  if (options.output === undefined) {
    await run.io.writeOut(text);
    return;
  }
  try {
    await writeSecretFile(options.output, text);
  } catch (error) {
    throw new TwitchAuthError(
      `Could not write ${options.output} (${
        error instanceof Error ? error.name : "error"
      }): check that its directory exists and is writable`,
      { cause: error },
    );
  }
  run.io.writeErr(
    `Wrote the result to ${options.output} (readable by you only).\n`,
  );
}

async function print(run: Run, text: string): Promise<number> {
  await run.io.writeOut(text);
  return EXIT_OK;
}

// -- plumbing ----------------------------------------------------------------

/**
 * Runs `task` against Twitch, or in demo mode against the mock started for
 * it (closed afterwards), with the demo app's credentials.
 */
async function withTarget<T>(
  options: CliOptions,
  run: Run,
  task: (target: Target) => Promise<T>,
): Promise<T> {
  if (!options.demo) {
    return await task({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authBaseUrl: options.authBaseUrl,
      redirectUrl: options.redirectUrl ??
        (options.port
          ? `http://localhost:${options.port}`
          : DEFAULT_REDIRECT_URL),
    });
  }
  const { freeLoopbackPort, startDemo } = await import("./demo.ts");
  const redirectUrl = options.redirectUrl ??
    `http://localhost:${options.port ?? freeLoopbackPort()}`;
  const demo = await startDemo(redirectUrl);
  remember(run, demo.clientSecret);
  run.io.writeErr(
    `Demo: a mock Twitch runs at ${demo.authBaseUrl} with a demo app; nothing goes to the network.\n`,
  );
  try {
    return await task({
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      authBaseUrl: demo.authBaseUrl,
      redirectUrl,
      demo,
    });
  } finally {
    await demo.close();
  }
}

/** Runs `task` with a signal that Ctrl+C aborts; stops listening after. */
async function interruptible<T>(
  run: Run,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stopListening = run.io.onInterrupt(() => {
    run.interrupted = true;
    controller.abort(new CancelledError("Ctrl+C"));
  });
  try {
    return await task(controller.signal);
  } finally {
    stopListening();
  }
}

function requestOptions(
  options: CliOptions,
  target: Target,
  signal: AbortSignal,
): RequestOptions {
  return { authBaseUrl: target.authBaseUrl, timeout: options.timeout, signal };
}

/** Prints one line for an expected failure and returns its exit code. */
function reportFailure(error: unknown, run: Run): number {
  if (run.interrupted) {
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
  run.io.writeErr(`${PROGRAM}: ${messageOf(error)}\n`);
  return EXIT_FAILED;
}

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof UnknownScopeError ||
    error instanceof InvalidArgumentError;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

/** Notes secrets so that stderr never shows them in full. */
function remember(run: Run, ...secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (secret && secret.length >= 8) run.secrets.add(secret);
  }
}

function withScrubbedErrors(io: CliIo, secrets: Set<string>): CliIo {
  return {
    ...io,
    writeErr: (text) => {
      let scrubbed = text;
      for (const secret of secrets) {
        scrubbed = scrubbed.replaceAll(secret, redact(secret));
      }
      io.writeErr(scrubbed);
    },
  };
}
