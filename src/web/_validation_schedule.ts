// Internal: Twitch wants every token validated at start and every hour.
// One timer per provider (that never keeps the process alive) validates the
// watched users one after another, then starts again.

import { startBackgroundTimer } from "./_background_timer.ts";

/** Validates a set of users every `interval` milliseconds. */
export class ValidationSchedule {
  readonly #interval: number;
  readonly #validate: (userId: string, signal: AbortSignal) => Promise<void>;
  readonly #watched = new Set<string>();
  #stopTimer: (() => void) | undefined;
  #running: AbortController | undefined;
  #closed = false;

  constructor(
    interval: number,
    validate: (userId: string, signal: AbortSignal) => Promise<void>,
  ) {
    this.#interval = interval;
    this.#validate = validate;
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

  /** One round: every watched user, one after another; errors are dropped. */
  async runNow(): Promise<void> {
    const controller = new AbortController();
    this.#running = controller;
    try {
      for (const userId of [...this.#watched]) {
        if (controller.signal.aborted) return;
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

  #schedule(): void {
    this.#stopTimer = startBackgroundTimer(() => {
      this.#stopTimer = undefined;
      this.runNow().finally(() => {
        if (!this.#closed && !this.#stopTimer) this.#schedule();
      });
    }, this.#interval);
  }
}
