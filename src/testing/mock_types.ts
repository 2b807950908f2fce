/**
 * The public types of the mock Twitch: the apps and users it knows, its
 * options, the faults it can play and the requests it records.
 *
 * @module
 */

/**
 * An application registered with the mock.
 *
 * @example
 * ```ts
 * import type { MockClient } from "@x/twitch-auth/testing";
 * const confidential: MockClient = {
 *   clientId: "myclientid",
 *   clientSecret: "mysecret",
 *   redirectUris: ["http://localhost:3000/callback"],
 * };
 * const publicClient: MockClient = { clientId: "mypublicclient", redirectUris: [] };
 * ```
 */
export interface MockClient {
  /** The client id. */
  clientId: string;
  /** The client secret; absent for a public client (device code flow only). */
  clientSecret?: string;
  /** The redirect URIs registered for the app; `redirect_uri` must match one exactly. */
  redirectUris: string[];
  /** The app's name, shown on the consent page (the client id when absent). */
  name?: string;
}

/**
 * A Twitch user known to the mock.
 *
 * @example
 * ```ts
 * import type { MockUser } from "@x/twitch-auth/testing";
 * const bot: MockUser = { id: "12345", login: "mybot", displayName: "MyBot" };
 * ```
 */
export interface MockUser {
  /** The user id (digits). */
  id: string;
  /** The login name (lowercase). */
  login: string;
  /** The display name; the login when absent. */
  displayName?: string;
  /** The e-mail address, returned to tokens with `user:read:email`. */
  email?: string;
}

/**
 * What the signed-in user does when an app sends them to `/oauth2/authorize`
 * (or to the device activation page): `"page"` shows the consent page with
 * Authorize and Cancel buttons, `"approve"` and `"deny"` answer at once.
 *
 * @example
 * ```ts
 * import { type ConsentMode, startMockTwitch } from "@x/twitch-auth/testing";
 * const consent: ConsentMode = "deny";
 * await using mock = await startMockTwitch({ consent });
 * ```
 */
export type ConsentMode = "page" | "approve" | "deny";

/**
 * A failure to play on the next matching requests (see
 * {@linkcode MockTwitchHandler.injectFault}).
 *
 * A fault with a `status` or a `body` answers in place of the mock; one with
 * neither (only `delay` and/or `headers`) waits, then lets the mock answer and
 * adds the headers.
 *
 * @example
 * ```ts
 * import type { MockFault } from "@x/twitch-auth/testing";
 * const rateLimited: MockFault = {
 *   path: "/helix/users",
 *   status: 429,
 *   headers: { "Ratelimit-Reset": String(Math.ceil(Date.now() / 1000) + 1) },
 * };
 * const slow: MockFault = { path: "/oauth2/token", delay: 2_000 };
 * ```
 */
export interface MockFault {
  /** The pathname to match, e.g. `"/oauth2/token"`; any path when absent. */
  path?: string;
  /** The status to answer (default 500 when `body` is set). */
  status?: number;
  /** The raw body to answer (default a Twitch-shaped JSON error). May be malformed on purpose. */
  body?: string;
  /** Headers to add, e.g. `{ "Retry-After": "1" }`. */
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering (cancelled by `close()`). */
  delay?: number;
  /** How many matching requests the fault applies to (default 1). */
  times?: number;
}

/**
 * Options of {@linkcode startMockTwitch}.
 *
 * @example
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 * await using mock = await startMockTwitch({
 *   port: 0,
 *   consent: "approve",
 *   accessTokenLifetime: 60,
 *   deviceInterval: 0,
 * });
 * ```
 */
export interface MockTwitchOptions {
  /** The address to listen on (default `"127.0.0.1"`). */
  hostname?: string;
  /** The port to listen on (default 0: any free port). */
  port?: number;
  /** Registered apps; default the demo app with redirect URI `http://localhost:17563`. */
  clients?: MockClient[];
  /** Known users; default `[DEMO_USER]`. The first is the signed-in user. */
  users?: MockUser[];
  /** What the user does on the consent page (default `"page"`). */
  consent?: ConsentMode;
  /** Lifetime of user and app access tokens, in seconds (default 14400, like Twitch's ~4h). */
  accessTokenLifetime?: number;
  /** Polling interval of the device code flow, in seconds (default 5). */
  deviceInterval?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`); lets tests move time. */
  now?: () => number;
  /**
   * Called after each request is answered (`twitch-auth mock` prints a line
   * per request with it). It gets no secret: the method, path, grant type
   * and status only.
   */
  onRequest?: (served: MockServedRequest) => void;
}

/**
 * A request the mock answered, as {@linkcode MockTwitchOptions.onRequest}
 * sees it: nothing a token, code or secret could be read from.
 *
 * @example Print one line per request
 * ```ts
 * import { type MockServedRequest, startMockTwitch } from "@x/twitch-auth/testing";
 *
 * const line = (r: MockServedRequest) =>
 *   `${r.method} ${r.pathname}${r.grantType ? ` (${r.grantType})` : ""} -> ${r.status} in ${r.duration} ms`;
 * await using mock = await startMockTwitch({ onRequest: (r) => console.error(line(r)) });
 * await (await fetch(`${mock.authBaseUrl}/validate`)).body?.cancel(); // GET /oauth2/validate -> 401 in 1 ms
 * ```
 */
export interface MockServedRequest {
  /** The HTTP method. */
  method: string;
  /** The path, without the query. */
  pathname: string;
  /** The `grant_type` of a token request. */
  grantType?: string;
  /** The status the mock answered with. */
  status: number;
  /** How long the answer took, in whole milliseconds. */
  duration: number;
}

/**
 * A request the mock received, as recorded in
 * {@linkcode MockTwitchHandler.requests}.
 *
 * @example
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 * await using mock = await startMockTwitch();
 * // ... after the code under test ran:
 * for (const req of mock.requests) {
 *   if (req.query.has("client_secret")) throw new Error("secret sent in a URL");
 * }
 * ```
 */
export interface MockRequest {
  /** The HTTP method. */
  method: string;
  /** The URL's pathname, e.g. `/oauth2/token`. */
  pathname: string;
  /** The URL's query parameters. */
  query: URLSearchParams;
  /** The body's parameters, when it was `application/x-www-form-urlencoded`. */
  form?: URLSearchParams;
  /** The request headers. */
  headers: Headers;
}

/**
 * Options of {@linkcode MockTwitchHandler.issueUserToken}.
 *
 * @example Test that a bot refreshes a token about to expire
 * ```ts
 * import { refreshAccessToken } from "@x/twitch-auth";
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * // A token with 30 s left, as if the bot had been running for hours.
 * const issued = mock.issueUserToken({ scopes: ["chat:read"], expiresIn: 30 });
 * const fresh = await refreshAccessToken(issued.refreshToken, mock.clientId, mock.clientSecret, {
 *   authBaseUrl: mock.authBaseUrl,
 * });
 * console.log(fresh.expiresIn); // a full lifetime again
 * ```
 */
export interface IssueUserTokenOptions {
  /** The client the token is for (default the first client). */
  clientId?: string;
  /** The user (default the signed-in user). */
  user?: MockUser;
  /** The scopes (default none). */
  scopes?: string[];
  /** The access token's lifetime in seconds (default `accessTokenLifetime`). */
  expiresIn?: number;
}

/**
 * A user token made by {@linkcode MockTwitchHandler.issueUserToken}.
 *
 * @example Hand a test a signed-in user without any browser
 * ```ts
 * import { validateToken } from "@x/twitch-auth";
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const { accessToken, refreshToken } = mock.issueUserToken({ scopes: ["chat:read"] });
 * const result = await validateToken(accessToken, { authBaseUrl: mock.authBaseUrl });
 * console.log("status" in result ? "invalid" : result.login, refreshToken.length);
 * ```
 */
export interface IssuedUserToken {
  /** The access token. */
  accessToken: string;
  /** The refresh token. */
  refreshToken: string;
}

/**
 * The filter of {@linkcode MockTwitchHandler.countRequests}.
 *
 * @example Assert that concurrent callers cause one refresh
 * ```ts
 * import { AccessToken, TokenProvider } from "@x/twitch-auth";
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const issued = mock.issueUserToken({ scopes: ["chat:read"] });
 * using provider = new TokenProvider({
 *   clientId: mock.clientId,
 *   clientSecret: mock.clientSecret,
 *   authBaseUrl: mock.authBaseUrl,
 * });
 * // Stored as obtained four hours ago: expired, so callers must refresh it.
 * await provider.setToken(
 *   "me",
 *   AccessToken.fromJSON({
 *     access_token: issued.accessToken,
 *     refresh_token: issued.refreshToken,
 *     expires_in: 14_400,
 *     obtained_at: Date.now() - 14_400_000,
 *   }),
 * );
 * await Promise.all([1, 2, 3].map(() => provider.getAccessToken("me")));
 * console.log(mock.countRequests({ grantType: "refresh_token" })); // 1
 * ```
 */
export interface RequestFilter {
  /** Count only requests to this pathname. */
  pathname?: string;
  /** Count only requests with this `grant_type` (in the body or the query). */
  grantType?: string;
}
