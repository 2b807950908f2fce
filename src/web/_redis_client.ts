/**
 * The three Redis clients `RedisTokenStore` takes as they are, told apart by
 * their methods, behind the three calls the store makes.
 *
 * @module
 */

import { InvalidArgumentError } from "./errors.ts";

/** What the store needs from a Redis client. */
export interface RedisCalls {
  /** Which client this is, for messages. */
  readonly kind: "node-redis" | "ioredis" | "upstash";
  /** Runs a Lua script (`EVAL`) with its keys and arguments. */
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  /** One `SCAN` step: the next cursor and the keys matching `match`. */
  scan(cursor: string, match: string): Promise<[string, unknown[]]>;
  /** `CONFIG GET name`'s value; absent where the client cannot send it. */
  config?(name: string): Promise<unknown>;
}

type Method = (...args: unknown[]) => Promise<unknown>;

function method(client: object, name: string): Method | undefined {
  const value = (client as Record<string, unknown>)[name];
  return typeof value === "function" ? value.bind(client) as Method : undefined;
}

/** The value of a `CONFIG GET` answer: a [name, value] list (RESP2) or a map (RESP3). */
function configValue(answer: unknown): unknown {
  if (Array.isArray(answer)) return answer[1];
  if (answer instanceof Map) return [...answer.values()][0];
  if (typeof answer === "object" && answer !== null) {
    return Object.values(answer)[0];
  }
  return undefined;
}

/** Calls on a client that sends raw commands as one list of strings. */
function rawCalls(
  kind: "node-redis" | "ioredis",
  send: (args: string[]) => Promise<unknown>,
): RedisCalls {
  return {
    kind,
    eval: (script, keys, args) =>
      send(["EVAL", script, String(keys.length), ...keys, ...args]),
    scan: async (cursor, match) => {
      const [next, keys] = await send(
        ["SCAN", cursor, "MATCH", match, "COUNT", "1000"],
      ) as [unknown, unknown[]];
      return [String(next), keys];
    },
    config: async (name) => configValue(await send(["CONFIG", "GET", name])),
  };
}

/**
 * The calls on `client`: node-redis 4+ (`sendCommand(args[])`, no `call`),
 * ioredis (`call(command, ...args)`), or Upstash's REST client (`eval`,
 * `scan`, no raw commands).
 *
 * @throws {InvalidArgumentError} when `client` is none of them.
 */
export function redisCalls(client: unknown): RedisCalls {
  if (typeof client === "object" && client !== null) {
    const call = method(client, "call");
    const sendCommand = method(client, "sendCommand");
    if (call && sendCommand) {
      return rawCalls("ioredis", (args) => call(...args));
    }
    if (sendCommand) {
      return rawCalls("node-redis", (args) => sendCommand(args));
    }
    const evalScript = method(client, "eval");
    const scan = method(client, "scan");
    if (evalScript && scan) {
      return {
        kind: "upstash",
        eval: (script, keys, args) => evalScript(script, keys, args),
        scan: async (cursor, match) => {
          const [next, keys] = await scan(cursor, {
            match,
            count: 1000,
          }) as [unknown, unknown[]];
          return [String(next), keys];
        },
      };
    }
  }
  throw new InvalidArgumentError(
    "RedisTokenStore needs a Redis client: a node-redis client (createClient(), connected), an ioredis client (new Redis()), or an Upstash client (new Redis({ url, token }) from @upstash/redis)",
  );
}
