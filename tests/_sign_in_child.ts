// A sign-in in its own process, for tests that need to see what it prints:
// starts a mock Twitch and a sign-in on a free port, prints one JSON line
// `{"url": <authorize URL>, "redirect": <redirect URL>}` on stdout, waits
// for the callback, then prints `token <scopes>` and exits 0 (1 on error,
// with the error's class and message on stdout, not stderr).

import { startSignInApp } from "./_sign_in.ts";

await using app = await startSignInApp();
const { redirect } = app;
const auth = app.authenticator();
try {
  const token = await auth.authenticate({
    useBrowser: false,
    timeout: 120_000,
    authUrlCallback: (url) => console.log(JSON.stringify({ url, redirect })),
  });
  console.log(`token ${token.scopes.join(" ")}`);
} catch (error) {
  console.log(`failed ${(error as Error).name}: ${(error as Error).message}`);
  Deno.exitCode = 1;
}
