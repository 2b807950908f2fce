/**
 * What the command line touches outside itself (streams, terminal, environment,
 * Ctrl+C), behind one interface so tests can stand in for each piece.
 *
 * @module
 */

import { writeAll } from "../deno/_files.ts";
import { CancelledError } from "../web/errors.ts";

/** The command line's view of the process it runs in. */
export interface CliIo {
  /** Writes the result to standard output. */
  writeOut(text: string): Promise<void>;
  /** Writes a message to standard error. */
  writeErr(text: string): void;
  /** Reads standard input to its end. */
  readIn(): Promise<string>;
  /** Whether standard input is a terminal. */
  stdinIsTerminal(): boolean;
  /** Whether standard output is a terminal. */
  stdoutIsTerminal(): boolean;
  /** Whether standard error is a terminal. */
  stderrIsTerminal(): boolean;
  /** An environment variable, `undefined` when unset or empty. */
  env(name: string): string | undefined;
  /**
   * Asks for a secret on the terminal without echoing it (on stdout, or on
   * stderr when stdout is redirected); `null` when there is no terminal;
   * throws {@linkcode CancelledError} on Ctrl+C.
   */
  promptSecret(message: string): Promise<string | null>;
  /** Calls `listener` on Ctrl+C (SIGINT); returns a function that stops listening. */
  onInterrupt(listener: () => void): () => void;
}

const encoder = new TextEncoder();

/**
 * The real process: `Deno.stdout`, `Deno.stderr`, `Deno.stdin`, `Deno.env`,
 * a hidden prompt of its own and `SIGINT`.
 *
 * @returns The process's I/O.
 */
export function denoIo(): CliIo {
  return {
    writeOut: (text) => writeAll(Deno.stdout, encoder.encode(text)),
    writeErr: (text) => writeAllSync(Deno.stderr, encoder.encode(text)),
    readIn: () => new Response(Deno.stdin.readable).text(),
    stdinIsTerminal: () => Deno.stdin.isTerminal(),
    stdoutIsTerminal: () => Deno.stdout.isTerminal(),
    stderrIsTerminal: () => Deno.stderr.isTerminal(),
    env: readEnv,
    promptSecret: (message) =>
      Promise.resolve(
        promptHidden(
          Deno.stdout.isTerminal() ? Deno.stdout : Deno.stderr,
          message,
        ),
      ),
    onInterrupt: listenForSigint,
  };
}

const CTRL_C = 0x03;

/**
 * A hidden prompt on `terminal` (stderr when stdout is redirected, so the
 * prompt never ends up in the result). Nothing typed is echoed; Enter ends,
 * Backspace deletes. Echo is off before the prompt shows, so nothing typed
 * after it can appear. The terminal is in raw mode, not cbreak: Ctrl+C
 * arrives as a byte rather than as a signal that would end the process with
 * echo still off, so the terminal is put back before the CLI exits.
 *
 * @throws {CancelledError} on Ctrl+C.
 */
function promptHidden(
  terminal: typeof Deno.stdout,
  message: string,
): string | null {
  if (!Deno.stdin.isTerminal() || !terminal.isTerminal()) return null;
  Deno.stdin.setRaw(true);
  writeAllSync(terminal, encoder.encode(`${message} `));
  const typed: number[] = [];
  const byte = new Uint8Array(1);
  let interrupted = false;
  try {
    while (Deno.stdin.readSync(byte)) {
      if (byte[0] === 0x0d || byte[0] === 0x0a) break;
      if (byte[0] === CTRL_C) {
        interrupted = true;
        break;
      }
      if (byte[0] === 0x7f || byte[0] === 0x08) typed.pop();
      else typed.push(byte[0]);
    }
  } finally {
    Deno.stdin.setRaw(false);
    writeAllSync(terminal, encoder.encode("\n"));
  }
  if (interrupted) throw new CancelledError("The prompt", { cause: "Ctrl+C" });
  return new TextDecoder().decode(new Uint8Array(typed));
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

function listenForSigint(listener: () => void): () => void {
  Deno.addSignalListener("SIGINT", listener);
  return () => Deno.removeSignalListener("SIGINT", listener);
}

function writeAllSync(
  writer: { writeSync(bytes: Uint8Array): number },
  bytes: Uint8Array,
): void {
  for (let done = 0; done < bytes.length;) {
    done += writer.writeSync(bytes.subarray(done));
  }
}
