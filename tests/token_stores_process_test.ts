// Real processes sharing one token store: four workers refreshing 100 users
// with one-time refresh tokens, and a worker killed with SIGKILL in the middle
// of back-to-back refreshes. The workers are tests/_store_worker.ts.

import { assert, assertEquals } from "@std/assert";
import {
  DenoKvTokenStore,
  FileTokenStore,
  InvalidRefreshTokenError,
  refreshAccessToken,
  type TokenStore,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { runWorkers, spawnWorker } from "./_fleet.ts";
import { Lines, textOf } from "./_lines.ts";
import { refreshStoredTokens, seedExpiredToken } from "./_seed.ts";

type Kind = "file" | "kv";

/** A public client: no secret, so the mock rotates its refresh tokens. */
const PUBLIC_CLIENT = {
  clientId: "stores0public0client0000000000",
  redirectUris: ["http://localhost:17563"],
};

interface Env extends AsyncDisposable {
  mock: MockTwitch;
  path: string;
  store: TokenStore;
}

async function setup(kind: Kind): Promise<Env> {
  const mock = await startMockTwitch({ clients: [PUBLIC_CLIENT] });
  const dir = await Deno.makeTempDir({ prefix: "token_stores_process_" });
  const path = `${dir}/tokens.${kind === "file" ? "json" : "kv"}`;
  const kv = kind === "kv" ? await Deno.openKv(path) : undefined;
  return {
    mock,
    path,
    store: kv ? new DenoKvTokenStore(kv) : new FileTokenStore(path),
    async [Symbol.asyncDispose]() {
      kv?.close();
      await mock.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Issues a token at the mock and stores it, expired by the clock and at the mock. */
function seedExpired(env: Env, userId: string): Promise<void> {
  return seedExpiredToken(env.mock, env.store, userId);
}

for (const kind of ["file", "kv"] as const) {
  Deno.test(`4 processes × 100 users on one ${kind} store, rotating refresh tokens: exactly one refresh per user, same tokens everywhere`, async () => {
    await using env = await setup(kind);
    const users = Array.from({ length: 100 }, (_, i) => `${1000 + i}`);
    for (const id of users) await seedExpired(env, id);
    const job = {
      kind,
      path: env.path,
      authBaseUrl: env.mock.authBaseUrl,
      clientId: env.mock.clientId,
      mode: "all",
      users,
    };
    const tokens = (await runWorkers(Array(4).fill(job))).map((r) => r.tokens);
    assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 100);
    for (const id of users) {
      const stored = (await env.store.get(id))!;
      for (const seen of tokens) {
        assertEquals(seen[id], stored.token.accessToken);
      }
    }
    // Each stored refresh token is the live one: it still refreshes.
    await refreshStoredTokens(env.mock, env.store, users);
    assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 200);
  });

  Deno.test(`SIGKILL during back-to-back refreshes on a ${kind} store: never torn, nothing lost outside the window`, async () => {
    await using env = await setup(kind);
    await seedExpired(env, "1");
    const job = {
      kind,
      path: env.path,
      authBaseUrl: env.mock.authBaseUrl,
      clientId: env.mock.clientId,
      mode: "rotate",
    };
    const windows: number[] = [];
    const fromSending: number[] = [];
    let lostInWindow = 0;
    for (let iteration = 0; iteration < 30; iteration++) {
      const child = spawnWorker(job);
      await child.stdin.close();
      const lines = new Lines(child.stdout);
      const stderr = textOf(child.stderr);
      const first = await lines.next();
      // Every other time, let one refresh land first, so that under any load
      // half the kills fall among back-to-back refreshes.
      const head = iteration % 2 ? [await lines.next() ?? ""] : [];
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone: its stderr tells why below
      }
      const rest = [...head, ...await lines.rest()];
      const status = await child.status;
      assertEquals(first, "ready", await stderr);
      assertEquals(status.signal, "SIGKILL", await stderr);
      await stderr;
      for (const line of rest.filter((l) => l.startsWith("window "))) {
        const [answered, sent] = line.slice(7).split(" ").map(Number);
        windows.push(answered);
        fromSending.push(sent);
      }

      // Never torn: the file parses, and the store reads it.
      if (kind === "file") {
        JSON.parse(await Deno.readTextFile(env.path));
        assertEquals((await Deno.stat(env.path)).mode! & 0o777, 0o600);
      }
      const stored = (await env.store.get("1"))!;
      // The last refresh the mock saw (the killed worker's).
      const last = env.mock.requests.findLast((r) =>
        r.form?.get("grant_type") === "refresh_token"
      )?.form?.get("refresh_token");
      try {
        const fresh = await refreshAccessToken(
          stored.token.refreshToken!,
          env.mock.clientId,
          undefined,
          { authBaseUrl: env.mock.authBaseUrl },
        );
        assert(await env.store.set("1", fresh, stored.version));
      } catch (error) {
        if (!(error instanceof InvalidRefreshTokenError)) throw error;
        // Lost: allowed only inside the window, that is when Twitch rotated
        // the stored refresh token and the worker died before its write.
        assertEquals(
          last,
          stored.token.refreshToken,
          "a refresh token was lost outside the window",
        );
        lostInWindow++;
        await seedExpired(env, "1");
      }
    }
    assert(windows.length >= 15, `${windows.length} refreshes measured`);
    // For the README: TOKEN_WINDOW_LOG=path appends the raw measurements.
    const log = Deno.env.get("TOKEN_WINDOW_LOG");
    if (log) {
      await Deno.writeTextFile(
        log,
        JSON.stringify({ kind, windows, fromSending, lostInWindow }) + "\n",
        { append: true },
      );
    }
    const describe = (values: number[]) => {
      const sorted = values.toSorted((a, b) => a - b);
      const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
      return `median ${at(0.5).toFixed(2)} ms, p95 ${
        at(0.95).toFixed(2)
      } ms, max ${sorted.at(-1)!.toFixed(2)} ms`;
    };
    console.log(
      `${kind}: ${windows.length} refreshes; from Twitch's answer to the durable write ${
        describe(windows)
      }; from sending the refresh ${
        describe(fromSending)
      }; killed inside the window ${lostInWindow} of 30 times`,
    );
  });
}
