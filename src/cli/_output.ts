/**
 * The command line's results in its three formats: `text` for people, `json`
 * with Twitch's own field names, `env` as lines for a `.env` file.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { toTwitchJson } from "../web/_token_json.ts";
import type { Format } from "./_options.ts";
import { SCOPE_DESCRIPTIONS } from "../web/scopes.ts";
import type { TokenValidation } from "../web/validate_token.ts";

/** A token with what is known of its owner, for {@linkcode formatToken}. */
export interface TokenReport {
  /** The tokens. */
  token: AccessToken;
  /** The app's client id. */
  clientId?: string;
  /** Who the token belongs to, from `/validate` (user tokens only). */
  user?: { login: string; userId: string };
}

/**
 * Formats a token: `json` as Twitch's token answer (`access_token`,
 * `expires_in`, `refresh_token`, `scope`, `token_type`, `id_token`) plus `obtained_at`
 * (epoch milliseconds): the one token file format that `AccessToken.fromJSON`
 * and `FileTokenStore` read, so `--output` hands the tokens to a bot. `env` as
 * `TWITCH_CLIENT_ID`, `TWITCH_ACCESS_TOKEN` and `TWITCH_REFRESH_TOKEN` lines,
 * `text` as a short summary, tokens included.
 *
 * @param report The token and its owner.
 * @param format The output format.
 * @param now The current time, epoch milliseconds.
 * @returns The text to print, ending in a newline.
 */
export function formatToken(
  report: TokenReport,
  format: Format,
  now: number = Date.now(),
): string {
  const { token } = report;
  switch (format) {
    case "json":
      return json(toTwitchJson(token));
    case "env":
      return envLines({
        TWITCH_CLIENT_ID: report.clientId,
        TWITCH_ACCESS_TOKEN: token.accessToken,
        TWITCH_REFRESH_TOKEN: token.refreshToken,
      });
    case "text":
      return table([
        ["Login", report.user && describeUser(report.user)],
        ["Access token", token.accessToken],
        [
          "Refresh token",
          token.refreshToken ??
            "(none: app tokens are not refreshed, get a new one)",
        ],
        ["Scopes", describeScopes(token.scopes)],
        ["Expires", describeExpiry(token.expiresAt - now, token.expiresAt)],
        ["Client id", report.clientId],
      ]);
  }
}

/**
 * Formats Twitch's `/validate` answer: `json` with its fields as Twitch
 * gives them, `env` as `TWITCH_*` lines, `text` as a summary.
 *
 * @param validation What `/validate` said of a valid token.
 * @param format The output format.
 * @param now The current time, epoch milliseconds.
 * @returns The text to print, ending in a newline.
 */
export function formatValidation(
  validation: TokenValidation,
  format: Format,
  now: number = Date.now(),
): string {
  const expiresAt = now + validation.expires_in * 1000;
  switch (format) {
    case "json":
      return json(validation);
    case "env":
      return envLines({
        TWITCH_CLIENT_ID: validation.client_id,
        TWITCH_LOGIN: validation.login,
        TWITCH_USER_ID: validation.user_id,
        TWITCH_SCOPES: validation.scopes.join(" "),
        TWITCH_EXPIRES_IN: String(validation.expires_in),
      });
    case "text":
      return table([
        ["Valid", "yes"],
        ["Client id", validation.client_id],
        ["Login", validation.login ?? "(none: an app access token)"],
        ["User id", validation.user_id],
        ["Scopes", describeScopes(validation.scopes)],
        [
          "Expires",
          describeExpiry(validation.expires_in * 1000, expiresAt),
        ],
      ]);
  }
}

/**
 * Formats the result of a revocation.
 *
 * @param format The output format.
 * @returns The text to print, ending in a newline.
 */
export function formatRevoked(format: Format): string {
  switch (format) {
    case "json":
      return json({ revoked: true });
    case "env":
      return "# the token was revoked: remove TWITCH_ACCESS_TOKEN and TWITCH_REFRESH_TOKEN\n";
    case "text":
      return "Revoked: the token no longer works.\n";
  }
}

/**
 * Formats every Twitch scope with what it grants: `json` as an object from
 * scope to description, `text` as aligned lines.
 *
 * @param format `text` or `json`.
 * @returns The text to print, ending in a newline.
 */
export function formatScopes(format: Exclude<Format, "env">): string {
  if (format === "json") return json(SCOPE_DESCRIPTIONS);
  const entries = Object.entries(SCOPE_DESCRIPTIONS);
  const width = Math.max(...entries.map(([scope]) => scope.length));
  return entries.map(([scope, what]) => `${scope.padEnd(width)}  ${what}\n`)
    .join("");
}

/**
 * How long until a moment, for people: `3h 59m`, `12m 5s`, `40s`.
 *
 * @param milliseconds The time left.
 * @returns The duration in words.
 */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `NAME=value` lines; values outside a safe set are double-quoted. */
function envLines(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${envValue(value)}\n`)
    .join("");
}

function envValue(value: string): string {
  if (/^[\w.:/@+-]*$/.test(value)) return value;
  return `"${value.replace(/[\\"$`]/g, (char) => `\\${char}`)}"`;
}

/** Aligned `Label: value` lines, skipping rows without a value. */
function table(rows: [string, string | undefined][]): string {
  const shown = rows.filter((row): row is [string, string] =>
    row[1] !== undefined
  );
  const width = Math.max(...shown.map(([label]) => label.length)) + 1;
  return shown.map(([label, value]) =>
    `${`${label}:`.padEnd(width)} ${value}\n`
  )
    .join("");
}

function describeUser(user: { login: string; userId: string }): string {
  return `${user.login} (user id ${user.userId})`;
}

function describeScopes(scopes: readonly string[]): string {
  return scopes.length > 0 ? scopes.join(" ") : "(none)";
}

function describeExpiry(left: number, at: number): string {
  const when = new Date(at).toISOString().slice(0, 16).replace("T", " ");
  return left > 0
    ? `in ${formatDuration(left)} (${when} UTC)`
    : `expired (${when} UTC)`;
}
