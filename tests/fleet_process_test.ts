// Work that a fleet shares through its store (issue 16, item 4): 4 real
// processes on one file store / one Deno KV file validate each user once per
// interval between them (the store's claim), not once each, and request one
// app token per expiry between them (the app token lives in the store).

import { assert, assertEquals } from "@std/assert";
import {
  AccessToken,
  DenoKvTokenStore,
  FileTokenStore,
  MemoryTokenStore,
  TokenProvider,
  type TokenStore,
} from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { twitchOnStore } from "./_helpers_tokens.ts";

const PROCESSES = 4;
const USERS = ["2001", "2002", "2003"];
const INTERVAL = 300;
/** How long the fleet runs. */
const RUN = 3_000;
/** App tokens live 61 s at the mock: under the 60 s margin after 1 s. */
const APP_LIFETIME = 61;

async function openStore(
  kind: "file" | "kv",
  path: string,
): Promise<{ store: TokenStore } & Disposable> {
  if (kind === "file") {
    return { store: new FileTokenStore(path), [Symbol.dispose]() {} };
  }
  const kv = await Deno.openKv(path);
  return {
    store: new DenoKvTokenStore(kv),
    [Symbol.dispose]: () => kv.close(),
  };
}

function spawnChild(job: unknown): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-kv",
      new URL("./_fleet_child.ts", import.meta.url).pathname,
      JSON.stringify(job),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<{
  line: string;
  rest: Promise<string>;
}> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("\n")) {
    const next = await reader.read();
    if (next.done) return { line: seen, rest: Promise.resolve("") };
    seen += next.value;
  }
  const newline = seen.indexOf("\n");
  const rest = (async () => {
    let text = seen.slice(newline + 1);
    for (;;) {
      const next = await reader.read();
      if (next.done) return text;
      text += next.value;
    }
  })();
  return { line: seen.slice(0, newline), rest };
}

for (const kind of ["file", "kv"] as const) {
  Deno.test(`${PROCESSES} processes on one ${kind} store: one /validate per user per interval, one app token per expiry`, async () => {
    await using mock = await startMockTwitch();
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/${kind === "file" ? "tokens.json" : "kv.sqlite"}`;
      const owner = new Map<string, string>();
      {
        using opened = await openStore(kind, path);
        for (const id of USERS) {
          const issued = mock.issueUserToken({
            user: { id, login: `user${id}` },
            expiresIn: 14_400,
          });
          owner.set(issued.accessToken, id);
          await opened.store.set(
            id,
            AccessToken.fromJSON({
              access_token: issued.accessToken,
              refresh_token: issued.refreshToken,
              expires_in: 14_400,
              obtained_at: Date.now(),
            }),
            null,
          );
        }
      }
      mock.accessTokenLifetime = APP_LIFETIME;
      const job = {
        kind,
        path,
        authBaseUrl: mock.authBaseUrl,
        clientId: mock.clientId,
        clientSecret: mock.clientSecret,
        users: USERS,
        validateInterval: INTERVAL,
      };
      const started = Date.now();
      const children = Array.from({ length: PROCESSES }, () => spawnChild(job));
      const stderr = children.map((c) => new Response(c.stderr).text());
      const outputs = await Promise.all(
        children.map((c) => firstLine(c.stdout)),
      );
      for (const [i, { line }] of outputs.entries()) {
        if (line !== "ready") {
          throw new Error(`process ${i}: ${await stderr[i]}`);
        }
      }
      await new Promise((r) => setTimeout(r, RUN));
      await Promise.all(children.map((c) => c.stdin.close()));
      const statuses = await Promise.all(children.map((c) => c.status));
      const ran = Date.now() - started;
      for (const [i, status] of statuses.entries()) {
        assert(status.success, `process ${i} failed: ${await stderr[i]}`);
      }

      // /validate: per user, claims are at least INTERVAL apart across the
      // fleet, so at most ran / INTERVAL + 1 of them; 4 processes validating
      // on their own would make about 4 times as many.
      const perUser = new Map(USERS.map((id) => [id, 0]));
      for (const request of mock.requests) {
        if (request.pathname !== "/oauth2/validate") continue;
        const token = request.headers.get("authorization")?.replace(
          /^OAuth /,
          "",
        );
        const id = owner.get(token ?? "");
        if (!id) throw new Error(`a /validate with a token of no seeded user`);
        perUser.set(id, perUser.get(id)! + 1);
      }
      const most = Math.floor(ran / INTERVAL) + 1;
      for (const [id, count] of perUser) {
        assert(
          count <= most,
          `user ${id} validated ${count} times in ${ran} ms (at most ${most})`,
        );
        // The rounds did run: validations happened in several intervals.
        assert(count >= 3, `user ${id} validated only ${count} times`);
      }

      // App tokens: each one is renewed once it is within a minute of its
      // end, i.e. 1 s after it was issued; shared, that is at most one
      // request per second of the run, where 4 processes each minting their
      // own would make about 4 per second.
      const requested = mock.countRequests({ grantType: "client_credentials" });
      const mostApp = Math.floor(ran / 1_000) + 1;
      assert(
        requested >= 2 && requested <= mostApp,
        `${requested} app-token requests in ${ran} ms (at most ${mostApp})`,
      );
      // Every process used only tokens the mock issued, and all of them
      // came from those few requests.
      const seen = new Set<string>();
      for (const { rest } of outputs) {
        const last = (await rest).trim().split("\n").at(-1)!;
        for (const token of JSON.parse(last).appTokens) seen.add(token);
      }
      assert(seen.size <= requested, `${seen.size} app tokens seen`);
      using opened = await openStore(kind, path);
      assertEquals((await opened.store.list()).sort(), USERS);
      const app = await opened.store.get(`app:${mock.clientId}`);
      assert(app && seen.has(app.token.accessToken), "the app token stored");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("Twitch objects and TokenProviders on one store share one app token; a 401 renews it once for all", async () => {
  await using mock = await startMockTwitch();
  const store = new MemoryTokenStore();
  using first = twitchOnStore(mock, store);
  using second = twitchOnStore(mock, store);
  using provider = new TokenProvider({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    authBaseUrl: mock.authBaseUrl,
    store,
  });
  const minted = () => mock.countRequests({ grantType: "client_credentials" });
  const tokens = await Promise.all([
    first.getAppAuthToken(),
    second.getAppAuthToken(),
    provider.getAppToken().then((t) => t.accessToken),
  ]);
  assertEquals(new Set(tokens).size, 1);
  assertEquals(minted(), 1);
  assertEquals(await store.list(), []); // the app key is not a user

  // Twitch ends the app token early: both objects see a 401, one renews.
  mock.expireAccessToken(tokens[0]);
  const responses = await Promise.all([
    first.fetch("users?login=twitchdev"),
    second.fetch("users?login=twitchdev"),
  ]);
  for (const response of responses) {
    await response.body?.cancel();
    assertEquals(response.status, 200);
  }
  assertEquals(minted(), 2);
  // The provider still holds the old token in memory; its 401 finds the
  // renewed one in the store without asking Twitch again.
  const old = await provider.getAppToken();
  assertEquals(old.accessToken, tokens[0]);
  const renewed = await provider.getAppToken(old);
  assertEquals(renewed.accessToken, await first.getAppAuthToken());
  assertEquals(minted(), 2);
});
