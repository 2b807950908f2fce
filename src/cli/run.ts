/**
 * What every command of the command line shares: the run (I/O and the
 * secrets never to print), where the Twitch calls go, writing the result,
 * and Ctrl+C.
 *
 * @module
 */

import type { CliIo } from "./io.ts";
import type { CliOptions } from "./options.ts";
import type { Demo } from "./demo.ts";
import { CancelledError, TwitchAuthError } from "../web/errors.ts";
import { redact } from "../web/redact.ts";
import type { RequestOptions } from "../web/_request.ts";
import { writeSecretFile } from "../deno/token_file.ts";
import { DEFAULT_REDIRECT_URI } from "../deno/user_authenticator.ts";

/** One run of the command line. */
export interface Run {
  /** The process's I/O; stderr scrubbed of {@linkcode Run.secrets}. */
  io: CliIo;
  /** Secrets seen in this run; never written to stderr in full. */
  secrets: Set<string>;
  /** Set once Ctrl+C was pressed. */
  interrupted: boolean;
}

/** Where the Twitch calls go and with which app. */
export interface Target {
  /** The app's client id. */
  clientId?: string;
  /** The app's client secret. */
  clientSecret?: string;
  /** Twitch's OAuth base URL (the mock's in demo mode). */
  authBaseUrl?: string;
  /** The redirect URL of the browser sign-in. */
  redirectUrl: string;
  /** The demo's mock, in demo mode. */
  demo?: Demo;
}

/**
 * Starts a run: `io` with stderr scrubbed of every secret noted with
 * {@linkcode remember}.
 *
 * @param io The process's I/O.
 * @returns The run.
 */
export function startRun(io: CliIo): Run {
  const secrets = new Set<string>();
  return {
    io: {
      ...io,
      writeErr: (text) => {
        let scrubbed = text;
        for (const secret of secrets) {
          scrubbed = scrubbed.replaceAll(secret, redact(secret));
        }
        io.writeErr(scrubbed);
      },
    },
    secrets,
    interrupted: false,
  };
}

/**
 * Notes secrets so that stderr never shows them in full.
 *
 * @param run The run.
 * @param secrets Secrets; `undefined` and short strings are skipped.
 */
export function remember(run: Run, ...secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (secret && secret.length >= 8) run.secrets.add(secret);
  }
}

/**
 * Runs `task` against Twitch, or in demo mode against a mock started for it
 * (closed afterwards), with the demo app's credentials.
 *
 * @param options The command line.
 * @param run The run.
 * @param task What to do with the target.
 * @returns What `task` returns.
 */
export async function withTarget<T>(
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
          : DEFAULT_REDIRECT_URI),
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

/**
 * Runs `task` with a signal that Ctrl+C aborts; stops listening after.
 *
 * @param run The run; marked interrupted on Ctrl+C.
 * @param task The work, given the signal.
 * @returns What `task` returns.
 */
export async function interruptible<T>(
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

/**
 * The options of one call to Twitch.
 *
 * @param options The command line (`--timeout`).
 * @param target Where the call goes.
 * @param signal Ctrl+C.
 * @returns The request options.
 */
export function requestOptions(
  options: CliOptions,
  target: Target,
  signal: AbortSignal,
): RequestOptions {
  return { authBaseUrl: target.authBaseUrl, timeout: options.timeout, signal };
}

/**
 * Writes the result to `--output` (mode 0600, atomically) or stdout.
 *
 * @param text The result.
 * @param options The command line (`--output`).
 * @param run The run.
 */
export async function emit(
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

/**
 * The first line of an error's message.
 *
 * @param error Anything thrown.
 * @returns One line.
 */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}
