// A process that shares a token store with others, for the cross-process
// tests in token_stores_process_test.ts. One JSON argument:
//   { kind: "file" | "kv", path, authBaseUrl, clientId, mode, users? }
// mode "all":    prints "ready", waits for a line on stdin, then asks a
//                TokenProvider on the store for every user's token at once;
//                prints {"tokens": {id: access}}.
// mode "rotate": refreshes user "1" back to back until killed, printing
//                "window <ms> <ms>" after each durable write: the time
//                from Twitch's answer, and from sending the request, to
//                the store's write being durable.

import {
  DenoKvTokenStore,
  FileTokenStore,
  refreshAccessToken,
  TokenProvider,
  type TokenStore,
} from "../mod.ts";

interface Job {
  kind: "file" | "kv";
  path: string;
  authBaseUrl: string;
  clientId: string;
  mode: "all" | "rotate";
  users?: string[];
}

async function waitForGo(): Promise<void> {
  const reader = Deno.stdin.readable.getReader();
  try {
    await reader.read();
  } finally {
    reader.releaseLock();
  }
}

async function rotate(store: TokenStore, job: Job): Promise<never> {
  const encoder = new TextEncoder();
  Deno.stdout.writeSync(encoder.encode("ready\n"));
  for (;;) {
    const current = await store.get("1");
    if (!current) throw new Error("no token for user 1");
    const sent = performance.now();
    const fresh = await refreshAccessToken(
      current.token.refreshToken!,
      job.clientId,
      undefined,
      { authBaseUrl: job.authBaseUrl },
    );
    const answered = performance.now();
    const written = await store.set("1", fresh, current.version);
    const durable = performance.now();
    if (!written) throw new Error("lost the write of user 1");
    Deno.stdout.writeSync(
      encoder.encode(`window ${durable - answered} ${durable - sent}\n`),
    );
  }
}

const job: Job = JSON.parse(Deno.args[0]);
const kv = job.kind === "kv" ? await Deno.openKv(job.path) : undefined;
const store: TokenStore = kv
  ? new DenoKvTokenStore(kv)
  : new FileTokenStore(job.path);
try {
  if (job.mode === "rotate") await rotate(store, job);
  console.log("ready");
  await waitForGo();
  const users = job.users ?? [];
  // The refresh rule as the library runs it: one refresh per expiry across
  // every process sharing the store.
  using provider = new TokenProvider({
    clientId: job.clientId,
    authBaseUrl: job.authBaseUrl,
    store,
  });
  const tokens = await Promise.all(
    users.map((id) => provider.getAccessToken(id)),
  );
  console.log(JSON.stringify({
    tokens: Object.fromEntries(
      users.map((id, i) => [id, tokens[i].accessToken]),
    ),
  }));
} catch (error) {
  console.error(error);
  Deno.exitCode = 1;
} finally {
  kv?.close();
}
