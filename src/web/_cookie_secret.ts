// Internal: the check of `createTwitchLoginHandler`'s `cookieSecret`, made
// at creation (the rest of the login cookie's code loads on first use).

import { InvalidArgumentError } from "./errors.ts";

/** The shortest `cookieSecret`, in bytes (as long as the HMAC-SHA256 output). */
export const MIN_SECRET_BYTES = 32;
/**
 * The least variety a `cookieSecret` must show: its bytes' Shannon entropy
 * times its length, in bits. `openssl rand -base64 32` gives 190 or more,
 * `openssl rand -hex 32` 210 or more, 32 random letters and digits 120 or
 * more; 32 × "0" gives 0, "abcd" × 8 gives 64.
 */
export const MIN_SECRET_BITS = 120;

const encoder = new TextEncoder();
const HOW_TO = "generate one with `openssl rand -base64 32` and keep it secret";

/**
 * The bytes of `secret`; throws an {@linkcode InvalidArgumentError} when it
 * is shorter than {@linkcode MIN_SECRET_BYTES} or shows less variety than
 * {@linkcode MIN_SECRET_BITS} (a repeated character or a short pattern: a
 * placeholder, not a random key).
 */
export function secretBytes(secret: unknown): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(typeof secret === "string" ? secret : "");
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new InvalidArgumentError(
      `cookieSecret must be at least ${MIN_SECRET_BYTES} bytes (it signs the login cookie): ${HOW_TO}`,
    );
  }
  if (entropyBits(bytes) < MIN_SECRET_BITS) {
    throw new InvalidArgumentError(
      `cookieSecret is not random enough (too few different characters, or a repeated pattern): ${HOW_TO}`,
    );
  }
  return bytes;
}

/** The bytes' empirical Shannon entropy times their count, in bits. */
function entropyBits(bytes: Uint8Array): number {
  const counts = new Map<number, number>();
  for (const byte of bytes) counts.set(byte, (counts.get(byte) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    bits -= count * Math.log2(count / bytes.length);
  }
  return bits;
}
