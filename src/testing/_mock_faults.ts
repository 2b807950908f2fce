/**
 * Injected faults of the mock Twitch: failures and delays played on the next
 * matching requests, and the waits of delayed faults, cancelled when the
 * client gives up or the server closes.
 *
 * @module
 */

import { STATUS_TEXT } from "@std/http/status";
import type { MockFault } from "./mock_types.ts";

const SIGNAL_POLL_MS = 100;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

interface PendingFault {
  fault: MockFault;
  remaining: number;
}

/** The faults waiting for requests, and the delays running. */
export class FaultQueue {
  readonly #faults: PendingFault[] = [];
  readonly #delays = new Set<() => void>();
  #stopped = false;

  /** Queues `fault` for its next `times` matching requests. */
  inject(fault: MockFault): void {
    const status = fault.status ?? 500;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(
        `fault status must be an integer in 200..599, got ${fault.status}`,
      );
    }
    const times = fault.times ?? 1;
    if (!(times > 0)) return;
    this.#faults.push({
      fault: { ...fault, headers: { ...fault.headers } },
      remaining: times,
    });
  }

  /** The first fault that matches `pathname`, used up once. */
  take(pathname: string): MockFault | undefined {
    const index = this.#faults.findIndex((f) =>
      f.fault.path === undefined || f.fault.path === pathname
    );
    if (index < 0) return undefined;
    const pending = this.#faults[index];
    if (--pending.remaining <= 0) this.#faults.splice(index, 1);
    return pending.fault;
  }

  /**
   * Waits `ms`; resolves false when cancelled (server closing) or when
   * `signal` aborts (the caller went away). The signal is polled rather than
   * listened to, so that the wait leaves no listener behind.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.#stopped || signal?.aborted) return Promise.resolve(false);
    const deadline = performance.now() + ms;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (completed: boolean) => {
        clearTimeout(timer);
        this.#delays.delete(cancel);
        resolve(completed);
      };
      const cancel = () => finish(false);
      const tick = () => {
        if (signal?.aborted) return finish(false);
        const left = deadline - performance.now();
        if (left <= 0) return finish(true);
        timer = setTimeout(tick, Math.min(left, SIGNAL_POLL_MS));
      };
      this.#delays.add(cancel);
      tick();
    });
  }

  /** Ends the running delays at once. */
  cancelDelays(): void {
    for (const cancel of [...this.#delays]) cancel();
  }

  /** Ends the running delays, and every later one at its start. */
  stop(): void {
    this.#stopped = true;
    this.cancelDelays();
  }
}

/** Whether `fault` answers in place of the mock (it has a status or a body). */
export function answersInstead(fault: MockFault): boolean {
  return fault.status !== undefined || fault.body !== undefined;
}

/** The answer of a fault with a status or a body. */
export function faultResponse(fault: MockFault): Response {
  const status = fault.status ?? 500;
  const body = NULL_BODY_STATUSES.has(status)
    ? null
    : fault.body ?? JSON.stringify({
      error: STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? "Error",
      status,
      message: "injected fault",
    });
  const headers = new Headers({ "Content-Type": "application/json" });
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    headers.set(name, value);
  }
  return new Response(body, { status, headers });
}

/** `res` with the fault's headers added (a fault with only a delay and headers). */
export function withFaultHeaders(res: Response, fault?: MockFault): Response {
  const extra = Object.entries(fault?.headers ?? {});
  if (extra.length === 0) return res;
  const headers = new Headers(res.headers);
  for (const [name, value] of extra) headers.set(name, value);
  return new Response(res.body, {
    status: res.status,
    statusText: res.statusText,
    headers,
  });
}
