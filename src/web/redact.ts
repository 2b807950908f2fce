/**
 * Shortens a secret for messages and logs.
 *
 * @module
 */

/**
 * Shows at most the first four characters of a secret, enough to tell two
 * tokens apart in a log and never enough to use one.
 *
 * @param secret A token, refresh token, code or client secret.
 * @returns The first characters followed by `…`, or `""` for no secret.
 *
 * @example Redact a token
 * ```ts
 * import { redact } from "@x/twitch-auth";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(redact("abcdefghijklmnopqrstuvwxyz0123"), "abcd…");
 * ```
 */
export function redact(secret: string | undefined): string {
  if (!secret) return "";
  return `${secret.slice(0, secret.length >= 16 ? 4 : 0)}…`;
}
