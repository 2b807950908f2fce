/**
 * A mock of Twitch's ID service (`https://id.twitch.tv/oauth2`) and of Helix
 * `GET /users`, for tests, demos and offline bot development.
 *
 * The work is done by a web-standard handler, `(req: Request) =>
 * Promise<Response>` ({@linkcode createMockTwitchHandler}); {@linkcode
 * startMockTwitch} serves it with `Deno.serve` on the loopback interface.
 * Requests, answers and error bodies follow Twitch's wire format: the
 * authorization code, implicit, client credentials, refresh and device code
 * flows, `validate`, `revoke`, OIDC `userinfo`, discovery and keys. As on
 * Twitch, a public client (a {@linkcode MockClient} without a secret) may use
 * only the device code flow and refresh its tokens.
 *
 * @example Start the mock and validate a token it issued
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const token = mock.issueUserToken({ scopes: ["chat:read"] });
 * const res = await fetch(`${mock.authBaseUrl}/validate`, {
 *   headers: { Authorization: `OAuth ${token.accessToken}` },
 * });
 * console.log((await res.json()).login);
 * ```
 *
 * @example Get a user token with the authorization code flow
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch({ consent: "approve" });
 * const authorize = new URL(`${mock.authBaseUrl}/authorize`);
 * authorize.search = new URLSearchParams({
 *   response_type: "code",
 *   client_id: mock.clientId,
 *   redirect_uri: "http://localhost:17563",
 *   scope: "user:read:email",
 *   state: "s1",
 * }).toString();
 * const redirect = await fetch(authorize, { redirect: "manual" });
 * const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
 * const res = await fetch(`${mock.authBaseUrl}/token`, {
 *   method: "POST",
 *   body: new URLSearchParams({
 *     client_id: mock.clientId,
 *     client_secret: mock.clientSecret,
 *     code,
 *     grant_type: "authorization_code",
 *     redirect_uri: "http://localhost:17563",
 *   }),
 * });
 * const { access_token } = await res.json();
 * ```
 *
 * @module
 */

export {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USER,
} from "./src/testing/mock_demo.ts";
export type {
  ConsentMode,
  IssuedUserToken,
  IssueUserTokenOptions,
  MockClient,
  MockFault,
  MockRequest,
  MockServedRequest,
  MockTwitchOptions,
  MockUser,
  RequestFilter,
} from "./src/testing/mock_types.ts";
export {
  createMockTwitchHandler,
  type MockTwitchHandler,
} from "./src/testing/mock_handler.ts";
export { type MockTwitch, startMockTwitch } from "./src/testing/mock_server.ts";
export {
  testTokenStore,
  type TokenStoreCase,
  tokenStoreCases,
  type TokenStoreFixture,
} from "./src/testing/token_store_conformance.ts";
