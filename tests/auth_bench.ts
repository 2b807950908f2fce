// Benchmarks of the browser sign-in and of the token keeper, against the mock
// on loopback, each next to what it is compared with:
//
// - "sign-in: until listening": from `authenticate()` until the callback
//   server listens (the moment `authUrlCallback` gets the URL), next to a bare
//   `Deno.serve` on the same two loopback addresses.
// - "sign-in: callback to tokens": from the fake browser sending the callback
//   request until `authenticate()` resolves with the tokens (consent
//   "approve", the token endpoint answering at once), next to a bare
//   `exchangeCode` (the baseline) and to one bare GET of the redirect URL on a
//   new connection plus `exchangeCode` (the floor of any callback server).
// - "getUserAuthToken x1000": 1,000 concurrent calls while the token is
//   inside the refresh margin (asserting ONE refresh request per iteration),
//   next to 1,000 calls with a fresh token (asserting none).
//
// Timings on a shared machine are noisy: nothing here asserts speed, only
// counts and answers.

import {
  AccessToken,
  CancelledError,
  exchangeCode,
  Twitch,
  UserAuthenticator,
} from "../mod.ts";
import { type MockTwitch, startMockTwitch } from "../testing.ts";
import { visit } from "./_browser.ts";
import { authorizeCode, closedPort } from "./_util.ts";

const CLIENT_ID = "bench0client0id00000000000000a";
const CLIENT_SECRET = "bench0client0secret000000000a";
const SCOPES = ["chat:read", "chat:edit"];

// One fixed free port for every sign-in: the callback server closes at the
// end of each flow, so the next one can listen on it again.
const PORT = closedPort();
const REDIRECT = `http://localhost:${PORT}`;

const mocks: MockTwitch[] = [];
// `deno bench` has no teardown hook: close everything when the module unloads.
globalThis.addEventListener("unload", () => {
  for (const mock of mocks) void mock.close();
});

async function mockTwitch(): Promise<MockTwitch> {
  const mock = await startMockTwitch({
    consent: "approve",
    clients: [{
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [REDIRECT],
    }],
  });
  mocks.push(mock);
  return mock;
}

function twitchOf(mock: MockTwitch): Twitch {
  return new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
}

/** The browser sign-in of {@linkcode SCOPES} against `mock`, on {@linkcode REDIRECT}. */
function signInOn(mock: MockTwitch): UserAuthenticator {
  return new UserAuthenticator(twitchOf(mock), SCOPES, { url: REDIRECT });
}

/**
 * Listens on the callback port as the authenticator does (127.0.0.1 and, when
 * there is one, ::1), with a bare handler.
 */
function bareServe(): Deno.HttpServer[] {
  const handler = () => new Response("ok");
  const servers = [Deno.serve(
    { hostname: "127.0.0.1", port: PORT, onListen: () => {} },
    handler,
  )];
  try {
    servers.push(
      Deno.serve({ hostname: "::1", port: PORT, onListen: () => {} }, handler),
    );
  } catch {
    // no IPv6 loopback here: the authenticator then uses 127.0.0.1 alone
  }
  return servers;
}

async function shutdown(servers: Deno.HttpServer[]): Promise<void> {
  await Promise.all(servers.map((server) => server.shutdown()));
}

function fail(message: string): never {
  throw new Error(message);
}

// -- sign-in: from authenticate() to the callback server listening -------------

const startAuth = signInOn(await mockTwitch());

Deno.bench({
  name: "authenticate() until authUrlCallback",
  group: "sign-in: until listening",
}, async (b) => {
  const listening = Promise.withResolvers<void>();
  b.start();
  const flow = startAuth.authenticate({
    useBrowser: false,
    authUrlCallback: () => {
      b.end();
      listening.resolve();
    },
  });
  const ended = flow.then(
    () => fail("the sign-in should have been cancelled"),
    (error: unknown) => error,
  );
  // The URL is handed out once the server listens: end the flow there (or
  // report why it ended before, such as the port being taken).
  await Promise.race([listening.promise, ended]);
  startAuth.stop();
  const error = await ended;
  if (!(error instanceof CancelledError)) throw error;
});

Deno.bench({
  name: "bare Deno.serve on 127.0.0.1 and ::1",
  group: "sign-in: until listening",
  baseline: true,
}, async (b) => {
  b.start();
  const servers = bareServe();
  b.end();
  await shutdown(servers);
});

// -- sign-in: from the callback request to the tokens -------------------------

const flowMock = await mockTwitch();
const flowAuth = signInOn(flowMock);

Deno.bench({
  name: "authenticate(): callback request -> tokens",
  group: "sign-in: callback to tokens",
}, async (b) => {
  const shown = Promise.withResolvers<string>();
  const flow = flowAuth.authenticate({
    useBrowser: false,
    authUrlCallback: shown.resolve,
  });
  // The browser opens Twitch's consent page, which (consent "approve")
  // redirects at once to the callback URL with the code.
  const authUrl = await Promise.race([
    shown.promise,
    flow.then(() => fail("the sign-in ended before showing its URL")),
  ]);
  const consent = await fetch(authUrl, { redirect: "manual" });
  await consent.body?.cancel();
  const callbackUrl = consent.headers.get("Location") ??
    fail(`the consent page answered ${consent.status} without a redirect`);
  b.start();
  const [page, token] = await Promise.all([
    visit(callbackUrl),
    flow,
  ]);
  b.end();
  if (page.status !== 200) fail(`the callback page answered ${page.status}`);
  if (!token.refreshToken) fail("the sign-in returned no refresh token");
});

Deno.bench({
  name: "bare exchangeCode()",
  group: "sign-in: callback to tokens",
  baseline: true,
}, async (b) => {
  const code = await authorizeCode(flowMock, SCOPES, REDIRECT);
  b.start();
  const token = await exchangeCode(CLIENT_ID, CLIENT_SECRET, code, REDIRECT, {
    authBaseUrl: flowMock.authBaseUrl,
  });
  b.end();
  if (!token.refreshToken) fail("the exchange returned no refresh token");
});

Deno.bench({
  name: "bare GET of the redirect URL + exchangeCode()",
  group: "sign-in: callback to tokens",
}, async (b) => {
  const code = await authorizeCode(flowMock, SCOPES, REDIRECT);
  const servers = bareServe();
  try {
    b.start();
    // As the browser does: a new connection (the server just started) to
    // the redirect URL's host name.
    const response = await fetch(`${REDIRECT}/?code=${code}`);
    await response.text();
    const token = await exchangeCode(
      CLIENT_ID,
      CLIENT_SECRET,
      code,
      REDIRECT,
      { authBaseUrl: flowMock.authBaseUrl },
    );
    b.end();
    if (!token.refreshToken) fail("the exchange returned no refresh token");
  } finally {
    await shutdown(servers);
  }
});

// -- 1,000 concurrent getUserAuthToken() --------------------------------------

const CALLERS = 1_000;
const keeperMock = await mockTwitch();
const expiringTwitch = twitchOf(keeperMock);
const freshTwitch = twitchOf(keeperMock);

/**
 * Sets a 4-hour user token issued by the mock, held as if `left` seconds of
 * it remain, without asking Twitch.
 */
async function setIssuedToken(
  twitch: Twitch,
  left: number,
): Promise<string> {
  const lifetime = 14_400;
  const issued = keeperMock.issueUserToken({ scopes: SCOPES, expiresIn: left });
  await twitch.setUserAuthentication(
    new AccessToken({
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      expiresIn: lifetime,
      scopes: SCOPES,
      tokenType: "bearer",
      obtainedAt: Date.now() - (lifetime - left) * 1000,
    }),
    SCOPES,
    undefined,
    false,
  );
  return issued.accessToken;
}

function refreshCount(): number {
  return keeperMock.countRequests({ grantType: "refresh_token" });
}

function assertOneToken(tokens: string[], notThis?: string): string {
  const first = tokens[0];
  if (tokens.length !== CALLERS || tokens.some((t) => t !== first)) {
    fail(`expected ${CALLERS} copies of one token`);
  }
  if (first === notThis) fail("the expiring token was handed out");
  return first;
}

const freshToken = await setIssuedToken(freshTwitch, 14_400);

Deno.bench({
  name: "1,000 concurrent calls, fresh token (no refresh)",
  group: "getUserAuthToken x1000",
  baseline: true,
}, async (b) => {
  const before = refreshCount();
  b.start();
  const tokens = await Promise.all(
    Array.from({ length: CALLERS }, () => freshTwitch.getUserAuthToken()),
  );
  b.end();
  if (assertOneToken(tokens) !== freshToken) fail("the token changed");
  const refreshes = refreshCount() - before;
  if (refreshes !== 0) fail(`${refreshes} refresh requests, expected none`);
});

Deno.bench({
  name: "1,000 concurrent calls, token expiring in 30 s (one refresh)",
  group: "getUserAuthToken x1000",
}, async (b) => {
  // 30 s left of 4 hours is inside the 60 s margin: the first call refreshes.
  const expiring = await setIssuedToken(expiringTwitch, 30);
  const before = refreshCount();
  b.start();
  const tokens = await Promise.all(
    Array.from({ length: CALLERS }, () => expiringTwitch.getUserAuthToken()),
  );
  b.end();
  assertOneToken(tokens, expiring);
  const refreshes = refreshCount() - before;
  if (refreshes !== 1) {
    fail(`${refreshes} refresh requests for ${CALLERS} callers, expected 1`);
  }
});
