// Real processes sharing one Redis or one PostgreSQL: 4 workers × 250 users
// with rotating refresh tokens (public client), two client libraries mixed;
// a lease holder killed with SIGKILL in the middle of its refresh. The
// workers are tests/_store_worker.ts; the servers those of tests/_servers.ts.

import { assert, assertEquals } from "@std/assert";
import { TokenProvider } from "../mod.ts";
import {
  CLIENTS,
  fleetJobs,
  LEASE_TTL,
  runWorkers,
  setup,
  spawnWorker,
} from "./_fleet.ts";
import { Lines, textOf } from "./_lines.ts";
import { refreshStoredTokens, seedExpiredToken } from "./_seed.ts";
import { NO_POSTGRES, NO_REDIS } from "./_servers.ts";

for (const kind of ["redis", "postgres"] as const) {
  const ignore = kind === "redis" ? NO_REDIS : NO_POSTGRES;

  Deno.test({
    name:
      `4 processes × 250 users on one ${kind} (two client libraries), rotating refresh tokens: exactly one refresh per user, same tokens everywhere`,
    ignore,
    async fn() {
      await using env = await setup(kind);
      const users = Array.from({ length: 250 }, (_, i) => `${1000 + i}`);
      await Promise.all(
        users.map((id) => seedExpiredToken(env.mock, env.store, id)),
      );
      const jobs = fleetJobs(env, kind, users);
      const tokens = (await runWorkers(jobs)).map((r) => r.tokens);
      assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 250);
      for (const id of users) {
        const stored = (await env.store.get(id))!;
        for (const seen of tokens) {
          assertEquals(seen[id], stored.token.accessToken);
        }
      }
      // Each stored refresh token is the live one: it still refreshes.
      await refreshStoredTokens(env.mock, env.store, users);
      assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 500);
    },
  });

  Deno.test({
    name:
      `a lease holder SIGKILLed mid-refresh on ${kind} holds the others up no longer than its lease`,
    ignore,
    async fn() {
      await using env = await setup(kind);
      await seedExpiredToken(env.mock, env.store, "1");
      // The worker's refresh hangs at the mock, its lease held.
      env.mock.injectFault({ path: "/oauth2/token", delay: 60_000 });
      const child = spawnWorker({
        kind,
        client: CLIENTS[kind][1],
        ...env.where,
        authBaseUrl: env.mock.authBaseUrl,
        clientId: env.mock.clientId,
        mode: "all",
        users: ["1"],
      });
      const stderr = textOf(child.stderr);
      const lines = new Lines(child.stdout);
      assertEquals(await lines.next(), "ready");
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode("go\n"));
      await writer.close();
      while (env.mock.countRequests({ grantType: "refresh_token" }) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const leasedBy = Date.now(); // the lease was taken before this request
      child.kill("SIGKILL");
      assertEquals((await child.status).signal, "SIGKILL");
      await lines.rest();
      await stderr;
      using provider = new TokenProvider({
        clientId: env.mock.clientId,
        authBaseUrl: env.mock.authBaseUrl,
        store: env.store,
      });
      const token = await provider.getAccessToken("1");
      const waited = Date.now() - leasedBy;
      assertEquals(
        (await env.store.get("1"))!.token.accessToken,
        token.accessToken,
      );
      assertEquals(env.mock.countRequests({ grantType: "refresh_token" }), 2);
      // Held up by the dead worker's lease, but not much past its end
      // (the waiter polls at most every 200 ms; 3 s of slack for a busy box).
      assert(waited < LEASE_TTL + 3_000, `waited ${waited} ms`);
    },
  });
}
