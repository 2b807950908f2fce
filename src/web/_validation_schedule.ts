// Internal: Twitch wants every token validated at start and every hour.
// One timer per provider (that never keeps the process alive) validates the
// watched users one after another, then starts again. With a claim (the
// store's `claim`), a timed round validates a user only when this process
// got the user's claim for the interval: processes sharing a store validate
// each user once per interval between them, not once each.

import { startBackgroundTimer } from "./_background_timer.ts";

/** Validates a set of users every `interval` milliseconds. */
export class ValidationSchedule {
  readonly #interval: number;
  readonly #validate: (userId: string, signal: AbortSignal) => Promise<void>;
  readonly #claim: ((userId: string) => Promise<boolean>) | undefined;
  readonly #watched = new Set<string>();
  #stopTimer: (() => void) | undefined;
  #running: AbortController | undefined;
  #closed = false;

  constructor(
    interval: number,
    validate: (userId: string, signal: AbortSignal) => Promise<void>,
    claim?: (userId: string) => Promise<boolean>,
  ) {
    this.#interval = interval;
    this.#validate = validate;
    this.#claim = claim;
  }

  /** How many users are watched. */
  get size(): number {
    return this.#watched.size;
  }

  /** Validates `userId` from the next round on; starts the timer. */
  watch(userId: string): void {
    this.#watched.add(userId);
    if (!this.#stopTimer && !this.#closed) this.#schedule();
  }

  /** Stops validating `userId`. */
  unwatch(userId: string): void {
    this.#watched.delete(userId);
  }

  /**
   * One round: every watched user, one after another; errors are dropped.
   * A timed round (`claimed`) skips the users whose claim another process
   * holds for this interval.
   */
  async runNow(claimed = false): Promise<void> {
    const controller = new AbortController();
    this.#running = controller;
    try {
      for (const userId of [...this.#watched]) {
        if (controller.signal.aborted) return;
        if (claimed && !(await this.#claimed(userId))) continue;
        await this.#validate(userId, controller.signal).catch(() => {
          // A failed refresh reached the failure listeners; anything else
          // (network, Twitch down) is tried again next round.
        });
      }
    } finally {
      if (this.#running === controller) this.#running = undefined;
    }
  }

  /** Stops the timer and the round in progress, for good. */
  close(): void {
    this.#closed = true;
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.#running?.abort();
  }

  /** Whether this process validates `userId` in this interval. */
  async #claimed(userId: string): Promise<boolean> {
    if (!this.#claim) return true;
    // A store that cannot answer must not stop the validation Twitch wants.
    return await this.#claim(userId).catch(() => true);
  }

  #schedule(): void {
    this.#stopTimer = startBackgroundTimer(() => {
      this.#stopTimer = undefined;
      this.runNow(true).finally(() => {
        if (!this.#closed && !this.#stopTimer) this.#schedule();
      });
    }, this.#interval);
  }
}
