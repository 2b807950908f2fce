// One process of the seed's pattern, for seed_pattern_process_test.ts:
// `new Twitch(id)` + `await new UserTokenStorage(twitch, scopes, { path })
// .bind()`, then five `twitch.fetch("users")`. One JSON argument:
//   { path, clientId, authBaseUrl, helixBaseUrl }
// Prints "ready", waits for a line on stdin (so that every process starts at
// once), then prints {"statuses": [...], "logins": [...]} and exits 0, or
// prints the error's name and message on stderr and exits 1.

import { Twitch, UserTokenStorage } from "../mod.ts";

interface Job {
  path: string;
  clientId: string;
  authBaseUrl: string;
  helixBaseUrl: string;
}

const job: Job = JSON.parse(Deno.args[0]);
console.log("ready");
const reader = Deno.stdin.readable.getReader();
await reader.read();
reader.releaseLock();

try {
  using twitch = new Twitch(job.clientId, undefined, {
    authBaseUrl: job.authBaseUrl,
    helixBaseUrl: job.helixBaseUrl,
  });
  await new UserTokenStorage(twitch, ["chat:read"], {
    path: job.path,
    // A public client cannot sign in through the browser: a sign-in here
    // fails at once instead of waiting.
    authenticate: { useBrowser: false, timeout: 1 },
  }).bind();
  const statuses: number[] = [];
  const logins: string[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await twitch.fetch("users");
    statuses.push(response.status);
    logins.push((await response.json()).data?.[0]?.login);
  }
  console.log(JSON.stringify({ statuses, logins }));
} catch (error) {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  Deno.exit(1);
}
