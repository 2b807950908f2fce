// The Durable Object token store in Cloudflare's workerd, with the object's
// storage on local disk (issue 16, item 3): examples/cloudflare_worker.ts
// (which exports TwitchTokenObject) and a probe Worker bound to the same
// namespace (tests/_workerd_do_probe.ts) run in one workerd. The TokenStore
// contract runs from Deno against the real object through the probe; N
// concurrent Worker requests, each with its own TokenProvider, refresh one
// expired public-client user exactly once at the mock; the example's login
// puts the token into the object.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  DurableObjectTokenStore,
  type TokenObjectNamespace,
} from "../cloudflare.ts";
import { AccessToken, encryptTokens, type TokenStore } from "../mod.ts";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USER,
  type MockTwitch,
  testTokenStore,
} from "../testing.ts";
import { approvingMock } from "./_util.ts";
import { CookieClient } from "./_cookie_client.ts";
import {
  bundle,
  freePort,
  pathOf,
  runtime,
  skipUnless,
  textBindings,
  waitForServer,
} from "./_runtimes.ts";
import { newKey, randomToken, secretsOf } from "./_token_keys.ts";

const PUBLIC_CLIENT = "fleetpublicclient0000000000001";
const COOKIE_SECRET = "cloudflare-test-cookie-secret-0123456789abcdef";
const workerd = await runtime("workerd");
const skip = skipUnless(workerd, "workerd Durable Object");

/** workerd serving the example and the probe, and the mock they call. */
interface Fleet {
  base: string;
  probe: string;
  mock: MockTwitch;
  disk: string;
  stop(): Promise<void>;
}

function config(
  port: number,
  probePort: number,
  disk: string,
  text: Record<string, string>,
): string {
  const bindings = textBindings(text);
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "probe", worker = .probeWorker),
    (name = "loopback-net", network = (allow = ["public", "private", "local"])),
    (name = "do-disk", disk = (path = ${
    JSON.stringify(disk)
  }, writable = true)),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:${port}", http = (), service = "main"),
    (name = "probe", address = "127.0.0.1:${probePort}", http = (), service = "probe"),
  ],
);

const mainWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback-net",
  durableObjectNamespaces = [
    (className = "TwitchTokenObject", uniqueKey = "twitch-auth-token-object"),
  ],
  durableObjectStorage = (localDisk = "do-disk"),
  bindings = [
    ${bindings},
    (name = "TOKENS", durableObjectNamespace = "TwitchTokenObject"),
  ],
);

const probeWorker :Workerd.Worker = (
  modules = [(name = "probe", esModule = embed "probe.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback-net",
  bindings = [
    ${bindings},
    (name = "TOKENS", durableObjectNamespace = (className = "TwitchTokenObject", serviceName = "main")),
  ],
);
`;
}

async function startFleet(): Promise<Fleet> {
  const dir = await Deno.makeTempDir({ prefix: "workerd_do_" });
  const disk = `${dir}/do-disk`;
  await Deno.mkdir(disk);
  await bundle("examples/cloudflare_worker.ts", `${dir}/worker.js`);
  await bundle("tests/_workerd_do_probe.ts", `${dir}/probe.js`);
  let failure = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    const probePort = freePort();
    const base = `http://localhost:${port}`;
    const mock = await approvingMock(`${base}/callback`, [
      { clientId: PUBLIC_CLIENT, redirectUris: [] },
    ]);
    await Deno.writeTextFile(
      `${dir}/config.capnp`,
      config(port, probePort, disk, {
        TWITCH_CLIENT_ID: DEMO_CLIENT_ID,
        TWITCH_CLIENT_SECRET: DEMO_CLIENT_SECRET,
        TWITCH_REDIRECT_URL: `${base}/callback`,
        TWITCH_AUTH_BASE_URL: mock.authBaseUrl,
        COOKIE_SECRET,
      }),
    );
    const child = new Deno.Command(pathOf(workerd), {
      args: ["serve", `${dir}/config.capnp`],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const stop = async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // already ended
      }
      await child.status;
      await stderr;
      await mock.close();
    };
    try {
      await waitForServer(`http://127.0.0.1:${probePort}/`, child.status);
      await waitForServer(`http://127.0.0.1:${port}/nothing`, child.status);
      let stopped: Promise<void> | undefined;
      return {
        base,
        probe: `http://127.0.0.1:${probePort}`,
        mock,
        disk,
        stop: () =>
          stopped ??= stop().then(() => Deno.remove(dir, { recursive: true })),
      };
    } catch (error) {
      await stop();
      failure = `${error}\n${(await stderr).slice(-2000)}`;
    }
  }
  await Deno.remove(dir, { recursive: true });
  throw new Error(`workerd did not start: ${failure}`);
}

/**
 * The namespace as Deno reaches it: each request goes over HTTP to the probe
 * Worker, which hands it to the real object by name.
 */
function namespaceVia(probe: string): TokenObjectNamespace {
  return {
    idFromName: (name: string) => name,
    get: (id: never) => ({
      fetch: (request: Request) =>
        fetch(new Request(`${probe}/do/${encodeURIComponent(id)}`, request)),
    }),
  };
}

// One workerd for the whole file (started outside the tests, so that the
// sanitizers of each test see none of it); the last test stops it.
const fleet = skip.ignore ? undefined : await startFleet();
globalThis.addEventListener("unload", () => void fleet?.stop());

if (fleet) {
  /** A fresh object for each case, through `wrap`; dispose empties it. */
  const objectFixture = (wrap: (store: TokenStore) => TokenStore) => () => {
    const name = `conformance-${crypto.randomUUID()}`;
    const open = () =>
      wrap(new DurableObjectTokenStore(namespaceVia(fleet.probe), { name }));
    return Promise.resolve({
      store: open(),
      openAnother: () => Promise.resolve(open()),
      [Symbol.asyncDispose]: async () => {
        const store = open();
        for (const id of await store.list()) await store.delete(id);
      },
    });
  };
  const key = newKey("do-key");
  testTokenStore(
    "DurableObjectTokenStore in workerd",
    objectFixture((store) => store),
  );
  testTokenStore(
    "encryptTokens(DurableObjectTokenStore)",
    objectFixture((store) => encryptTokens(store, key)),
  );
}

Deno.test({
  name:
    "encryptTokens(DurableObjectTokenStore): the object's records and its disk hold no token",
  ...skip,
  async fn() {
    const name = `encrypted-raw-${crypto.randomUUID()}`;
    const raw = new DurableObjectTokenStore(namespaceVia(fleet!.probe), {
      name,
    });
    const store = encryptTokens(raw, newKey("do-key"));
    const token = randomToken();
    await store.set("5001", token, null);
    assertEquals((await store.get("5001"))!.token.toJSON(), token.toJSON());
    const held = JSON.stringify((await raw.get("5001"))!.token);
    for (const secret of secretsOf(token)) {
      assert(!held.includes(secret), "the object holds a token in the clear");
    }
    assertStringIncludes(held, "enc:v1:do-key:");
    // The object's SQLite files on disk (workerd may still hold some in its
    // write-ahead log: every file is read).
    const files: string[] = [];
    const walk = async (dir: string) => {
      for await (const entry of Deno.readDir(dir)) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory) await walk(path);
        else files.push(path);
      }
    };
    await walk(fleet!.disk);
    assert(files.length > 0);
    for (const path of files) {
      const text = new TextDecoder("latin1").decode(await Deno.readFile(path));
      for (const secret of secretsOf(token)) {
        assert(!text.includes(secret), `${path} holds a token in the clear`);
      }
    }
    await store.delete("5001");
  },
});

Deno.test({
  name:
    "DurableObjectTokenStore in workerd: 20 concurrent Worker requests for one expired public-client user make exactly 1 refresh",
  ...skip,
  async fn() {
    const { mock, probe } = fleet!;
    const name = `refresh-${crypto.randomUUID()}`;
    const store = new DurableObjectTokenStore(namespaceVia(probe), { name });
    const userId = "3001";
    const issued = mock.issueUserToken({
      clientId: PUBLIC_CLIENT,
      user: { id: userId, login: "fleetuser" },
      scopes: ["chat:read"],
    });
    mock.expireAccessToken(issued.accessToken);
    await store.set(
      userId,
      new AccessToken({
        ...issued,
        expiresIn: 14_400,
        scopes: ["chat:read"],
        tokenType: "bearer",
        obtainedAt: Date.now() - 5 * 3600_000,
      }),
      null,
    );
    const refreshes = () => mock.countRequests({ grantType: "refresh_token" });
    const before = refreshes();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await fetch(
          `${probe}/token?user=${userId}&name=${name}&client=${PUBLIC_CLIENT}`,
        );
        const body = await response.json();
        assertEquals(response.status, 200, body.error);
        return body.accessToken as string;
      }),
    );
    assertEquals(refreshes() - before, 1);
    const stored = (await store.get(userId))!;
    assertEquals(new Set(answers), new Set([stored.token.accessToken]));
    assert(stored.token.accessToken !== issued.accessToken);
    const validation = await fetch(`${mock.authBaseUrl}/validate`, {
      headers: { Authorization: `OAuth ${stored.token.accessToken}` },
    });
    assertEquals((await validation.json()).user_id, userId);
    await store.delete(userId);
  },
});

Deno.test({
  name:
    "examples/cloudflare_worker.ts in workerd: the login keeps the user's token in the Durable Object",
  ...skip,
  async fn() {
    const { base, probe } = fleet!;
    const visit = await new CookieClient().visit(`${base}/login`);
    assertEquals(visit.status, 200, visit.text);
    assertStringIncludes(visit.text, `Hello ${DEMO_USER.displayName}`);
    const store = new DurableObjectTokenStore(namespaceVia(probe));
    assertEquals(await store.list(), [DEMO_USER.id]);
    const stored = (await store.get(DEMO_USER.id))!;
    assert(stored.token.refreshToken && stored.token.idToken);
    // The object's storage is on local disk.
    let files = 0;
    for await (const _ of Deno.readDir(fleet!.disk)) files++;
    assert(files > 0, "nothing on the object's disk");
  },
});

Deno.test({
  name: "workerd stops",
  ...skip,
  async fn() {
    await fleet!.stop();
  },
});
