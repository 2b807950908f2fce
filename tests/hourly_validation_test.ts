// Twitch wants every token validated at start and every hour. Here the hour
// is 50 ms: a token revoked at the mock is noticed and refreshed, a refused
// refresh reaches the failure listeners once, and the timers never keep a
// process alive.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import {
  AccessToken,
  InvalidRefreshTokenError,
  TokenProvider,
  Twitch,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { revoke } from "./_helpers_tokens.ts";

const INTERVAL = 50;

/** Waits until `done()` holds, checking every few milliseconds (bounded). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_000 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert(done(), `never happened: ${what}`);
}

const validations = (mock: MockTwitch) =>
  mock.countRequests({ pathname: "/oauth2/validate" });
const refreshes = (mock: MockTwitch) =>
  mock.countRequests({ grantType: "refresh_token" });

Deno.test("Twitch validates on a timer: a revoked token is refreshed, a refused refresh is heard once", async () => {
  await using mock = await startMockTwitch();
  using twitch = new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
    validateInterval: INTERVAL,
  });
  const refreshed: AccessToken[] = [];
  const failures: Error[] = [];
  twitch.onUserAuthRefresh((token) => void refreshed.push(token));
  twitch.onUserAuthRefreshFailure((error) => void failures.push(error));
  const issued = mock.issueUserToken({ scopes: ["chat:read"] });
  await twitch.setUserAuthentication(
    issued.accessToken,
    ["chat:read"],
    issued.refreshToken,
  );
  await until(() => validations(mock) >= 3, "validations on the timer");
  assertEquals(refreshes(mock), 0);

  await revoke(mock, issued.accessToken);
  await until(() => refreshed.length === 1, "the revoked token refreshed");
  assertEquals(await twitch.getUserAuthToken(), refreshed[0].accessToken);
  assertEquals(refreshes(mock), 1);

  await revoke(mock, refreshed[0].refreshToken!); // the sign-in is gone
  await until(() => failures.length === 1, "the failure heard");
  assertInstanceOf(failures[0], InvalidRefreshTokenError);
  const seen = validations(mock);
  await new Promise((r) => setTimeout(r, INTERVAL * 5));
  assertEquals(refreshes(mock), 2); // refused once, not tried again
  assertEquals(failures.length, 1);
  assertEquals(validations(mock), seen); // nothing left to validate
});

Deno.test("TokenProvider validates every user on a timer and refreshes the one revoked", async () => {
  await using mock = await startMockTwitch();
  using provider = new TokenProvider({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    authBaseUrl: mock.authBaseUrl,
    validateInterval: INTERVAL,
  });
  const users = [
    { id: "1001", login: "first" },
    { id: "1002", login: "second" },
  ];
  const issued = users.map((user) => mock.issueUserToken({ user }));
  for (const token of issued) {
    await provider.addUser(
      AccessToken.fromJSON({
        access_token: token.accessToken,
        refresh_token: token.refreshToken,
        expires_in: 0,
      }),
    );
  }
  const refreshed: string[] = [];
  provider.onRefresh((_, userId) => void refreshed.push(userId));
  await revoke(mock, issued[1].accessToken);
  await until(() => refreshed.length === 1, "the revoked token refreshed");
  assertEquals(refreshed, ["1002"]);
  assertEquals(
    (await provider.getAccessToken("1001")).accessToken,
    issued[0].accessToken,
  );
  provider.close();
  const seen = validations(mock);
  await new Promise((r) => setTimeout(r, INTERVAL * 4));
  assertEquals(validations(mock), seen); // close() stopped the timer
});

Deno.test("a Deno script that sets a token on Twitch and TokenProvider and returns exits by itself", async () => {
  await using mock = await startMockTwitch();
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/script.ts`;
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { AccessToken, TokenProvider, Twitch } from ${
        JSON.stringify(mod)
      };
const [clientId, clientSecret, authBaseUrl, a1, r1, a2, r2] = Deno.args;
const twitch = new Twitch(clientId, clientSecret, { authBaseUrl });
await twitch.setUserAuthentication(a1, [], r1);
const provider = new TokenProvider({ clientId, clientSecret, authBaseUrl });
const userId = await provider.addUser(
  AccessToken.fromJSON({ access_token: a2, refresh_token: r2, expires_in: 0 }),
);
console.log("set", userId);
`,
    );
    const one = mock.issueUserToken();
    const two = mock.issueUserToken();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        // The script sits outside the repository: give it the import map.
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        script,
        mock.clientId,
        mock.clientSecret,
        mock.authBaseUrl,
        one.accessToken,
        one.refreshToken,
        two.accessToken,
        two.refreshToken,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // The timers are an hour long: a script they held would never end on its
    // own. Give it a minute (load), then kill it and fail.
    let killed = false;
    const guard = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, 60_000);
    const output = await child.output();
    clearTimeout(guard);
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(killed, false, "the script did not exit by itself");
    assertEquals(output.code, 0, stderr);
    assertEquals(
      new TextDecoder().decode(output.stdout).trim(),
      `set ${mock.currentUser.id}`,
    );
    assertEquals(validations(mock), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
