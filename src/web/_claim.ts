// Internal: the argument checks of `TokenStore.claim`, shared by the stores.

import { InvalidArgumentError } from "./errors.ts";

/** Throws unless `key` is a non-empty string and `ttl` a positive number. */
export function checkClaim(key: string, ttl: number): void {
  if (typeof key !== "string" || key === "") {
    throw new InvalidArgumentError("a claim's key must be a non-empty string");
  }
  if (typeof ttl !== "number" || !(ttl > 0) || !Number.isFinite(ttl)) {
    throw new InvalidArgumentError(
      `ttl must be a positive number of milliseconds, got ${ttl}`,
    );
  }
}
