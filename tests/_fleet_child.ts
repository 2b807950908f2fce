// A process of a fleet sharing one token store, for tests/fleet_process_test.ts.
// One JSON argument: { kind: "file" | "kv", path, authBaseUrl, clientId,
// clientSecret, users, validateInterval }. It watches every user (hourly
// validation, here every `validateInterval` ms), prints "ready", then asks
// for the app token every 20 ms until its stdin closes; then it prints
// {"appTokens": [...distinct app tokens it was handed]} and exits.

import { DenoKvTokenStore, FileTokenStore, TokenProvider } from "../mod.ts";

interface Job {
  kind: "file" | "kv";
  path: string;
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
  users: string[];
  validateInterval: number;
}

const job: Job = JSON.parse(Deno.args[0]);
const kv = job.kind === "kv" ? await Deno.openKv(job.path) : undefined;
const store = kv ? new DenoKvTokenStore(kv) : new FileTokenStore(job.path);
using provider = new TokenProvider({
  clientId: job.clientId,
  clientSecret: job.clientSecret,
  authBaseUrl: job.authBaseUrl,
  validateInterval: job.validateInterval,
  store,
});
for (const id of job.users) await provider.getAccessToken(id); // watched
console.log("ready");

let stopped = false;
const stop = new Response(Deno.stdin.readable).text().then(() => {
  stopped = true;
});
const appTokens = new Set<string>();
while (!stopped) {
  appTokens.add((await provider.getAppToken()).accessToken);
  await Promise.race([stop, new Promise((r) => setTimeout(r, 20))]);
}
provider.close();
kv?.close();
console.log(JSON.stringify({ appTokens: [...appTokens] }));
