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

import { SCOPE_DESCRIPTIONS } from "../web/scopes.ts";
import { STATUS_TEXT } from "@std/http/status";
import {
  type PageApp,
  renderActivatePage,
  renderActivateResultPage,
  renderConsentPage,
  renderErrorPage,
} from "./mock_pages.ts";

// ---------------------------------------------------------------------------
// Public constants and types
// ---------------------------------------------------------------------------

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
 * @example Use it
 * ```ts ignore
 * import { type IssueUserTokenOptions, startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const options: IssueUserTokenOptions = { scopes: ["chat:read"], expiresIn: 30 };
 * const { accessToken } = mock.issueUserToken(options);
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
 * @example Use it
 * ```ts ignore
 * import { type IssuedUserToken, startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const issued: IssuedUserToken = mock.issueUserToken({ scopes: ["chat:read"] });
 * console.log(issued.refreshToken.length); // 50
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
 * @example Use it
 * ```ts ignore
 * import { type RequestFilter, startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch();
 * const refreshes: RequestFilter = { grantType: "refresh_token" };
 * console.log(mock.countRequests(refreshes)); // 0
 * ```
 */
export interface RequestFilter {
  /** Count only requests to this pathname. */
  pathname?: string;
  /** Count only requests with this `grant_type` (in the body or the query). */
  grantType?: string;
}

/**
 * The mock's web-standard handler and its state, without a server. Serve it
 * with `Deno.serve(handler.fetch)`, `deno serve`, or call `fetch` directly.
 *
 * @example
 * ```ts
 * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
 * const mock = createMockTwitchHandler();
 * const { accessToken } = mock.issueUserToken({ scopes: ["user:read:email"] });
 * const res = await mock.fetch(
 *   new Request("http://mock.test/oauth2/validate", {
 *     headers: { Authorization: `OAuth ${accessToken}` },
 *   }),
 * );
 * console.log(await res.json()); // { client_id, login: "twitchdev", scopes: [...], ... }
 * ```
 */
export interface MockTwitchHandler {
  /**
   * Answers one request: the web-standard handler (no network involved).
   * A delayed fault ends early when `req.signal` aborts, except under
   * `Deno.serve` (recognised by its second argument), where Deno warns about
   * watching that signal.
   */
  readonly fetch: (req: Request) => Promise<Response>;
  /** The first client's id. */
  readonly clientId: string;
  /** The first client's secret (`""` when it is a public client). */
  readonly clientSecret: string;
  /** What the user does on the consent and activation pages. */
  consent: ConsentMode;
  /** The signed-in user; setting an unknown user adds it to the known users. */
  currentUser: MockUser;
  /** Lifetime in seconds of the access tokens issued from now on. */
  accessTokenLifetime: number;
  /** Polling interval of the device code flow, in seconds. */
  deviceInterval: number;
  /** Every request received, in order. */
  readonly requests: readonly MockRequest[];
  /**
   * Counts the recorded requests that match the filter.
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * mock.countRequests({ grantType: "refresh_token" }); // 0
   * ```
   */
  countRequests(filter: RequestFilter): number;
  /**
   * Makes the next `fault.times` requests to `fault.path` fail (or wait).
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * mock.injectFault({ path: "/oauth2/token", status: 503, times: 2 });
   * ```
   */
  injectFault(fault: MockFault): void;
  /**
   * Issues a user access token and refresh token without any flow.
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * const { accessToken, refreshToken } = mock.issueUserToken({ scopes: ["chat:read"] });
   * ```
   */
  issueUserToken(options?: IssueUserTokenOptions): IssuedUserToken;
  /**
   * Makes an access token invalid, as if it had expired.
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * const { accessToken } = mock.issueUserToken();
   * mock.expireAccessToken(accessToken);
   * ```
   */
  expireAccessToken(accessToken: string): void;
  /**
   * Approves a pending device code request, as the user would on `/activate`.
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * // userCode comes from the POST /oauth2/device answer
   * // mock.approveDevice(userCode);
   * ```
   */
  approveDevice(userCode: string, user?: MockUser): void;
  /**
   * Denies a pending device code request, as the user would on `/activate`.
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * // mock.denyDevice(userCode);
   * ```
   */
  denyDevice(userCode: string): void;
  /**
   * Ends the waits of delayed faults at once: those requests answer 503.
   *
   * @example
   * ```ts
   * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
   * const mock = createMockTwitchHandler();
   * mock.cancelDelays();
   * ```
   */
  cancelDelays(): void;
}

/**
 * A running mock Twitch server (see {@linkcode startMockTwitch}).
 *
 * @example
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 * await using mock = await startMockTwitch();
 * console.log(mock.authBaseUrl); // http://127.0.0.1:PORT/oauth2
 * ```
 */
export interface MockTwitch extends MockTwitchHandler, AsyncDisposable {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** `url + "/oauth2"`: where the ID service lives (Twitch's `https://id.twitch.tv/oauth2`). */
  readonly authBaseUrl: string;
  /** `url + "/helix"`: where Helix lives (Twitch's `https://api.twitch.tv/helix`). */
  readonly helixBaseUrl: string;
  /**
   * Shuts the server down: cancels delayed faults and waits until every
   * connection is closed. Safe to call more than once.
   *
   * @example
   * ```ts
   * import { startMockTwitch } from "@x/twitch-auth/testing";
   * const mock = await startMockTwitch();
   * await mock.close();
   * ```
   */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Constants of the wire format
// ---------------------------------------------------------------------------

const ISSUER = "https://id.twitch.tv/oauth2";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const CODE_LIFETIME_MS = 10 * 60 * 1000;
const PAGE_LIFETIME_MS = 30 * 60 * 1000;
const DEVICE_CODE_LIFETIME_S = 1800;
const HELIX_RATE_LIMIT = 800;
const HELIX_RATE_WINDOW_MS = 60 * 1000;
const DEFAULT_ACCESS_TOKEN_LIFETIME = 14400;
const SIGNAL_POLL_MS = 100;
const DEFAULT_DEVICE_INTERVAL = 5;
const DEFAULT_REDIRECT_URI = "http://localhost:17563";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Twitch's scopes (twitch-oauth.md), plus the legacy and OIDC ones it accepts. */
const KNOWN_SCOPES: ReadonlySet<string> = new Set(
  Object.keys(SCOPE_DESCRIPTIONS),
);

// ---------------------------------------------------------------------------
// Internal records
// ---------------------------------------------------------------------------

interface AuthorizeRequest {
  client: MockClient;
  redirectUri: string;
  responseType: "code" | "token";
  scopes: string[];
  state: string | null;
  forceVerify: boolean;
  /** The OIDC `nonce`, copied into the ID token. */
  nonce: string | null;
}

interface ConsentPageRecord {
  request: AuthorizeRequest;
  user: MockUser;
  expiresAt: number;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  user: MockUser;
  nonce: string | null;
  expiresAt: number;
  used: boolean;
}

interface AccessTokenRecord {
  clientId: string;
  /** Absent for app tokens. */
  user?: MockUser;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

interface RefreshTokenRecord {
  clientId: string;
  user: MockUser;
  scopes: string[];
  revoked: boolean;
  accessTokens: Set<string>;
}

interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  status: "pending" | "approved" | "denied";
  user?: MockUser;
  lastPollAt?: number;
}

interface ActivatePageRecord {
  userCode: string;
  user: MockUser;
  expiresAt: number;
}

interface PendingFault {
  fault: MockFault;
  remaining: number;
}

interface SigningKey {
  privateKey: CryptoKey;
  jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

/** What a route handler gets. */
interface Context {
  req: Request;
  url: URL;
  /** The mock's origin as the client sees it, e.g. `http://127.0.0.1:1234`. */
  origin: string;
  /** Query parameters, overridden by form body parameters. */
  params: URLSearchParams;
}

type RouteHandler = (ctx: Context) => Response | Promise<Response>;
type Route = Partial<Record<string, RouteHandler>>;

/** Either a value or the error response to answer instead. */
type Result<T> = { ok: T; response?: undefined } | {
  ok?: undefined;
  response: Response;
};

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function randomString(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) {
        out += alphabet[byte % alphabet.length];
      }
    }
  }
  return out;
}

/** A Twitch-looking token: lowercase letters and digits. */
function randomToken(length: number): string {
  return randomString(length, LOWER_ALNUM);
}

function jsonResponse(
  status: number,
  body: unknown,
  headers?: HeadersInit,
): Response {
  const res = new Response(JSON.stringify(body), { status, headers });
  res.headers.set("Content-Type", "application/json");
  res.headers.set("Cache-Control", "no-store");
  return res;
}

/** The ID service's error shape: `{"status":400,"message":"..."}`. */
function idError(status: number, message: string): Response {
  return jsonResponse(status, { status, message });
}

/** The Helix (and ours for 404/405) error shape: `{"error":"Not Found","status":404,"message":"..."}`. */
function apiError(
  status: number,
  message: string,
  headers?: HeadersInit,
): Response {
  return jsonResponse(status, {
    error: STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? "Error",
    status,
    message,
  }, headers);
}

function htmlResponse(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
    },
  });
}

function redirect(location: string): Response {
  return new Response(null, {
    status: 302,
    headers: { Location: location, "Cache-Control": "no-store" },
  });
}

/** Adds a query (or replaces the fragment) of a redirect URI, keeping its own query. */
function withParams(
  redirectUri: string,
  params: string,
  inFragment: boolean,
): string {
  const hashAt = redirectUri.indexOf("#");
  const base = hashAt < 0 ? redirectUri : redirectUri.slice(0, hashAt);
  if (inFragment) return `${base}#${params}`;
  if (!base.includes("?")) return `${base}?${params}`;
  return base.endsWith("?") || base.endsWith("&")
    ? base + params
    : `${base}&${params}`;
}

function parseScopes(value: string | null): string[] {
  const scopes = (value ?? "").split(/\s+/).filter((scope) => scope !== "");
  return [...new Set(scopes)];
}

function isFormRequest(req: Request): boolean {
  const type = req.headers.get("content-type") ?? "";
  return type.toLowerCase().startsWith("application/x-www-form-urlencoded");
}

async function readForm(req: Request): Promise<URLSearchParams | undefined> {
  if (!req.body || !isFormRequest(req)) return undefined;
  return new URLSearchParams(await req.text());
}

function mergeParams(
  query: URLSearchParams,
  form: URLSearchParams | undefined,
): URLSearchParams {
  const params = new URLSearchParams(query);
  for (const [key, value] of form ?? []) params.set(key, value);
  return params;
}

/** The token of an `Authorization: <scheme> <token>` header, when the scheme matches. */
function credentials(headers: Headers, scheme: string): string | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(headers.get("authorization") ?? "");
  if (!match || match[1].toLowerCase() !== scheme.toLowerCase()) {
    return undefined;
  }
  return match[2];
}

function base64Url(data: ArrayBuffer | Uint8Array | string): string {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data instanceof Uint8Array
    ? data
    : new Uint8Array(data);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

async function createSigningKey(): Promise<SigningKey> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const { kty, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return {
    privateKey: pair.privateKey,
    jwk: { kty, n, e, alg: "RS256", use: "sig", kid: randomToken(12) },
  };
}

async function signJwt(
  key: SigningKey,
  claims: Record<string, unknown>,
): Promise<string> {
  const header = base64Url(
    JSON.stringify({ alg: "RS256", typ: "JWT", kid: key.jwk.kid }),
  );
  const payload = base64Url(JSON.stringify(claims));
  const signature = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    key.privateKey,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64Url(signature)}`;
}

function normalizeUserCode(userCode: string): string {
  return userCode.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

function checkConsentMode(mode: string): ConsentMode {
  if (mode !== "page" && mode !== "approve" && mode !== "deny") {
    throw new TypeError(
      `consent must be "page", "approve" or "deny", got ${
        JSON.stringify(mode)
      }`,
    );
  }
  return mode;
}

function checkSeconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `${name} must be a finite number of seconds >= 0, got ${value}`,
    );
  }
  return value;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function faultResponse(fault: MockFault): Response {
  const status = fault.status ?? 500;
  const body = NULL_BODY_STATUSES.has(status)
    ? null
    : fault.body ?? JSON.stringify({
      error: STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? "Error",
      status,
      message: "injected fault",
    });
  const headers = new Headers({ "Content-Type": "application/json" });
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    headers.set(name, value);
  }
  return new Response(body, { status, headers });
}

function withHeaders(res: Response, extra: Record<string, string>): Response {
  const headers = new Headers(res.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(res.body, {
    status: res.status,
    statusText: res.statusText,
    headers,
  });
}

// ---------------------------------------------------------------------------
// The handler
// ---------------------------------------------------------------------------

class Handler implements MockTwitchHandler {
  readonly fetch: (req: Request, serveInfo?: unknown) => Promise<Response> = (
    req,
    serveInfo,
  ) => this.#serve(req, serveInfo === undefined ? req.signal : undefined);

  #consent: ConsentMode;
  #currentUser: MockUser;
  #accessTokenLifetime: number;
  #deviceInterval: number;
  readonly #now: () => number;
  readonly #clients: Map<string, MockClient>;
  readonly #firstClient: MockClient;
  readonly #users: MockUser[];
  readonly #requests: MockRequest[] = [];
  readonly #codes = new Map<string, CodeRecord>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();
  readonly #refreshTokens = new Map<string, RefreshTokenRecord>();
  /** `clientId \n userId` -> scopes the user agreed to. */
  readonly #consents = new Map<string, Set<string>>();
  readonly #consentPages = new Map<string, ConsentPageRecord>();
  readonly #activatePages = new Map<string, ActivatePageRecord>();
  readonly #devices = new Map<string, DeviceRecord>();
  readonly #deviceByUserCode = new Map<string, DeviceRecord>();
  readonly #faults: PendingFault[] = [];
  readonly #delays = new Set<() => void>();
  readonly #rateLimits = new Map<
    string,
    { remaining: number; resetAt: number }
  >();
  #signingKey?: Promise<SigningKey>;
  #stopped = false;

  readonly #routes: Record<string, Route> = {
    "/oauth2/authorize": {
      GET: (c) => this.#authorize(c),
      POST: (c) => this.#authorizeAnswer(c),
    },
    "/oauth2/token": { POST: (c) => this.#token(c) },
    "/oauth2/device": { POST: (c) => this.#deviceStart(c) },
    "/oauth2/validate": { GET: (c) => this.#validate(c) },
    "/oauth2/revoke": { POST: (c) => this.#revoke(c) },
    "/oauth2/userinfo": {
      GET: (c) => this.#userinfo(c),
      POST: (c) => this.#userinfo(c),
    },
    "/oauth2/.well-known/openid-configuration": {
      GET: (c) => this.#discovery(c),
    },
    "/oauth2/keys": { GET: () => this.#keys() },
    "/activate": {
      GET: (c) => this.#activate(c),
      POST: (c) => this.#activateAnswer(c),
    },
    "/helix/users": { GET: (c) => this.#helixUsers(c) },
  };

  constructor(options: Omit<MockTwitchOptions, "hostname" | "port"> = {}) {
    const clients = options.clients ?? [{
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUris: [DEFAULT_REDIRECT_URI],
      name: "Twitch Auth Demo",
    }];
    if (clients.length === 0) throw new TypeError("clients must not be empty");
    const users = options.users ?? [DEMO_USER];
    if (users.length === 0) throw new TypeError("users must not be empty");
    this.#clients = new Map(
      clients.map((client) => [client.clientId, structuredClone(client)]),
    );
    this.#firstClient = this.#clients.get(clients[0].clientId)!;
    this.#users = [...users];
    this.#currentUser = users[0];
    this.#consent = checkConsentMode(options.consent ?? "page");
    this.#accessTokenLifetime = checkSeconds(
      "accessTokenLifetime",
      options.accessTokenLifetime ?? DEFAULT_ACCESS_TOKEN_LIFETIME,
    );
    this.#deviceInterval = checkSeconds(
      "deviceInterval",
      options.deviceInterval ?? DEFAULT_DEVICE_INTERVAL,
    );
    this.#now = options.now ?? Date.now;
  }

  // -- public state ---------------------------------------------------------

  get clientId(): string {
    return this.#firstClient.clientId;
  }

  get clientSecret(): string {
    return this.#firstClient.clientSecret ?? "";
  }

  get consent(): ConsentMode {
    return this.#consent;
  }

  set consent(mode: ConsentMode) {
    this.#consent = checkConsentMode(mode);
  }

  get currentUser(): MockUser {
    return this.#currentUser;
  }

  set currentUser(user: MockUser) {
    const known = this.#users.findIndex((u) => u.id === user.id);
    if (known < 0) this.#users.push(user);
    else this.#users[known] = user;
    this.#currentUser = user;
  }

  get accessTokenLifetime(): number {
    return this.#accessTokenLifetime;
  }

  set accessTokenLifetime(seconds: number) {
    this.#accessTokenLifetime = checkSeconds("accessTokenLifetime", seconds);
  }

  get deviceInterval(): number {
    return this.#deviceInterval;
  }

  set deviceInterval(seconds: number) {
    this.#deviceInterval = checkSeconds("deviceInterval", seconds);
  }

  get requests(): readonly MockRequest[] {
    return this.#requests;
  }

  countRequests(filter: RequestFilter): number {
    return this.#requests.filter((req) =>
      (filter.pathname === undefined || req.pathname === filter.pathname) &&
      (filter.grantType === undefined ||
        (req.form?.get("grant_type") ?? req.query.get("grant_type")) ===
          filter.grantType)
    ).length;
  }

  injectFault(fault: MockFault): void {
    const status = fault.status ?? 500;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(
        `fault status must be an integer in 200..599, got ${fault.status}`,
      );
    }
    const times = fault.times ?? 1;
    if (!(times > 0)) return;
    this.#faults.push({
      fault: { ...fault, headers: { ...fault.headers } },
      remaining: times,
    });
  }

  issueUserToken(options: IssueUserTokenOptions = {}): IssuedUserToken {
    const client = options.clientId === undefined
      ? this.#firstClient
      : this.#clients.get(options.clientId);
    if (!client) {
      throw new Error(`unknown client id ${JSON.stringify(options.clientId)}`);
    }
    const user = options.user ?? this.#currentUser;
    if (!this.#users.some((u) => u.id === user.id)) this.#users.push(user);
    const refreshToken = this.#newRefreshToken(
      client.clientId,
      user,
      options.scopes ?? [],
    );
    const accessToken = this.#newAccessToken(
      client.clientId,
      user,
      options.scopes ?? [],
      refreshToken,
      options.expiresIn,
    );
    return { accessToken, refreshToken };
  }

  expireAccessToken(accessToken: string): void {
    const record = this.#accessTokens.get(accessToken);
    if (!record) throw new Error("unknown access token");
    record.expiresAt = Math.min(record.expiresAt, this.#now() - 1);
  }

  approveDevice(userCode: string, user?: MockUser): void {
    const device = this.#pendingDevice(userCode);
    if (!device) {
      throw new Error(
        `no pending device request with user code ${JSON.stringify(userCode)}`,
      );
    }
    if (user && !this.#users.some((u) => u.id === user.id)) {
      this.#users.push(user);
    }
    device.status = "approved";
    device.user = user ?? this.#currentUser;
  }

  denyDevice(userCode: string): void {
    const device = this.#pendingDevice(userCode);
    if (!device) {
      throw new Error(
        `no pending device request with user code ${JSON.stringify(userCode)}`,
      );
    }
    device.status = "denied";
  }

  cancelDelays(): void {
    for (const cancel of [...this.#delays]) cancel();
  }

  /** Cancels delays now and later (the server is going away). */
  stop(): void {
    this.#stopped = true;
    this.cancelDelays();
  }

  // -- dispatch ---------------------------------------------------------------

  /** Answers `req`; a delayed fault ends early when `signal` aborts. */
  async #serve(req: Request, signal?: AbortSignal): Promise<Response> {
    const url = new URL(req.url);
    const record: MockRequest = {
      method: req.method,
      pathname: url.pathname,
      query: new URLSearchParams(url.searchParams),
      headers: new Headers(req.headers),
    };
    this.#requests.push(record);
    try {
      const form = await readForm(req);
      if (form) record.form = form;
      const fault = this.#takeFault(url.pathname);
      if (fault?.delay && !(await this.#sleep(fault.delay, signal))) {
        return apiError(503, "the mock server is shutting down");
      }
      if (fault && (fault.status !== undefined || fault.body !== undefined)) {
        return faultResponse(fault);
      }
      const res = await this.#route({
        req,
        url,
        origin: url.origin,
        params: mergeParams(url.searchParams, form),
      });
      return fault?.headers && Object.keys(fault.headers).length > 0
        ? withHeaders(res, fault.headers)
        : res;
    } catch (error) {
      return apiError(
        500,
        `mock server error: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }

  #route(ctx: Context): Response | Promise<Response> {
    const route = this.#routes[ctx.url.pathname];
    if (!route) return apiError(404, `no route for ${ctx.url.pathname}`);
    const handler = route[ctx.req.method];
    if (!handler) {
      return apiError(
        405,
        `method ${ctx.req.method} not allowed on ${ctx.url.pathname}`,
        {
          Allow: Object.keys(route).join(", "),
        },
      );
    }
    return handler(ctx);
  }

  #takeFault(pathname: string): MockFault | undefined {
    const index = this.#faults.findIndex((f) =>
      f.fault.path === undefined || f.fault.path === pathname
    );
    if (index < 0) return undefined;
    const pending = this.#faults[index];
    if (--pending.remaining <= 0) this.#faults.splice(index, 1);
    return pending.fault;
  }

  /**
   * Waits `ms`; resolves false when cancelled (server closing) or when
   * `signal` aborts (the caller went away). The signal is polled rather than
   * listened to, so that the wait leaves no listener behind.
   */
  #sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.#stopped || signal?.aborted) return Promise.resolve(false);
    const deadline = performance.now() + ms;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (completed: boolean) => {
        clearTimeout(timer);
        this.#delays.delete(cancel);
        resolve(completed);
      };
      const cancel = () => finish(false);
      const tick = () => {
        if (signal?.aborted) return finish(false);
        const left = deadline - performance.now();
        if (left <= 0) return finish(true);
        timer = setTimeout(tick, Math.min(left, SIGNAL_POLL_MS));
      };
      this.#delays.add(cancel);
      tick();
    });
  }

  // -- tokens -------------------------------------------------------------------

  #newAccessToken(
    clientId: string,
    user: MockUser | undefined,
    scopes: string[],
    refreshToken?: string,
    expiresIn: number = this.#accessTokenLifetime,
  ): string {
    const token = randomToken(30);
    const now = this.#now();
    this.#accessTokens.set(token, {
      clientId,
      user,
      scopes: [...scopes],
      issuedAt: now,
      expiresAt: now + expiresIn * 1000,
      revoked: false,
      refreshToken,
    });
    if (refreshToken) {
      this.#refreshTokens.get(refreshToken)?.accessTokens.add(token);
    }
    return token;
  }

  #newRefreshToken(clientId: string, user: MockUser, scopes: string[]): string {
    const token = randomToken(50);
    this.#refreshTokens.set(token, {
      clientId,
      user,
      scopes: [...scopes],
      revoked: false,
      accessTokens: new Set(),
    });
    return token;
  }

  /** The record of a usable (known, unexpired, unrevoked) access token. */
  #liveAccessToken(token: string | undefined): AccessTokenRecord | undefined {
    const record = token ? this.#accessTokens.get(token) : undefined;
    return record && !record.revoked && record.expiresAt > this.#now()
      ? record
      : undefined;
  }

  #revokeAccessTokensOf(refresh: RefreshTokenRecord): void {
    for (const token of refresh.accessTokens) {
      const record = this.#accessTokens.get(token);
      if (record) record.revoked = true;
    }
    refresh.accessTokens.clear();
  }

  #expiresIn(record: AccessTokenRecord): number {
    return Math.max(0, Math.round((record.expiresAt - this.#now()) / 1000));
  }

  /** `{access_token, expires_in, refresh_token, scope, token_type}` for a new user token. */
  async #userTokenResponse(
    client: MockClient,
    user: MockUser,
    scopes: string[],
    refreshToken: string,
    idTokenNonce?: string | null,
  ): Promise<Response> {
    const accessToken = this.#newAccessToken(
      client.clientId,
      user,
      scopes,
      refreshToken,
    );
    const record = this.#accessTokens.get(accessToken)!;
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: this.#expiresIn(record),
      refresh_token: refreshToken,
      scope: [...scopes],
      token_type: "bearer",
    };
    if (idTokenNonce !== undefined && scopes.includes("openid")) {
      body.id_token = await this.#idToken(
        client.clientId,
        user,
        record,
        idTokenNonce,
      );
    }
    return jsonResponse(200, body);
  }

  async #idToken(
    clientId: string,
    user: MockUser,
    token: AccessTokenRecord,
    nonce: string | null,
  ): Promise<string> {
    const claims: Record<string, unknown> = {
      aud: clientId,
      exp: Math.floor(token.expiresAt / 1000),
      iat: Math.floor(token.issuedAt / 1000),
      iss: ISSUER,
      sub: user.id,
      azp: clientId,
      preferred_username: user.displayName ?? user.login,
    };
    if (nonce !== null) claims.nonce = nonce;
    if (token.scopes.includes("user:read:email") && user.email) {
      claims.email = user.email;
      claims.email_verified = true;
    }
    return signJwt(await this.#key(), claims);
  }

  #key(): Promise<SigningKey> {
    this.#signingKey ??= createSigningKey();
    return this.#signingKey;
  }

  // -- client authentication ------------------------------------------------

  /**
   * Finds the client of `client_id` and checks `client_secret`: required for
   * confidential clients when `secret` is "required", checked when sent when
   * it is "optional"; public clients fail when it is "required".
   */
  #authenticateClient(
    params: URLSearchParams,
    secret: "required" | "optional" | "public-ok",
  ): Result<MockClient> {
    const clientId = params.get("client_id");
    if (!clientId) return { response: idError(400, "missing client id") };
    const client = this.#clients.get(clientId);
    if (!client) return { response: idError(400, "invalid client") };
    const given = params.get("client_secret");
    if (client.clientSecret === undefined) {
      // A public client has no secret: it may not use the confidential-only grants.
      return secret === "required"
        ? { response: idError(403, "invalid client secret") }
        : { ok: client };
    }
    if (!given) {
      return secret === "optional"
        ? { ok: client }
        : { response: idError(400, "missing client secret") };
    }
    if (given !== client.clientSecret) {
      return { response: idError(403, "invalid client secret") };
    }
    return { ok: client };
  }

  // -- /oauth2/authorize --------------------------------------------------------

  /** Checks an authorize request; unknown client or redirect URI -> error page, other errors -> redirect. */
  #parseAuthorize(params: URLSearchParams): Result<AuthorizeRequest> {
    const clientId = params.get("client_id");
    const client = clientId ? this.#clients.get(clientId) : undefined;
    if (!client) {
      return {
        response: htmlResponse(
          400,
          renderErrorPage(
            "invalid_client",
            "The client_id is missing or unknown.",
          ),
        ),
      };
    }
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!client.redirectUris.includes(redirectUri)) {
      return {
        response: htmlResponse(
          400,
          renderErrorPage(
            "redirect_mismatch",
            "Parameter redirect_uri does not match registered URI",
          ),
        ),
      };
    }
    const responseType = params.get("response_type");
    const state = params.get("state");
    if (responseType !== "code" && responseType !== "token") {
      return {
        response: this.#errorRedirect(
          redirectUri,
          false,
          state,
          "unsupported_response_type",
          "response_type must be code or token",
        ),
      };
    }
    const scopes = parseScopes(params.get("scope"));
    const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
    if (unknown.length > 0) {
      return {
        response: this.#errorRedirect(
          redirectUri,
          responseType === "token",
          state,
          "invalid_scope",
          `The requested scope is invalid: ${unknown.join(" ")}`,
        ),
      };
    }
    return {
      ok: {
        client,
        redirectUri,
        responseType,
        scopes,
        state,
        forceVerify: params.get("force_verify")?.toLowerCase() === "true",
        nonce: params.get("nonce"),
      },
    };
  }

  #authorize(ctx: Context): Response | Promise<Response> {
    const parsed = this.#parseAuthorize(ctx.params);
    if (parsed.response) return parsed.response;
    const request = parsed.ok;
    const user = this.#currentUser;
    if (this.#consent === "approve") return this.#approve(request, user);
    if (this.#consent === "deny") return this.#deny(request);
    if (
      !request.forceVerify &&
      this.#hasConsented(request.client.clientId, user.id, request.scopes)
    ) {
      return this.#approve(request, user);
    }
    return this.#consentPage(request, user);
  }

  #consentPage(request: AuthorizeRequest, user: MockUser): Response {
    const csrfToken = randomToken(32);
    const now = this.#now();
    this.#prune(this.#consentPages, now);
    this.#consentPages.set(csrfToken, {
      request,
      user,
      expiresAt: now + PAGE_LIFETIME_MS,
    });
    const hiddenFields: Record<string, string> = {
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      response_type: request.responseType,
      scope: request.scopes.join(" "),
    };
    if (request.state !== null) hiddenFields.state = request.state;
    if (request.nonce !== null) hiddenFields.nonce = request.nonce;
    hiddenFields.csrf_token = csrfToken;
    return htmlResponse(
      200,
      renderConsentPage({
        app: this.#pageApp(request.client),
        scopes: request.scopes,
        user,
        action: "/oauth2/authorize",
        hiddenFields,
        redirectUri: request.redirectUri,
      }),
    );
  }

  /** POST /oauth2/authorize: the consent page's Authorize or Cancel. */
  #authorizeAnswer(ctx: Context): Response | Promise<Response> {
    const csrfToken = ctx.params.get("csrf_token") ?? "";
    const page = this.#consentPages.get(csrfToken);
    this.#consentPages.delete(csrfToken);
    if (!page || page.expiresAt <= this.#now()) {
      return htmlResponse(
        400,
        renderErrorPage(
          "invalid_request",
          "This page has expired or was not issued by Twitch. Start again from the app.",
        ),
      );
    }
    const { request, user } = page;
    const matches = ctx.params.get("client_id") === request.client.clientId &&
      ctx.params.get("redirect_uri") === request.redirectUri &&
      ctx.params.get("response_type") === request.responseType &&
      parseScopes(ctx.params.get("scope")).join(" ") ===
        request.scopes.join(" ") &&
      ctx.params.get("state") === request.state;
    if (!matches) {
      return htmlResponse(
        400,
        renderErrorPage(
          "invalid_request",
          "The form does not match the request it was made for.",
        ),
      );
    }
    const action = ctx.params.get("action");
    if (action === "authorize") return this.#approve(request, user);
    if (action === "cancel") return this.#deny(request);
    return htmlResponse(
      400,
      renderErrorPage("invalid_request", "Choose Authorize or Cancel."),
    );
  }

  #hasConsented(clientId: string, userId: string, scopes: string[]): boolean {
    const granted = this.#consents.get(`${clientId}\n${userId}`);
    return granted !== undefined && scopes.every((scope) => granted.has(scope));
  }

  #rememberConsent(clientId: string, userId: string, scopes: string[]): void {
    const key = `${clientId}\n${userId}`;
    const granted = this.#consents.get(key) ?? new Set<string>();
    for (const scope of scopes) granted.add(scope);
    this.#consents.set(key, granted);
  }

  #approve(request: AuthorizeRequest, user: MockUser): Response {
    this.#rememberConsent(request.client.clientId, user.id, request.scopes);
    const scope = encodeURIComponent(request.scopes.join(" "));
    const state = request.state === null
      ? ""
      : `&state=${encodeURIComponent(request.state)}`;
    if (request.responseType === "token") {
      const accessToken = this.#newAccessToken(
        request.client.clientId,
        user,
        request.scopes,
      );
      return redirect(
        withParams(
          request.redirectUri,
          `access_token=${accessToken}&scope=${scope}${state}&token_type=bearer`,
          true,
        ),
      );
    }
    const code = randomToken(30);
    const now = this.#now();
    this.#prune(this.#codes, now);
    this.#codes.set(code, {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      user,
      nonce: request.nonce,
      expiresAt: now + CODE_LIFETIME_MS,
      used: false,
    });
    return redirect(
      withParams(
        request.redirectUri,
        `code=${code}&scope=${scope}${state}`,
        false,
      ),
    );
  }

  #deny(request: AuthorizeRequest): Response {
    return this.#errorRedirect(
      request.redirectUri,
      request.responseType === "token",
      request.state,
      "access_denied",
      "The user denied you access",
    );
  }

  #errorRedirect(
    redirectUri: string,
    inFragment: boolean,
    state: string | null,
    error: string,
    description: string,
  ): Response {
    const params = new URLSearchParams({
      error,
      error_description: description,
    });
    if (state !== null) params.set("state", state);
    return redirect(withParams(redirectUri, params.toString(), inFragment));
  }

  // -- /oauth2/token --------------------------------------------------------------

  #token(ctx: Context): Response | Promise<Response> {
    const grantType = ctx.params.get("grant_type");
    switch (grantType) {
      case "authorization_code":
        return this.#exchangeCode(ctx.params);
      case "refresh_token":
        return this.#refresh(ctx.params);
      case "client_credentials":
        return this.#clientCredentials(ctx.params);
      case DEVICE_GRANT:
        return this.#pollDevice(ctx.params);
      case null:
      case "":
        return idError(400, "missing grant type");
      default:
        return idError(400, "unsupported grant type");
    }
  }

  #exchangeCode(params: URLSearchParams): Response | Promise<Response> {
    const auth = this.#authenticateClient(params, "required");
    if (auth.response) return auth.response;
    const client = auth.ok;
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!client.redirectUris.includes(redirectUri)) {
      return idError(
        400,
        "Parameter redirect_uri does not match registered URI",
      );
    }
    const code = this.#codes.get(params.get("code") ?? "");
    if (
      !code || code.used || code.expiresAt <= this.#now() ||
      code.clientId !== client.clientId
    ) {
      return idError(400, "Invalid authorization code");
    }
    if (code.redirectUri !== redirectUri) {
      return idError(
        400,
        "Parameter redirect_uri does not match registered URI",
      );
    }
    code.used = true;
    const refreshToken = this.#newRefreshToken(
      client.clientId,
      code.user,
      code.scopes,
    );
    return this.#userTokenResponse(
      client,
      code.user,
      code.scopes,
      refreshToken,
      code.nonce,
    );
  }

  #refresh(params: URLSearchParams): Response | Promise<Response> {
    const auth = this.#authenticateClient(params, "public-ok");
    if (auth.response) return auth.response;
    const client = auth.ok;
    const oldToken = params.get("refresh_token") ?? "";
    const record = this.#refreshTokens.get(oldToken);
    if (!record || record.revoked || record.clientId !== client.clientId) {
      return jsonResponse(400, {
        error: "Bad Request",
        status: 400,
        message: "Invalid refresh token",
      });
    }
    this.#revokeAccessTokensOf(record);
    let refreshToken = oldToken;
    if (client.clientSecret === undefined) {
      // Public clients' refresh tokens are single-use.
      record.revoked = true;
      refreshToken = this.#newRefreshToken(
        client.clientId,
        record.user,
        record.scopes,
      );
    }
    return this.#userTokenResponse(
      client,
      record.user,
      record.scopes,
      refreshToken,
    );
  }

  #clientCredentials(params: URLSearchParams): Response {
    const auth = this.#authenticateClient(params, "required");
    if (auth.response) return auth.response;
    const accessToken = this.#newAccessToken(auth.ok.clientId, undefined, []);
    const record = this.#accessTokens.get(accessToken)!;
    return jsonResponse(200, {
      access_token: accessToken,
      expires_in: this.#expiresIn(record),
      token_type: "bearer",
    });
  }

  // -- device code flow -------------------------------------------------------

  #deviceStart(ctx: Context): Response {
    const clientId = ctx.params.get("client_id");
    if (!clientId) return idError(400, "missing client id");
    const client = this.#clients.get(clientId);
    if (!client) return idError(400, "invalid client");
    const scopes = parseScopes(ctx.params.get("scopes"));
    const unknown = scopes.find((scope) => !KNOWN_SCOPES.has(scope));
    if (unknown !== undefined) {
      return idError(400, `invalid scope requested: '${unknown}'`);
    }
    const now = this.#now();
    this.#pruneDevices(now);
    let userCode = randomString(8, UPPER_ALPHA);
    while (this.#deviceByUserCode.has(userCode)) {
      userCode = randomString(8, UPPER_ALPHA);
    }
    const device: DeviceRecord = {
      deviceCode: randomToken(40),
      userCode,
      clientId,
      scopes,
      expiresAt: now + DEVICE_CODE_LIFETIME_S * 1000,
      status: "pending",
    };
    this.#devices.set(device.deviceCode, device);
    this.#deviceByUserCode.set(userCode, device);
    return jsonResponse(200, {
      device_code: device.deviceCode,
      expires_in: DEVICE_CODE_LIFETIME_S,
      interval: this.#deviceInterval,
      user_code: userCode,
      verification_uri: `${ctx.origin}/activate?device-code=${userCode}`,
    });
  }

  #pollDevice(params: URLSearchParams): Response | Promise<Response> {
    const auth = this.#authenticateClient(params, "optional");
    if (auth.response) return auth.response;
    const client = auth.ok;
    const now = this.#now();
    const device = this.#devices.get(params.get("device_code") ?? "");
    if (
      !device || device.clientId !== client.clientId || device.expiresAt <= now
    ) {
      return idError(400, "invalid device code");
    }
    if (device.status === "denied") {
      this.#forgetDevice(device);
      return idError(400, "access_denied");
    }
    if (device.status === "approved") {
      this.#forgetDevice(device);
      const user = device.user ?? this.#currentUser;
      const refreshToken = this.#newRefreshToken(
        client.clientId,
        user,
        device.scopes,
      );
      return this.#userTokenResponse(client, user, device.scopes, refreshToken);
    }
    const tooSoon = device.lastPollAt !== undefined &&
      now - device.lastPollAt < this.#deviceInterval * 1000;
    device.lastPollAt = now;
    return idError(400, tooSoon ? "slow_down" : "authorization_pending");
  }

  #pendingDevice(userCode: string): DeviceRecord | undefined {
    const device = this.#deviceByUserCode.get(normalizeUserCode(userCode));
    return device && device.status === "pending" &&
        device.expiresAt > this.#now()
      ? device
      : undefined;
  }

  #forgetDevice(device: DeviceRecord): void {
    this.#devices.delete(device.deviceCode);
    this.#deviceByUserCode.delete(device.userCode);
  }

  #pruneDevices(now: number): void {
    for (const device of this.#devices.values()) {
      if (device.expiresAt <= now) this.#forgetDevice(device);
    }
  }

  #activate(ctx: Context): Response {
    const user = this.#currentUser;
    const given = ctx.params.get("device-code");
    if (!given) return htmlResponse(200, renderActivatePage({ user }));
    const device = this.#pendingDevice(given);
    if (!device) {
      return htmlResponse(
        400,
        renderActivatePage({
          user,
          error:
            "This code is invalid or has expired. Check the code on your device.",
        }),
      );
    }
    if (this.#consent !== "page") {
      return this.#answerDevice(device, this.#consent === "approve", user);
    }
    const csrfToken = randomToken(32);
    const now = this.#now();
    this.#prune(this.#activatePages, now);
    this.#activatePages.set(csrfToken, {
      userCode: device.userCode,
      user,
      expiresAt: now + PAGE_LIFETIME_MS,
    });
    return htmlResponse(
      200,
      renderActivatePage({
        user,
        request: {
          app: this.#pageApp(this.#clients.get(device.clientId)!),
          scopes: device.scopes,
          userCode: device.userCode,
          csrfToken,
        },
      }),
    );
  }

  /** POST /activate: the activation page's Authorize or Cancel. */
  #activateAnswer(ctx: Context): Response {
    const csrfToken = ctx.params.get("csrf_token") ?? "";
    const page = this.#activatePages.get(csrfToken);
    this.#activatePages.delete(csrfToken);
    const device = page && page.expiresAt > this.#now() &&
        normalizeUserCode(ctx.params.get("user_code") ?? "") === page.userCode
      ? this.#pendingDevice(page.userCode)
      : undefined;
    if (!page || !device) {
      return htmlResponse(
        400,
        renderActivatePage({
          user: this.#currentUser,
          error:
            "This page has expired or the code is no longer valid. Enter the code again.",
        }),
      );
    }
    const action = ctx.params.get("action");
    if (action !== "authorize" && action !== "cancel") {
      return htmlResponse(
        400,
        renderErrorPage("invalid_request", "Choose Authorize or Cancel."),
      );
    }
    return this.#answerDevice(device, action === "authorize", page.user);
  }

  #answerDevice(
    device: DeviceRecord,
    approved: boolean,
    user: MockUser,
  ): Response {
    device.status = approved ? "approved" : "denied";
    if (approved) device.user = user;
    return htmlResponse(
      200,
      renderActivateResultPage(
        approved,
        this.#pageApp(this.#clients.get(device.clientId)!),
      ),
    );
  }

  // -- validate, revoke, userinfo, discovery ------------------------------------

  #validate(ctx: Context): Response {
    const record = this.#liveAccessToken(credentials(ctx.req.headers, "OAuth"));
    if (!record) return idError(401, "invalid access token");
    const body: Record<string, unknown> = { client_id: record.clientId };
    if (record.user) body.login = record.user.login;
    body.scopes = [...record.scopes];
    if (record.user) body.user_id = record.user.id;
    body.expires_in = this.#expiresIn(record);
    return jsonResponse(200, body);
  }

  #revoke(ctx: Context): Response {
    const clientId = ctx.params.get("client_id");
    if (!clientId) return idError(400, "missing client id");
    if (!this.#clients.has(clientId)) {
      return idError(404, "client does not exist");
    }
    const token = ctx.params.get("token") ?? "";
    const access = this.#accessTokens.get(token);
    const refresh = this.#refreshTokens.get(token);
    if (access && !access.revoked && access.clientId === clientId) {
      access.revoked = true;
    } else if (refresh && !refresh.revoked && refresh.clientId === clientId) {
      refresh.revoked = true;
      this.#revokeAccessTokensOf(refresh);
    } else {
      return idError(400, "Invalid token");
    }
    return new Response(null, { status: 200 });
  }

  #userinfo(ctx: Context): Response {
    const token = credentials(ctx.req.headers, "Bearer");
    if (!token) return idError(401, "missing authorization token");
    const record = this.#liveAccessToken(token);
    if (!record || !record.user) return idError(401, "invalid access token");
    if (!record.scopes.includes("openid")) {
      return idError(401, "the access token is missing the openid scope");
    }
    const user = record.user;
    const claims: Record<string, unknown> = {
      aud: record.clientId,
      exp: Math.floor(record.expiresAt / 1000),
      iat: Math.floor(record.issuedAt / 1000),
      iss: ISSUER,
      sub: user.id,
      preferred_username: user.login,
    };
    if (record.scopes.includes("user:read:email") && user.email) {
      claims.email = user.email;
      claims.email_verified = true;
    }
    return jsonResponse(200, claims);
  }

  #discovery(ctx: Context): Response {
    const base = `${ctx.origin}/oauth2`;
    return jsonResponse(200, {
      authorization_endpoint: `${base}/authorize`,
      claims_parameter_supported: true,
      claims_supported: [
        "aud",
        "exp",
        "iat",
        "iss",
        "sub",
        "email",
        "email_verified",
        "picture",
        "preferred_username",
        "updated_at",
      ],
      id_token_signing_alg_values_supported: ["RS256"],
      issuer: ISSUER,
      jwks_uri: `${base}/keys`,
      response_types_supported: [
        "id_token",
        "code",
        "token",
        "code id_token",
        "token id_token",
      ],
      scopes_supported: ["openid"],
      subject_types_supported: ["public"],
      token_endpoint: `${base}/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post"],
      userinfo_endpoint: `${base}/userinfo`,
    });
  }

  async #keys(): Promise<Response> {
    const key = await this.#key();
    return jsonResponse(200, { keys: [key.jwk] });
  }

  // -- helix ----------------------------------------------------------------------

  #helixUsers(ctx: Context): Response {
    const token = credentials(ctx.req.headers, "Bearer");
    if (!token) return apiError(401, "OAuth token is missing");
    const record = this.#liveAccessToken(token);
    if (!record) return apiError(401, "Invalid OAuth token");
    const clientId = ctx.req.headers.get("client-id");
    if (!clientId) return apiError(401, "Client-Id header required");
    if (clientId !== record.clientId) {
      return apiError(401, "Client ID and OAuth token do not match");
    }
    const rate = this.#takeRateLimit(clientId);
    if (rate.limited) return apiError(429, "Too Many Requests", rate.headers);
    const ids = ctx.url.searchParams.getAll("id");
    const logins = ctx.url.searchParams.getAll("login").map((login) =>
      login.toLowerCase()
    );
    if (ids.length + logins.length > 100) {
      return apiError(
        400,
        "The request exceeds the maximum allowed number of 'id' and/or 'login' query parameters.",
        rate.headers,
      );
    }
    let users: MockUser[];
    if (ids.length + logins.length === 0) {
      if (!record.user) {
        return apiError(
          400,
          "Must provide an ID, Login or OAuth Token",
          rate.headers,
        );
      }
      users = [record.user];
    } else {
      users = this.#users.filter((u) =>
        ids.includes(u.id) || logins.includes(u.login.toLowerCase())
      );
    }
    const canSeeEmail = record.user !== undefined &&
      record.scopes.includes("user:read:email");
    const data = users.map((u) =>
      helixUser(u, canSeeEmail && u.id === record.user?.id)
    );
    return jsonResponse(200, { data }, rate.headers);
  }

  #takeRateLimit(
    clientId: string,
  ): { limited: boolean; headers: Record<string, string> } {
    const now = this.#now();
    let bucket = this.#rateLimits.get(clientId);
    if (!bucket || bucket.resetAt <= now) {
      bucket = {
        remaining: HELIX_RATE_LIMIT,
        resetAt: now + HELIX_RATE_WINDOW_MS,
      };
      this.#rateLimits.set(clientId, bucket);
    }
    const limited = bucket.remaining === 0;
    if (!limited) bucket.remaining--;
    return {
      limited,
      headers: {
        "Ratelimit-Limit": String(HELIX_RATE_LIMIT),
        "Ratelimit-Remaining": String(bucket.remaining),
        "Ratelimit-Reset": String(Math.ceil(bucket.resetAt / 1000)),
      },
    };
  }

  // -- misc ---------------------------------------------------------------------

  #pageApp(client: MockClient): PageApp {
    return { name: client.name, clientId: client.clientId };
  }

  #prune(map: Map<string, { expiresAt: number }>, now: number): void {
    for (const [key, value] of map) {
      if (value.expiresAt <= now) map.delete(key);
    }
  }
}

function helixUser(
  user: MockUser,
  withEmail: boolean,
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: user.id,
    login: user.login,
    display_name: user.displayName ?? user.login,
    type: "",
    broadcaster_type: "",
    description: "",
    profile_image_url:
      `https://static-cdn.jtvnw.net/user-default-pictures-uv/ebe4cd89-b4f4-4cd9-adac-2f30151b4209-profile_image-300x300.png`,
    offline_image_url: "",
    view_count: 0,
    created_at: "2016-12-14T20:32:28Z",
  };
  if (withEmail && user.email) data.email = user.email;
  return data;
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

function urlHost(hostname: string): string {
  if (hostname === "0.0.0.0") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

class Server extends Handler implements MockTwitch {
  readonly url: string;
  readonly authBaseUrl: string;
  readonly helixBaseUrl: string;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  #closing?: Promise<void>;

  constructor(options: MockTwitchOptions) {
    const { hostname = "127.0.0.1", port = 0, ...handlerOptions } = options;
    super(handlerOptions);
    this.#server = Deno.serve(
      { hostname, port, onListen: () => {} },
      this.fetch,
    );
    this.url = `http://${
      urlHost(this.#server.addr.hostname)
    }:${this.#server.addr.port}`;
    this.authBaseUrl = `${this.url}/oauth2`;
    this.helixBaseUrl = `${this.url}/helix`;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.stop();
      await this.#server.shutdown();
      await this.#server.finished;
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/**
 * Creates the mock's web-standard handler and state, without a server: for
 * `Deno.serve`, `deno serve`, or calling `handler.fetch(request)` in a test.
 * URLs it hands out (device `verification_uri`, discovery) use the origin of
 * the request being answered.
 *
 * @example
 * ```ts
 * import { createMockTwitchHandler } from "@x/twitch-auth/testing";
 * const mock = createMockTwitchHandler({ consent: "approve" });
 * const res = await mock.fetch(new Request("http://mock.test/oauth2/.well-known/openid-configuration"));
 * console.log((await res.json()).token_endpoint); // http://mock.test/oauth2/token
 * ```
 */
export function createMockTwitchHandler(
  options: Omit<MockTwitchOptions, "hostname" | "port"> = {},
): MockTwitchHandler {
  return new Handler(options);
}

/**
 * Starts the mock Twitch server on `127.0.0.1` and a free port (by default).
 * It prints nothing; `close()` (or `await using`) shuts it down.
 *
 * @example
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch({ consent: "approve" });
 * const res = await fetch(`${mock.authBaseUrl}/token`, {
 *   method: "POST",
 *   body: new URLSearchParams({
 *     client_id: mock.clientId,
 *     client_secret: mock.clientSecret,
 *     grant_type: "client_credentials",
 *   }),
 * });
 * console.log(await res.json()); // { access_token, expires_in: 14400, token_type: "bearer" }
 * ```
 */
export function startMockTwitch(
  options: MockTwitchOptions = {},
): Promise<MockTwitch> {
  try {
    return Promise.resolve(new Server(options));
  } catch (error) {
    return Promise.reject(error);
  }
}
