/**
 * The table of what each Helix endpoint and EventSub subscription type needs
 * (token kind and scopes, with Twitch's page as the source), and the tasks
 * built from it. The data loads on first use, so importing this module costs
 * nothing until a lookup.
 *
 * @module
 */

import { EVENTSUB_TYPES_URL, HELIX_REFERENCE_URL } from "./_twitch_docs.ts";
import type { AuthScope } from "./scopes.ts";

/**
 * The token a call takes: a user access token, an app access token, either,
 * an extension's signed JWT, or none at all.
 *
 * @example Find the endpoints an app token can call
 * ```ts
 * import { scopeRequirements, type TokenKind } from "@x/twitch-auth";
 *
 * const appOk: TokenKind[] = ["app", "either"];
 * const table = await scopeRequirements();
 * console.log(table.filter((entry) => appOk.includes(entry.token)).length);
 * ```
 */
export type TokenKind = "user" | "app" | "either" | "extension" | "none";

/**
 * What one Helix endpoint, EventSub subscription type (at one version) or
 * sign-in/IRC need requires, as Twitch's reference states it.
 *
 * @example Read a requirement
 * ```ts
 * import { scopeRequirements } from "@x/twitch-auth";
 *
 * const table = await scopeRequirements();
 * const send = table.find((entry) => entry.id === "POST /chat/messages")!;
 * console.log(send.name, send.token, send.scopes, send.source);
 * ```
 */
export interface ScopeRequirement {
  /** `"POST /chat/messages"`, `"channel.follow@2"` or `"openid"`. */
  readonly id: string;
  /** Twitch's title: `"Send Chat Message"`, or the EventSub type. */
  readonly name: string;
  /** Which part of Twitch's API it belongs to. */
  readonly api: "helix" | "eventsub" | "other";
  /** The EventSub version (`"1"`, `"2"`, `"beta"`); absent elsewhere. */
  readonly version?: string;
  /** The token it takes. */
  readonly token: TokenKind;
  /**
   * The scopes a user token needs: every group is required, and any one
   * scope of a group does (the narrowest first). Empty: no scope.
   */
  readonly scopes: readonly (readonly AuthScope[])[];
  /** Scopes that only add fields to the answer (such as an email address). */
  readonly optionalScopes: readonly AuthScope[];
  /**
   * A chat action or type where an app token needs `user:bot` from the
   * chatting user and `channel:bot` from the broadcaster (unless the
   * chatting user is a moderator).
   */
  readonly chat: boolean;
  /** EventSub only: the type is delivered to webhooks only. */
  readonly webhookOnly: boolean;
  /** What Twitch adds about scopes or tokens, when it does. */
  readonly note?: string;
  /** The page and anchor in Twitch's documentation this entry comes from. */
  readonly source: string;
}

/**
 * A job a person thinks in ("read chat"), as the needs from the table that
 * it takes.
 *
 * @example List the tasks
 * ```ts
 * import { scopeTasks } from "@x/twitch-auth";
 *
 * for (const task of await scopeTasks()) console.log(task.name, task.needs);
 * ```
 */
export interface ScopeTask {
  /** The task's name: `"read chat"`. */
  readonly name: string;
  /** Other names it answers to: `"send chat"` for `"send chat messages"`. */
  readonly aliases: readonly string[];
  /** The table entries' ids it takes. */
  readonly needs: readonly string[];
  /** One line on what it covers. */
  readonly description: string;
}

interface Tables {
  requirements: ScopeRequirement[];
  tasks: ScopeTask[];
}

let loading: Promise<Tables> | undefined;

/** Loads and parses the table once; every caller shares the result. */
function tables(): Promise<Tables> {
  loading ??= import("./_scope_table.ts").then(parseTables);
  return loading;
}

/**
 * Every entry of the table: each Helix endpoint, each EventSub subscription
 * type at each version, and the sign-in and IRC needs.
 *
 * @returns The entries, Helix first in the reference's order.
 *
 * @example Count the endpoints that need a user token
 * ```ts
 * import { scopeRequirements } from "@x/twitch-auth";
 *
 * const table = await scopeRequirements();
 * console.log(table.filter((entry) => entry.token === "user").length);
 * ```
 */
export async function scopeRequirements(): Promise<
  readonly ScopeRequirement[]
> {
  return (await tables()).requirements;
}

/**
 * The tasks ("read chat", "moderate chat", ...) the advisor, the CLI and the
 * scope picker start from.
 *
 * @returns The tasks in a stable order.
 *
 * @example Print the task names
 * ```ts
 * import { scopeTasks } from "@x/twitch-auth";
 *
 * console.log((await scopeTasks()).map((task) => task.name).join(", "));
 * ```
 */
export async function scopeTasks(): Promise<readonly ScopeTask[]> {
  return (await tables()).tasks;
}

const TOKEN_KINDS: Record<string, TokenKind> = {
  u: "user",
  a: "app",
  e: "either",
  j: "extension",
  n: "none",
};

function parseTables(data: typeof import("./_scope_table.ts")): Tables {
  const requirements = [
    ...lines(data.HELIX).map(parseHelix),
    ...parseEventSub(lines(data.EVENTSUB)),
    ...lines(data.OTHER).map(parseOther),
  ];
  const tasks = lines(data.TASKS).map(parseTask);
  return { requirements, tasks };
}

function lines(text: string): string[][] {
  return text.split("\n").map((line) => line.split("|"));
}

function groups(field = ""): AuthScope[][] {
  return field.split(" ").filter(Boolean).map((group) =>
    group.split("/") as AuthScope[]
  );
}

function parseHelix(
  [name, id, token, scopes, optional, note]: string[],
): ScopeRequirement {
  return {
    id,
    name,
    api: "helix",
    token: TOKEN_KINDS[token],
    scopes: groups(scopes),
    optionalScopes: groups(optional).flat(),
    chat: id === "POST /chat/messages",
    webhookOnly: false,
    ...(note ? { note } : {}),
    source: `${HELIX_REFERENCE_URL}#${anchor(name)}`,
  };
}

function parseEventSub(rows: string[][]): ScopeRequirement[] {
  const versions = new Map<string, number>();
  for (const [type] of rows) versions.set(type, (versions.get(type) ?? 0) + 1);
  const seen = new Map<string, number>();
  return rows.map(([type, version, token, scopes, optional, flags = ""]) => {
    const index = (seen.get(type) ?? 0) + 1;
    seen.set(type, index);
    // Twitch titles a later version "<type> v2" when an older one is listed.
    const suffix = index > 1 ? `-v${version}` : "";
    return {
      id: `${type}@${version}`,
      name: type,
      api: "eventsub",
      version,
      token: TOKEN_KINDS[token],
      scopes: groups(scopes),
      optionalScopes: groups(optional).flat(),
      chat: flags.includes("c"),
      webhookOnly: flags.includes("w"),
      source: `${EVENTSUB_TYPES_URL}#${type.replaceAll(".", "")}${suffix}`,
    };
  });
}

function parseOther(
  [id, name, token, scopes, source]: string[],
): ScopeRequirement {
  return {
    id,
    name,
    api: "other",
    token: TOKEN_KINDS[token],
    scopes: groups(scopes),
    optionalScopes: [],
    chat: false,
    webhookOnly: false,
    source,
  };
}

function parseTask(
  [name, aliases, needs, description]: string[],
): ScopeTask {
  return {
    name,
    aliases: aliases.split(",").filter(Boolean),
    needs: needs.split(";"),
    description,
  };
}

/** Twitch's anchor for a reference title: `Send a Shoutout` → `send-a-shoutout`. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, "").replaceAll(" ", "-");
}
