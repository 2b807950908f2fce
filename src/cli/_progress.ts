/**
 * A one-line progress indicator on stderr while the CLI waits for the
 * browser: spinner, elapsed time, "Ctrl+C to cancel". Messages printed while
 * it runs go above it.
 *
 * @module
 */

/** Options of a {@linkcode ProgressLine}. */
export interface ProgressOptions {
  /** Writes to the terminal (stderr). */
  write(text: string): void;
  /** Draw the line at all: only when stderr is a terminal. */
  enabled: boolean;
  /** Use colours (off when `NO_COLOR` is set). */
  color: boolean;
  /** What is being waited for, such as "Waiting for the sign-in". */
  message: string;
  /** Milliseconds between redraws. Default 100. */
  interval?: number;
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const CLEAR_LINE = "\r\x1b[2K";
const CYAN = "\x1b[36m";
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

/**
 * Renders one frame of the indicator.
 *
 * @param frame The frame number (picks the spinner character).
 * @param elapsed Milliseconds since the wait began.
 * @param message What is being waited for.
 * @param color Whether to use colours.
 * @returns The line, without a line break.
 */
export function renderProgress(
  frame: number,
  elapsed: number,
  message: string,
  color: boolean,
): string {
  const spinner = FRAMES[frame % FRAMES.length];
  const seconds = Math.floor(elapsed / 1000);
  const clock = `${Math.floor(seconds / 60)}:${
    String(seconds % 60).padStart(2, "0")
  }`;
  const hint = `${clock} · Ctrl+C to cancel`;
  return color
    ? `${CYAN}${spinner}${RESET} ${message} ${DIM}${hint}${RESET}`
    : `${spinner} ${message} ${hint}`;
}

/** The indicator: {@linkcode start}, {@linkcode log} above it, {@linkcode stop}. */
export class ProgressLine {
  #options: ProgressOptions;
  #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #startedAt = 0;
  #frame = 0;

  /**
   * Creates the indicator; nothing is drawn before {@linkcode start}.
   *
   * @param options Where to write, whether to draw, colours, the message.
   */
  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Draws the line now and redraws it until {@linkcode stop}. */
  start(): void {
    if (!this.#options.enabled || this.#timer !== undefined) return;
    this.#startedAt = this.#now();
    this.#draw();
    this.#timer = setInterval(
      () => this.#draw(),
      this.#options.interval ?? 100,
    );
  }

  /**
   * Prints `text` as its own line(s) above the indicator.
   *
   * @param text The message, without a final line break.
   */
  log(text: string): void {
    const running = this.#timer !== undefined;
    this.#options.write(`${running ? CLEAR_LINE : ""}${text}\n`);
    if (running) this.#draw();
  }

  /** Clears the line and stops the timer. Safe to call more than once. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#options.write(CLEAR_LINE);
  }

  #draw(): void {
    const { message, color } = this.#options;
    const elapsed = this.#now() - this.#startedAt;
    this.#options.write(
      CLEAR_LINE + renderProgress(this.#frame++, elapsed, message, color),
    );
  }
}
