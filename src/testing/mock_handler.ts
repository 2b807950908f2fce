/**
 * The mock Twitch as a web-standard handler, `(req: Request) =>
 * Promise<Response>`, and the methods tests use to drive it. It needs no
 * `Deno.` API: only `./mock_server.ts` serves it.
 *
 * @module
 */

import {
  activateAnswer,
  activatePage,
  answerDevice,
  startDevice,
} from "./_mock_device_flow.ts";
import { authorize, authorizeAnswer } from "./_mock_authorize.ts";
import {
  answersInstead,
  FaultQueue,
  faultResponse,
  withFaultHeaders,
} from "./_mock_faults.ts";
import {
  apiError,
  type Context,
  mergeParams,
  readForm,
  type Route,
} from "./_mock_http.ts";
import { helixChatters, helixUsers } from "./_mock_helix.ts";
import { discovery, keys, userinfo } from "./_mock_openid.ts";
import { countMatching, grantTypeOf, logEntry } from "./_mock_request_log.ts";
import { control, CONTROL_PATH, expireTokens } from "./_mock_control.ts";
import {
  checkConsentMode,
  checkSeconds,
  createMockState,
  type MockState,
} from "./_mock_state.ts";
import { tokenEndpoint } from "./_mock_token_grants.ts";
import { expireAccessToken, issueUserToken } from "./_mock_token_store.ts";
import type {
  ConsentMode,
  IssuedUserToken,
  IssueUserTokenOptions,
  MockFault,
  MockRequest,
  MockTwitchOptions,
  MockUser,
  RequestFilter,
} from "./mock_types.ts";
import { revoke, validate } from "./_mock_validate_revoke.ts";

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
   * Makes every access token the mock issued invalid, as if they had all
   * expired (their refresh tokens keep working), so that the next Helix
   * call of every bot and app takes its refresh path.
   *
   * @example Send every client through a refresh
   * ```ts
   * import { startMockTwitch } from "@x/twitch-auth/testing";
   * await using mock = await startMockTwitch();
   * mock.issueUserToken();
   * mock.issueUserToken();
   * console.log(mock.expireAllAccessTokens()); // 2
   * ```
   *
   * @returns How many live access tokens it expired.
   */
  expireAllAccessTokens(): number;
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

/** The routes of the mock, by pathname and method. */
function routes(state: MockState): Record<string, Route> {
  return {
    "/oauth2/authorize": {
      GET: (c) => authorize(state, c),
      POST: (c) => authorizeAnswer(state, c),
    },
    "/oauth2/token": { POST: (c) => tokenEndpoint(state, c) },
    "/oauth2/device": { POST: (c) => startDevice(state, c) },
    "/oauth2/validate": { GET: (c) => validate(state, c) },
    "/oauth2/revoke": { POST: (c) => revoke(state, c) },
    "/oauth2/userinfo": {
      GET: (c) => userinfo(state, c),
      POST: (c) => userinfo(state, c),
    },
    "/oauth2/.well-known/openid-configuration": { GET: (c) => discovery(c) },
    "/oauth2/keys": { GET: () => keys(state) },
    "/activate": {
      GET: (c) => activatePage(state, c),
      POST: (c) => activateAnswer(state, c),
    },
    "/helix/users": { GET: (c) => helixUsers(state, c) },
    "/helix/chat/chatters": { GET: (c) => helixChatters(state, c) },
    [CONTROL_PATH]: { POST: (c) => control(state, c) },
  };
}

function route(
  table: Record<string, Route>,
  ctx: Context,
): Response | Promise<Response> {
  const handlers = table[ctx.url.pathname];
  if (!handlers) return apiError(404, `no route for ${ctx.url.pathname}`);
  const handler = handlers[ctx.req.method];
  if (!handler) {
    return apiError(
      405,
      `method ${ctx.req.method} not allowed on ${ctx.url.pathname}`,
      { Allow: Object.keys(handlers).join(", ") },
    );
  }
  return handler(ctx);
}

/** The handler: the public methods over the shared state, the log and the faults. */
export class Handler implements MockTwitchHandler {
  readonly fetch: (req: Request, serveInfo?: unknown) => Promise<Response> = (
    req,
    serveInfo,
  ) => this.#serve(req, serveInfo === undefined ? req.signal : undefined);

  readonly #state: MockState;
  readonly #routes: Record<string, Route>;
  readonly #requests: MockRequest[] = [];
  readonly #faults = new FaultQueue();

  readonly #onRequest: MockTwitchOptions["onRequest"];

  constructor(options: Omit<MockTwitchOptions, "hostname" | "port"> = {}) {
    this.#onRequest = options.onRequest;
    this.#state = createMockState(options);
    this.#routes = routes(this.#state);
  }

  get clientId(): string {
    return this.#state.firstClient.clientId;
  }

  get clientSecret(): string {
    return this.#state.firstClient.clientSecret ?? "";
  }

  get consent(): ConsentMode {
    return this.#state.consent;
  }

  set consent(mode: ConsentMode) {
    this.#state.consent = checkConsentMode(mode);
  }

  get currentUser(): MockUser {
    return this.#state.currentUser;
  }

  set currentUser(user: MockUser) {
    const users = this.#state.users;
    const known = users.findIndex((u) => u.id === user.id);
    if (known < 0) users.push(user);
    else users[known] = user;
    this.#state.currentUser = user;
  }

  get accessTokenLifetime(): number {
    return this.#state.accessTokenLifetime;
  }

  set accessTokenLifetime(seconds: number) {
    this.#state.accessTokenLifetime = checkSeconds(
      "accessTokenLifetime",
      seconds,
    );
  }

  get deviceInterval(): number {
    return this.#state.deviceInterval;
  }

  set deviceInterval(seconds: number) {
    this.#state.deviceInterval = checkSeconds("deviceInterval", seconds);
  }

  get requests(): readonly MockRequest[] {
    return this.#requests;
  }

  countRequests(filter: RequestFilter): number {
    return countMatching(this.#requests, filter);
  }

  injectFault(fault: MockFault): void {
    this.#faults.inject(fault);
  }

  issueUserToken(options: IssueUserTokenOptions = {}): IssuedUserToken {
    return issueUserToken(this.#state, options);
  }

  expireAccessToken(accessToken: string): void {
    expireAccessToken(this.#state, accessToken);
  }

  expireAllAccessTokens(): number {
    return expireTokens(this.#state);
  }

  approveDevice(userCode: string, user?: MockUser): void {
    answerDevice(this.#state, userCode, true, user);
  }

  denyDevice(userCode: string): void {
    answerDevice(this.#state, userCode, false);
  }

  cancelDelays(): void {
    this.#faults.cancelDelays();
  }

  /** Cancels delays now and later (the server is going away). */
  stop(): void {
    this.#faults.stop();
  }

  /** Answers `req`; a delayed fault ends early when `signal` aborts. */
  async #serve(req: Request, signal?: AbortSignal): Promise<Response> {
    const started = Date.now();
    const url = new URL(req.url);
    const entry = logEntry(req, url);
    this.#requests.push(entry);
    const response = await this.#answer(req, url, entry, signal);
    this.#onRequest?.({
      method: entry.method,
      pathname: entry.pathname,
      ...grantTypeOf(entry),
      status: response.status,
      duration: Date.now() - started,
    });
    return response;
  }

  async #answer(
    req: Request,
    url: URL,
    entry: MockRequest,
    signal?: AbortSignal,
  ): Promise<Response> {
    try {
      const form = await readForm(req);
      if (form) entry.form = form;
      const fault = this.#faults.take(url.pathname);
      if (fault?.delay && !(await this.#faults.sleep(fault.delay, signal))) {
        return apiError(503, "the mock server is shutting down");
      }
      if (fault && answersInstead(fault)) return faultResponse(fault);
      const res = await route(this.#routes, {
        req,
        url,
        origin: url.origin,
        params: mergeParams(url.searchParams, form),
      });
      return withFaultHeaders(res, fault);
    } catch (error) {
      return apiError(
        500,
        `mock server error: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
}

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
