/**
 * Which scopes to ask for, from what the app calls: {@linkcode scopesFor}
 * gives the minimal set for endpoints, EventSub types and tasks, with why
 * each scope is there; {@linkcode whatCanICall} and
 * {@linkcode scopeCoverage} answer the other way round, from a token's
 * scopes.
 *
 * @module
 */

import { resolveNeeds } from "./_resolve_need.ts";
import { InvalidArgumentError } from "./errors.ts";
import { isAuthScope } from "./parse_scopes.ts";
import {
  type ScopeRequirement,
  scopeRequirements,
  scopeTasks,
  type TokenKind,
} from "./scope_requirements.ts";
import type { AuthScope } from "./scopes.ts";

/**
 * Why one scope is in the set.
 *
 * @example Explain each scope
 * ```ts
 * import { type ScopeReason, scopesFor } from "@x/twitch-auth";
 *
 * const reasons: ScopeReason[] = (await scopesFor("clips")).needs.flatMap((need) => [...need.scopes]);
 * for (const { scope, why } of reasons) console.log(`${scope}: ${why}`);
 * ```
 */
export interface ScopeReason {
  /** The scope. */
  readonly scope: AuthScope;
  /** The entry that needs it and how: `Send Chat Message (POST /chat/messages) requires user:write:chat`. */
  readonly why: string;
}

/**
 * What one need takes.
 *
 * @example Tell which token each need takes
 * ```ts
 * import { type NeedAdvice, scopesFor } from "@x/twitch-auth";
 *
 * const needs: NeedAdvice[] = (await scopesFor(["read chat", "GET /chat/chatters"])).needs;
 * for (const need of needs) console.log(need.need, need.token);
 * ```
 */
export interface NeedAdvice {
  /** The need as given: `"read chat"`, `"POST /chat/messages"`. */
  readonly need: string;
  /** The task's name when the need named a task. */
  readonly task?: string;
  /** The table entries behind the need. */
  readonly requirements: readonly ScopeRequirement[];
  /**
   * The token it takes: `"user"` when any entry needs a user token (an
   * app-only entry then needs an app token besides), `"app"` when one needs
   * an app token and none a user token, else `"either"` (or `"extension"`,
   * `"none"` when every entry says so).
   */
  readonly token: TokenKind;
  /** The scopes of the minimal set this need uses, each with why. */
  readonly scopes: readonly ScopeReason[];
}

/**
 * The answer of {@linkcode scopesFor}.
 *
 * @example Build the CLI flag
 * ```ts
 * import { type ScopeAdvice, scopesFor } from "@x/twitch-auth";
 *
 * const advice: ScopeAdvice = await scopesFor("moderate chat");
 * console.log(`-s "${advice.scopes.join(" ")}"`);
 * ```
 */
export interface ScopeAdvice {
  /** The minimal scope set for a user token that covers every need. */
  readonly scopes: AuthScope[];
  /** Per need: its entries, token kind and the scopes it uses, with why. */
  readonly needs: NeedAdvice[];
}

/**
 * The minimal scopes a user token needs for what the app calls. Needs are
 * Helix endpoints as `"METHOD /path"` (`"POST /chat/messages"`, with or
 * without `/helix`) or as Twitch titles them (`"Send Chat Message"`),
 * EventSub types (`"channel.chat.message"`: the latest version, unless one
 * is given as `"channel.follow@2"`), tasks (`"read chat"`, `"moderate
 * chat"`: see {@linkcode scopeTasks}), and `"openid"`, `"email"`,
 * `"irc:read"`, `"irc:send"`. A string is split at commas.
 *
 * Where Twitch accepts any one of several scopes, the set takes one that is
 * already needed, else the one covering the most needs, else the narrowest
 * (the read scope over the manage one).
 *
 * @param needs What the app calls.
 * @returns The scopes and, per need, its token kind and why each scope is
 * there.
 * @throws {InvalidArgumentError} when a need is unknown; the message names
 * the closest known ones.
 *
 * @example A chat bot that reads, sends and times out
 * ```ts
 * import { scopesFor } from "@x/twitch-auth";
 *
 * const advice = await scopesFor(["read chat", "send chat", "POST /moderation/bans"]);
 * console.log(advice.scopes.join(" "));
 * // user:read:chat user:write:chat moderator:manage:banned_users
 * for (const need of advice.needs) {
 *   for (const reason of need.scopes) console.log(reason.why);
 * }
 * ```
 */
export async function scopesFor(
  needs: string | readonly string[],
): Promise<ScopeAdvice> {
  const resolved = await resolveNeeds(needs);
  const requirements = resolved.flatMap((need) => need.requirements);
  const chosen = minimalScopes(requirements.flatMap((entry) => entry.scopes));
  return {
    scopes: chosen,
    needs: resolved.map((need) => ({
      need: need.need,
      ...(need.task ? { task: need.task.name } : {}),
      requirements: need.requirements,
      token: combinedToken(need.requirements),
      scopes: reasons(need.requirements, chosen),
    })),
  };
}

/**
 * Picks one scope per group, preferring scopes already picked, then those
 * that satisfy the most groups, then the first (narrowest) alternative.
 */
function minimalScopes(
  groups: readonly (readonly AuthScope[])[],
): AuthScope[] {
  const chosen: AuthScope[] = [];
  for (const group of groups) {
    if (group.length === 1 && !chosen.includes(group[0])) chosen.push(group[0]);
  }
  let open = groups.filter((group) => !group.some((s) => chosen.includes(s)));
  while (open.length > 0) {
    const candidates = open[0];
    const best = candidates.reduce((a, b) =>
      coverCount(b, open) > coverCount(a, open) ? b : a
    );
    chosen.push(best);
    open = open.filter((group) => !group.includes(best));
  }
  return chosen;
}

function coverCount(
  scope: AuthScope,
  groups: readonly (readonly AuthScope[])[],
): number {
  return groups.filter((group) => group.includes(scope)).length;
}

function combinedToken(requirements: readonly ScopeRequirement[]): TokenKind {
  const kinds = new Set(requirements.map((entry) => entry.token));
  if (kinds.has("user")) return "user";
  if (kinds.has("app")) return "app";
  if (kinds.size === 1) return [...kinds][0];
  return "either";
}

function reasons(
  requirements: readonly ScopeRequirement[],
  chosen: readonly AuthScope[],
): ScopeReason[] {
  const out = new Map<AuthScope, string[]>();
  for (const entry of requirements) {
    for (const group of entry.scopes) {
      const scope = group.find((s) => chosen.includes(s))!;
      const how = group.length === 1
        ? `requires ${scope}`
        : `accepts any of ${group.join(", ")}`;
      const list = out.get(scope) ?? [];
      list.push(`${label(entry)} ${how}`);
      out.set(scope, list);
    }
  }
  return [...out].map(([scope, why]) => ({ scope, why: why.join("; ") }));
}

/** `Send Chat Message (POST /chat/messages)`, `EventSub channel.follow v2`. */
export function label(entry: ScopeRequirement): string {
  if (entry.api === "eventsub") {
    return `EventSub ${entry.name} v${entry.version}`;
  }
  return entry.api === "helix" ? `${entry.name} (${entry.id})` : entry.name;
}

/**
 * The answer of {@linkcode whatCanICall}.
 *
 * @example Warn about scopes nothing uses
 * ```ts
 * import { type CallableReport, whatCanICall } from "@x/twitch-auth";
 *
 * const report: CallableReport = await whatCanICall(["chat:read", "whispers:read"]);
 * if (report.unused.length > 0) console.warn("unused:", report.unused);
 * ```
 */
export interface CallableReport {
  /** The known scopes looked at (unknown names are left out). */
  readonly scopes: readonly AuthScope[];
  /**
   * The endpoints and EventSub types a user token with these scopes may
   * call (entries that take a user token or either).
   */
  readonly callable: readonly ScopeRequirement[];
  /** The tasks every need of which is callable. */
  readonly tasks: readonly string[];
  /** Scopes that no entry of the table asks for: candidates to drop. */
  readonly unused: readonly AuthScope[];
}

/**
 * What a user token with these scopes may call: the other way round from
 * {@linkcode scopesFor}.
 *
 * @param token A token's scopes: a list, or anything with `scopes` (an
 * `AccessToken`, `validateToken`'s answer).
 * @returns The callable entries, the covered tasks, and scopes no entry
 * needs.
 * @throws {InvalidArgumentError} when `token` holds no list of scopes.
 *
 * @example What a chat bot token allows
 * ```ts
 * import { whatCanICall } from "@x/twitch-auth";
 *
 * const report = await whatCanICall(["user:read:chat", "user:write:chat"]);
 * console.log(report.tasks); // ["read chat", "send chat messages", ...]
 * ```
 */
export async function whatCanICall(
  token: readonly string[] | { readonly scopes: readonly string[] },
): Promise<CallableReport> {
  const scopes = knownScopes(scopesOf(token));
  const table = await scopeRequirements();
  const callable = table.filter((entry) =>
    (entry.token === "user" || entry.token === "either") &&
    covers(scopes, entry)
  );
  const ids = new Set(callable.map((entry) => entry.id));
  const tasks = (await scopeTasks()).filter((task) =>
    task.needs.every((id) =>
      ids.has(id) ||
      callable.some((entry) => entry.api === "eventsub" && entry.name === id)
    )
  ).map((task) => task.name);
  const used = new Set(
    table.flatMap((entry) => [...entry.scopes.flat(), ...entry.optionalScopes]),
  );
  return {
    scopes,
    callable,
    tasks,
    unused: scopes.filter((scope) => !used.has(scope)),
  };
}

/**
 * How far a token's scopes cover one need.
 *
 * @example List what is missing
 * ```ts
 * import { type NeedCoverage, scopeCoverage } from "@x/twitch-auth";
 *
 * const report: NeedCoverage[] = await scopeCoverage([], ["send chat"]);
 * console.log(report[0].missing); // ["user:write:chat"]
 * ```
 */
export interface NeedCoverage {
  /** The need as given. */
  readonly need: string;
  /** Whether the scopes cover all of it. */
  readonly covered: boolean;
  /** The scopes to add for it (minimal; empty when covered). */
  readonly missing: readonly AuthScope[];
}

/**
 * Which of the given needs a token's scopes cover, and which scopes each
 * lacks.
 *
 * @param token The token's scopes, or anything with `scopes`.
 * @param needs Needs as {@linkcode scopesFor} takes them.
 * @returns Per need: covered or not, and the scopes missing.
 * @throws {InvalidArgumentError} when a need is unknown, or `token` holds no
 * list of scopes.
 *
 * @example Check a token before a deploy
 * ```ts
 * import { scopeCoverage } from "@x/twitch-auth";
 *
 * const report = await scopeCoverage(["user:read:chat"], ["read chat", "send chat"]);
 * console.log(report.filter((need) => !need.covered).map((need) => need.missing));
 * // [["user:write:chat"]]
 * ```
 */
export async function scopeCoverage(
  token: readonly string[] | { readonly scopes: readonly string[] },
  needs: string | readonly string[],
): Promise<NeedCoverage[]> {
  const scopes = knownScopes(scopesOf(token));
  const resolved = await resolveNeeds(needs);
  return resolved.map((need) => {
    const open = need.requirements.flatMap((entry) => entry.scopes)
      .filter((group) => !group.some((scope) => scopes.includes(scope)));
    const missing = minimalScopes(open);
    return { need: need.need, covered: missing.length === 0, missing };
  });
}

/** A token's scopes from a list or anything with `scopes`. */
function scopesOf(
  token: readonly string[] | { readonly scopes: readonly string[] },
): readonly string[] {
  const scopes = Array.isArray(token)
    ? token
    : (token as { scopes?: unknown } | null)?.scopes;
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string")) {
    throw new InvalidArgumentError(
      "Pass the token's scopes: a list of strings, or an object with a scopes list (an AccessToken, validateToken's answer)",
    );
  }
  return scopes;
}

function knownScopes(scopes: readonly string[]): AuthScope[] {
  return [...new Set(scopes.filter(isAuthScope))];
}

function covers(
  scopes: readonly AuthScope[],
  entry: ScopeRequirement,
): boolean {
  return entry.scopes.every((group) => group.some((s) => scopes.includes(s)));
}
