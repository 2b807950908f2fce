/**
 * Turns a need as a person writes it ("POST /chat/messages", "Send Chat
 * Message", "channel.follow@2", "read chat") into table entries.
 *
 * @module
 */

import { editDistance } from "./_edit_distance.ts";
import { InvalidArgumentError } from "./errors.ts";
import {
  type ScopeRequirement,
  scopeRequirements,
  type ScopeTask,
  scopeTasks,
} from "./scope_requirements.ts";

/** What a need resolved to. */
export interface ResolvedNeed {
  /** The need as given. */
  need: string;
  /** The task it named, if it named one. */
  task?: ScopeTask;
  /** The entries it takes. */
  requirements: ScopeRequirement[];
}

const METHOD_PATH =
  /^(GET|POST|PUT|PATCH|DELETE)\s+((?:https?:\/\/|\/|helix\/)\S*)$/i;
const EVENTSUB_TYPE = /^([a-z_]+(?:\.[a-z_]+)+)(?:@(\w+))?$/;

/**
 * Resolves needs against the table.
 *
 * @throws {InvalidArgumentError} for a name the table does not know, naming
 * the closest ones.
 */
export async function resolveNeeds(
  needs: string | readonly string[],
): Promise<ResolvedNeed[]> {
  const table = await scopeRequirements();
  const tasks = await scopeTasks();
  const given = typeof needs === "string" ? needs.split(",") : needs;
  if (
    !Array.isArray(given) || given.some((need) => typeof need !== "string")
  ) {
    throw new InvalidArgumentError(
      "Needs are a string (split at commas) or a list of strings",
    );
  }
  const list = given.map((need) => need.trim()).filter((need) => need !== "");
  if (list.length === 0) {
    throw new InvalidArgumentError(
      `Name at least one need: an endpoint ("POST /chat/messages"), an EventSub type ("channel.chat.message") or a task (${
        tasks.slice(0, 3).map((task) => `"${task.name}"`).join(", ")
      })`,
    );
  }
  return list.map((need) => resolveOne(need, table, tasks));
}

function resolveOne(
  need: string,
  table: readonly ScopeRequirement[],
  tasks: readonly ScopeTask[],
): ResolvedNeed {
  const entry = findEntry(need, table);
  if (entry) return { need, requirements: [entry] };
  const task = findTask(need, tasks);
  if (task) {
    return {
      need,
      task,
      requirements: task.needs.map((id) => findEntry(id, table)!),
    };
  }
  const suggestions = closestNames(need, table, tasks);
  throw new InvalidArgumentError(
    `Unknown need "${need}"${
      suggestions.length > 0
        ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?)`
        : ""
    }: name a Helix endpoint as "METHOD /path" or its title, an EventSub type, or a task; \`twitch-auth scopes --for tasks\` lists the tasks`,
  );
}

/** The entry a need names directly, or `undefined`. */
export function findEntry(
  need: string,
  table: readonly ScopeRequirement[],
): ScopeRequirement | undefined {
  const methodPath = METHOD_PATH.exec(need.trim());
  if (methodPath) {
    const id = `${methodPath[1].toUpperCase()} ${helixPath(methodPath[2])}`;
    return table.find((entry) => entry.id === id);
  }
  const type = EVENTSUB_TYPE.exec(need.trim());
  if (type) {
    const versions = table.filter((entry) =>
      entry.api === "eventsub" && entry.name === type[1]
    );
    if (type[2]) return versions.find((entry) => entry.version === type[2]);
    return latest(versions);
  }
  const lower = need.trim().toLowerCase();
  return table.find((entry) =>
    entry.api !== "eventsub" &&
    (entry.id === lower || entry.name.toLowerCase() === lower)
  );
}

/** `https://api.twitch.tv/helix/chat/messages?x=1` → `/chat/messages`. */
function helixPath(path: string): string {
  const bare = path.replace(/^https?:\/\/[^/]+/i, "").replace(/[?#].*$/, "")
    .replace(/^\/?helix(?=\/|$)/i, "").replace(/\/+$/, "");
  return `/${bare.replace(/^\/+/, "")}`.toLowerCase();
}

function latest(
  versions: readonly ScopeRequirement[],
): ScopeRequirement | undefined {
  const numbered = versions.filter((entry) => /^\d+$/.test(entry.version!));
  if (numbered.length === 0) return versions[0];
  return numbered.reduce((a, b) =>
    Number(b.version) > Number(a.version) ? b : a
  );
}

function findTask(
  need: string,
  tasks: readonly ScopeTask[],
): ScopeTask | undefined {
  const lower = need.toLowerCase().replace(/\s+/g, " ");
  const exact = tasks.find((task) =>
    task.name.toLowerCase() === lower || task.aliases.includes(lower)
  );
  if (exact) return exact;
  const prefixed = tasks.filter((task) =>
    [task.name, ...task.aliases].some((name) =>
      name.toLowerCase().startsWith(`${lower} `)
    )
  );
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function closestNames(
  need: string,
  table: readonly ScopeRequirement[],
  tasks: readonly ScopeTask[],
): string[] {
  const lower = need.toLowerCase();
  const names = new Set<string>([
    ...tasks.map((task) => task.name),
    ...table.flatMap((entry) =>
      entry.api === "eventsub" ? [entry.name] : [entry.id, entry.name]
    ),
  ]);
  return [...names]
    .map((name) => ({
      name,
      distance: editDistance(lower, name.toLowerCase()),
    }))
    .filter(({ name, distance }) =>
      distance <= Math.max(3, Math.floor(name.length / 3))
    )
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ name }) => name);
}
