// A sign-in in its own process, for tests that need to see what it prints:
// starts a mock Twitch and a sign-in on a free port, prints one JSON line
// `{"url": <authorize URL>, "redirect": <redirect URL>}` on stdout, waits
// for the callback, then prints `token <scopes>` and exits 0 (1 on error,
// with the error's class and message on stdout, not stderr).

import { Twitch, UserAuthenticator } from "../mod.ts";
import { startMockTwitch } from "../testing.ts";

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const port = (listener.addr as Deno.NetAddr).port;
listener.close();
const redirect = `http://localhost:${port}`;
await using mock = await startMockTwitch({
  consent: "approve",
  clients: [{
    clientId: "app0client0id0000000000000000a",
    clientSecret: "app0client0secret00000000000a",
    redirectUris: [redirect],
  }],
});
const twitch = new Twitch(mock.clientId, mock.clientSecret, {
  authBaseUrl: mock.authBaseUrl,
  helixBaseUrl: mock.helixBaseUrl,
});
const auth = new UserAuthenticator(twitch, ["chat:read"], { url: redirect });
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
