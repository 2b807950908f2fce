/**
 * A mock of Twitch's ID service (`https://id.twitch.tv/oauth2`) and of Helix
 * `GET /users`, for tests, demos and offline bot development.
 *
 * The work is done by a web-standard handler, `(req: Request) =>
 * Promise<Response>` ({@linkcode createMockTwitchHandler}); {@linkcode
 * startMockTwitch} serves it with `Deno.serve` on the loopback interface.
 * Requests, answers and error bodies follow Twitch's wire format: the
 * authorization code, implicit, client credentials, refresh and device code
 * flows, `validate`, `revoke`, OIDC `userinfo`, discovery and keys.
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
 * @module
 */

export * from "./src/testing/mock_server.ts";
