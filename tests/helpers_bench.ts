// Benchmarks of the token helpers against the mock on loopback, each next to
// a bare `fetch` of the same endpoint with the same header or form: the
// floor, so the difference is what the helper adds (URL building, the
// timeout and abort wiring, typed error mapping, reading the answer).
//
// Timings on a shared machine are noisy: nothing here asserts speed, only
// that every call got the answer it should.

import { validateToken } from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { refreshChain } from "./_helpers_bench.ts";

const mock = await startMockTwitch();
// `deno bench` has no teardown hook: close the mock when the module unloads.
globalThis.addEventListener("unload", () => void mock.close());

const options = { authBaseUrl: mock.authBaseUrl };
const validateUrl = `${mock.authBaseUrl}/validate`;
const tokenUrl = `${mock.authBaseUrl}/token`;

// -- validateToken ------------------------------------------------------------

const { accessToken } = mock.issueUserToken({ scopes: ["chat:read"] });
const validateHeaders = { Authorization: `OAuth ${accessToken}` };

Deno.bench({
  name: "bare fetch GET /oauth2/validate + json()",
  group: "validateToken",
  baseline: true,
}, async () => {
  const response = await fetch(validateUrl, { headers: validateHeaders });
  const body = await response.json();
  if (response.status !== 200 || typeof body.client_id !== "string") {
    throw new Error(`validate answered ${response.status}`);
  }
});

Deno.bench({
  name: "validateToken()",
  group: "validateToken",
}, async () => {
  const result = await validateToken(accessToken, options);
  if ("status" in result) throw new Error(`validate: ${result.message}`);
});

// -- refreshAccessToken ---------------------------------------------------------

// The mock keeps a confidential client's refresh token across refreshes (only
// public clients' are single-use), but each bench keeps whatever comes back,
// as a bot must, so it would also hold if the refresh token rotated. Each
// bench has its own refresh token, since a refresh revokes the access tokens
// issued from that refresh token.
let bareRefreshToken = mock.issueUserToken({ scopes: ["chat:read"] })
  .refreshToken;

Deno.bench({
  name: "bare fetch POST /oauth2/token (refresh_token) + json()",
  group: "refreshAccessToken",
  baseline: true,
}, async () => {
  const response = await fetch(tokenUrl, {
    method: "POST",
    body: new URLSearchParams({
      client_id: mock.clientId,
      client_secret: mock.clientSecret,
      grant_type: "refresh_token",
      refresh_token: bareRefreshToken,
    }),
  });
  const body = await response.json();
  if (response.status !== 200 || typeof body.access_token !== "string") {
    throw new Error(`refresh answered ${response.status}`);
  }
  bareRefreshToken = body.refresh_token ?? bareRefreshToken;
});

Deno.bench(
  { name: "refreshAccessToken()", group: "refreshAccessToken" },
  refreshChain(
    mock,
    mock.issueUserToken({ scopes: ["chat:read"] }).refreshToken,
    mock.clientSecret,
  ),
);
