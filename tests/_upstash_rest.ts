// A local server speaking Upstash's REST protocol (POST / with the command as
// a JSON array, `Authorization: Bearer <token>`, `{"result": ...}` answers,
// strings base64-encoded when the client sends `Upstash-Encoding: base64`),
// forwarding each command to the real Redis. It lets the tests run
// `@upstash/redis` unchanged against a real server; it is not Upstash itself.

import { openRedis, type RedisHandle } from "./_servers.ts";

export interface UpstashRest extends AsyncDisposable {
  url: string;
  token: string;
  /** Commands received, for counting round trips. */
  commands: number;
}

function encode(value: unknown): unknown {
  if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value);
    return btoa(String.fromCharCode(...bytes));
  }
  if (Array.isArray(value)) return value.map(encode);
  return value ?? null;
}

export async function startUpstashRest(): Promise<UpstashRest> {
  const redis: RedisHandle = await openRedis("node-redis");
  const token = crypto.randomUUID();
  const state = { commands: 0 };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      if (req.headers.get("authorization") !== `Bearer ${token}`) {
        return Response.json({ error: "Unauthorized" }, { status: 401 });
      }
      const base64 = req.headers.get("upstash-encoding") === "base64";
      const run = async (command: unknown[]) => {
        state.commands++;
        try {
          const result = await redis.command(...command.map(String));
          return { result: base64 ? encode(result) : result };
        } catch (error) {
          return { error: (error as Error).message };
        }
      };
      const body = await req.json() as unknown[];
      if (new URL(req.url).pathname === "/pipeline") {
        const answers = [];
        for (const command of body as unknown[][]) {
          answers.push(await run(command));
        }
        return Response.json(answers);
      }
      const answer = await run(body);
      return Response.json(answer, { status: "error" in answer ? 400 : 200 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    token,
    get commands() {
      return state.commands;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await redis.close();
    },
  };
}
