/**
 * What every command of the command line shares: one context object (the
 * options, the I/O with the secrets never to print, and the Ctrl+C signal),
 * where the Twitch calls go, and writing the result.
 *
 * @module
 */

import type { CliIo } from "./_io.ts";
import type { CliOptions } from "./_options.ts";
import type { Demo } from "./_demo.ts";
import { freeLoopbackPort } from "./_free_port.ts";
import { CancelledError } from "../web/errors.ts";
import { redact } from "../web/redact.ts";
import type { RequestOptions } from "../web/request_options.ts";
import { DEFAULT_REDIRECT_URI } from "../deno/user_authenticator.ts";

/**
 * One run of the command line, before its arguments are read: the process's
 * I/O, the secrets never to print, and Ctrl+C.
 */
export interface Run {
  /** The process's I/O; stderr scrubbed of {@linkcode Run.secrets}. */
  readonly io: CliIo;
  /** Secrets seen in this run; never written to stderr in full. */
  readonly secrets: Set<string>;
  /**
   * Aborted (with a {@linkcode CancelledError}) when Ctrl+C is pressed while
   * a command listens for it ({@linkcode interruptible}).
   */
  readonly signal: AbortSignal;
  /** Aborts {@linkcode Run.signal}. */
  readonly interrupt: () => void;
}

/** What every step of a command gets: the run and the checked options. */
export interface CliContext extends Run {
  /** What the user asked for. */
  readonly options: CliOptions;
}

/** A command at work: the context and where its Twitch calls go. */
export interface TargetContext extends CliContext {
  /** Where the Twitch calls go and with which app. */
  readonly target: Target;
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
  const ctrlC = new AbortController();
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
    signal: ctrlC.signal,
    interrupt: () => ctrlC.abort(new CancelledError("Ctrl+C")),
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
 * @param cli The command line.
 * @param task What to do there.
 * @returns What `task` returns.
 */
export async function withTarget<T>(
  cli: CliContext,
  task: (cli: TargetContext) => Promise<T>,
): Promise<T> {
  const { options } = cli;
  if (!options.demo) {
    return await task({
      ...cli,
      target: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authBaseUrl: options.authBaseUrl,
        redirectUrl: options.redirectUrl ??
          (options.port
            ? `http://localhost:${options.port}`
            : DEFAULT_REDIRECT_URI),
      },
    });
  }
  const { startDemo } = await import("./_demo.ts");
  const redirectUrl = options.redirectUrl ??
    `http://localhost:${options.port ?? freeLoopbackPort()}`;
  const demo = await startDemo(redirectUrl);
  remember(cli, demo.clientSecret);
  cli.io.writeErr(
    `Demo: a mock Twitch runs at ${demo.authBaseUrl} with a demo app; nothing goes to the network.\n`,
  );
  try {
    return await task({
      ...cli,
      target: {
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        authBaseUrl: demo.authBaseUrl,
        redirectUrl,
        demo,
      },
    });
  } finally {
    await demo.close();
  }
}

/**
 * Runs `task` while Ctrl+C aborts {@linkcode Run.signal}; stops listening
 * after.
 *
 * @param run The run.
 * @param task The work; it watches `run.signal`.
 * @returns What `task` returns.
 */
export async function interruptible<T>(
  run: Run,
  task: () => Promise<T>,
): Promise<T> {
  const stopListening = run.io.onInterrupt(run.interrupt);
  try {
    return await task();
  } finally {
    stopListening();
  }
}

/**
 * The options of one call to Twitch: the target's base URL, `--timeout` and
 * Ctrl+C.
 *
 * @param cli The command at work.
 * @returns The request options.
 */
export function requestOptions(cli: TargetContext): RequestOptions {
  return {
    authBaseUrl: cli.target.authBaseUrl,
    timeout: cli.options.timeout,
    signal: cli.signal,
  };
}

/**
 * Writes the result to stdout, or to `--output` (mode 0600, atomically; see
 * `writeOutput` for what is kept and where the result goes when it fails).
 *
 * @param cli The command line (`--output`).
 * @param text The result.
 */
export async function emit(cli: CliContext, text: string): Promise<void> {
  if (cli.options.output === undefined) {
    await cli.io.writeOut(text);
    return;
  }
  const { writeOutput } = await import("./_output_file.ts");
  await writeOutput(cli, text);
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
