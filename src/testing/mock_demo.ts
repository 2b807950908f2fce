/**
 * The demo app and user the mock Twitch knows by default.
 *
 * @module
 */

import type { MockUser } from "./mock_types.ts";

/**
 * The client id of the demo application that the mock knows by default
 * (30 lowercase letters and digits, like Twitch's).
 *
 * @example
 * ```ts
 * import { DEMO_CLIENT_ID, startMockTwitch } from "@x/twitch-auth/testing";
 * await using mock = await startMockTwitch();
 * console.log(mock.clientId === DEMO_CLIENT_ID); // true
 * ```
 */
export const DEMO_CLIENT_ID: string = "demo0twitch0auth0client0id0001";

/**
 * The client secret of the demo application (30 lowercase letters and digits).
 * It is public knowledge: it only works against the mock.
 *
 * @example
 * ```ts
 * import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "@x/twitch-auth/testing";
 * const form = new URLSearchParams({
 *   client_id: DEMO_CLIENT_ID,
 *   client_secret: DEMO_CLIENT_SECRET,
 *   grant_type: "client_credentials",
 * });
 * ```
 */
export const DEMO_CLIENT_SECRET: string = "demo0twitch0auth0secret0000001";

/**
 * The user signed in on the mock by default (Twitch's own example user).
 *
 * @example
 * ```ts
 * import { DEMO_USER, startMockTwitch } from "@x/twitch-auth/testing";
 * await using mock = await startMockTwitch({ users: [DEMO_USER, { id: "2", login: "other" }] });
 * ```
 */
export const DEMO_USER: MockUser = Object.freeze({
  id: "141981764",
  login: "twitchdev",
  displayName: "TwitchDev",
  email: "twitchdev@example.com",
});
