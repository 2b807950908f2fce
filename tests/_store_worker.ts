// A process that shares a token store with others, for the cross-process
// tests in token_stores_process_test.ts. One JSON argument:
//   { kind: "file" | "kv", path, authBaseUrl, clientId, mode, users? }
// mode "all":    prints "ready", waits for a line on stdin, then asks for
//                every user's token at once; prints {"tokens": {id: access}}.
// mode "rotate": refreshes user "1" back to back until killed, printing
//                "window <ms>" after each durable write (the time from
//                Twitch's answer to the store's write being durable).

import {
  type AccessToken,
  DenoKvTokenStore,
  FileTokenStore,
  refreshAccessToken,
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

const LEASE_TTL = 10_000;
const EXPIRY_MARGIN = 60_000;

/**
 * The refresh rule across processes, a stand-in for
 * `TokenProvider.getAccessToken` (swap it in after the merge): a token that
 * is still good is used; else the process that gets the lease refreshes and
 * writes, and the others wait until the version changes.
 */
async function freshToken(
  store: TokenStore,
  userId: string,
  job: Job,
): Promise<AccessToken> {
  for (;;) {
    const current = await store.get(userId);
    if (!current) throw new Error(`no token for user ${userId}`);
    if (!current.token.isExpired(EXPIRY_MARGIN)) return current.token;
    const lease = await store.acquireLease(
      userId,
      current.version,
      LEASE_TTL,
    );
    if (!lease) {
      await versionChange(store, userId, current.version);
      continue;
    }
    try {
      const again = await store.get(userId); // re-read under the lease
      if (again?.version !== current.version) continue;
      const fresh = await refreshAccessToken(
        current.token.refreshToken!,
        job.clientId,
        undefined,
        { authBaseUrl: job.authBaseUrl },
      );
      const written = await store.set(userId, fresh, current.version);
      if (!written) throw new Error(`lost the write of user ${userId}`);
      return fresh;
    } finally {
      await lease.release();
    }
  }
}

async function versionChange(
  store: TokenStore,
  userId: string,
  version: string,
): Promise<void> {
  const giveUpAt = Date.now() + LEASE_TTL;
  while (Date.now() < giveUpAt) {
    await new Promise((resolve) =>
      setTimeout(resolve, 10 + Math.random() * 20)
    );
    if ((await store.get(userId))?.version !== version) return;
  }
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
    Deno.stdout.writeSync(encoder.encode(`window ${durable - answered}\n`));
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
  const tokens = await Promise.all(
    users.map((id) => freshToken(store, id, job)),
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
