/**
 * The browser sign-in: opens Twitch's consent page, catches the redirect on
 * localhost, exchanges the code and hands back the user's tokens.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { buildAuthorizeUrl, generateState } from "../web/authorize_url.ts";
import type { Callback, CallbackServer } from "./_callback_server.ts";
import {
  AccessDeniedError,
  AuthorizationError,
  CancelledError,
  InvalidArgumentError,
  TimeoutError,
  TwitchApiError,
  TwitchAuthError,
} from "../web/errors.ts";
import { exchangeCode } from "../web/exchange_code.ts";
import { checkTimeout, startTimer } from "../web/_request.ts";
import type { OpenedBrowser } from "./_open_browser.ts";
import { htmlResponse, renderPage, SUCCESS_DOCUMENT } from "../web/_pages.ts";
import type { Twitch } from "../web/twitch.ts";
import type { AppCredentials } from "../web/app_credentials.ts";

/**
 * The redirect URL to register in the Twitch developer console: the
 * default `redirectUri` of the browser sign-in.
 *
 * @example Tell the user what to register before the first sign-in
 * ```ts
 * import { DEFAULT_REDIRECT_URI } from "@x/twitch-auth";
 *
 * console.log(`In https://dev.twitch.tv/console/apps, add ${DEFAULT_REDIRECT_URI}
 * as an OAuth Redirect URL of your app, exactly as written.`);
 * ```
 */
export const DEFAULT_REDIRECT_URI = "http://localhost:17563";

/**
 * The default redirect URL under its old name.
 *
 * @deprecated Use {@linkcode DEFAULT_REDIRECT_URI}.
 *
 * @example The same value as DEFAULT_REDIRECT_URI
 * ```ts
 * import { DEFAULT_REDIRECT_URI, DEFAULT_REDIRECT_URL } from "@x/twitch-auth";
 *
 * console.log(DEFAULT_REDIRECT_URL === DEFAULT_REDIRECT_URI); // true
 * ```
 */
export const DEFAULT_REDIRECT_URL: string = DEFAULT_REDIRECT_URI;
/**
 * How long a sign-in may take by default: ten minutes, a code's lifetime.
 *
 * @example Give the user longer than the default to sign in
 * ```ts ignore
 * import { DEFAULT_SIGN_IN_TIMEOUT, Twitch, UserAuthenticator } from "@x/twitch-auth";
 *
 * const auth = new UserAuthenticator(new Twitch("my_app_id", "my_app_secret"), ["chat:read"]);
 * // Ten minutes may not do for a user who first has to create a Twitch account.
 * const token = await auth.authenticate({ timeout: 2 * DEFAULT_SIGN_IN_TIMEOUT });
 * console.log(token.scopes);
 * ```
 */
export const DEFAULT_SIGN_IN_TIMEOUT = 600_000;

/**
 * Options of a {@linkcode UserAuthenticator}.
 *
 * @example Sign in through a redirect URL of your own, with the consent page every time
 * ```ts ignore
 * import { UserAuthenticator } from "@x/twitch-auth";
 *
 * const auth = new UserAuthenticator(
 *   { clientId: "my_app_id", clientSecret: "my_app_secret" },
 *   ["chat:read"],
 *   {
 *     redirectUri: "http://localhost:3000/callback", // registered for the app; port 3000
 *     forceVerify: true, // Twitch asks again, even if the user approved before
 *   },
 * );
 * const token = await auth.authenticate();
 * console.log(token.scopes);
 * ```
 */
export interface UserAuthenticatorOptions {
  /** Make Twitch ask the user again even if they consented before. Default `false`. */
  forceVerify?: boolean;
  /** The redirect URL registered in the Twitch developer console. Default `http://localhost:17563`. */
  redirectUri?: string;
  /**
   * The redirect URL, under pyTwitchAPI's name.
   *
   * @deprecated Use `redirectUri` (it wins when both are given).
   */
  url?: string;
  /** The one address the callback server listens on. Default: loopback (127.0.0.1 and ::1). */
  host?: string;
  /** The port the callback server listens on. Default: the redirect URL's port (17563). */
  port?: number;
  /** Twitch's OAuth base URL. Default: the app's. */
  authBaseUrl?: string;
  /** The HTML page shown after a successful sign-in. */
  document?: string;
}

/**
 * Receives the tokens of a finished sign-in.
 *
 * @example Store the tokens as soon as the sign-in ends
 * ```ts ignore
 * import { UserAuthenticator, writeSecretFile } from "@x/twitch-auth";
 *
 * const auth = new UserAuthenticator(
 *   { clientId: "my_app_id", clientSecret: "my_app_secret" },
 *   ["chat:read"],
 * );
 * // With a callback, authenticate() resolves once the callback has run.
 * await auth.authenticate({
 *   callback: (token) => writeSecretFile("token.json", JSON.stringify(token)),
 * });
 * ```
 */
export type AuthenticateCallback = (token: AccessToken) => void | Promise<void>;

/**
 * Options of one {@linkcode UserAuthenticator.authenticate} call.
 *
 * @example Sign in on a phone: send it the URL instead of opening a browser
 * ```ts ignore
 * import { UserAuthenticator } from "@x/twitch-auth";
 *
 * const auth = new UserAuthenticator(
 *   { clientId: "my_app_id", clientSecret: "my_app_secret" },
 *   ["chat:read"],
 * );
 * const token = await auth.authenticate({
 *   useBrowser: false,
 *   authUrlCallback: (url) => console.log(`Open on this machine: ${url}`),
 *   timeout: 120_000, // give up after two minutes
 *   signal: AbortSignal.timeout(180_000), // or when the app shuts down
 * });
 * console.log(token.scopes);
 * ```
 */
export interface AuthenticateOptions {
  /** Called with the tokens; `authenticate` then resolves to `undefined`. */
  callback?: AuthenticateCallback;
  /** An authorization code obtained elsewhere: skip the browser and the server, just exchange it. */
  userToken?: string;
  /** Open the browser. Default `true`. */
  useBrowser?: boolean;
  /** The command that opens the URL, such as `"firefox --new-window"` (`%s` marks where the URL goes). */
  browser?: string;
  /** Gets the authorize URL when the browser is not used, e.g. to send it to a phone. */
  authUrlCallback?: (url: string) => void | Promise<void>;
  /** Cancels the sign-in: it rejects with a {@linkcode CancelledError}. */
  signal?: AbortSignal;
  /**
   * Milliseconds before the sign-in gives up with a {@linkcode TimeoutError}:
   * from 1 to 2 147 483 647 (about 24.8 days), or `Infinity` to wait until
   * the sign-in ends otherwise. Default ten minutes.
   */
  timeout?: number;
  /** A page of the app's own, served by the callback server and opened before Twitch's (the CLI's scope picker). */
  firstPage?: (context: FirstPageContext) => FirstPage;
}

/**
 * What a {@linkcode AuthenticateOptions.firstPage} gets from the sign-in.
 *
 * @example Go straight on to Twitch
 * ```ts ignore
 * import type { FirstPage, FirstPageContext } from "@x/twitch-auth";
 *
 * const firstPage = (context: FirstPageContext): FirstPage => ({
 *   url: context.authorizeUrl(["chat:read"]),
 *   handle: () => undefined,
 * });
 * ```
 */
export interface FirstPageContext {
  /** The sign-in's `state`: the page must demand it, as the callback does. */
  state: string;
  /** The redirect URL; the callback server answers on its origin. */
  redirectUri: string;
  /**
   * The redirect URL under its old name.
   *
   * @deprecated Use `redirectUri`.
   */
  redirectUrl: string;
  /** Twitch's consent page for `scopes`, with this sign-in's `state`. */
  authorizeUrl(scopes: readonly string[]): string;
}

/**
 * A page served by the callback server before Twitch's consent page.
 *
 * @example Serve nothing of its own
 * ```ts ignore
 * import type { FirstPage } from "@x/twitch-auth";
 *
 * const page: FirstPage = { url: "https://id.twitch.tv/oauth2/authorize?...", handle: () => undefined };
 * ```
 */
export interface FirstPage {
  /** Where the browser goes first. */
  url: string;
  /** Answers its own requests; `undefined` hands a request to the callback handler. */
  handle(request: Request): Response | undefined;
}

/**
 * The user sign-in of pyTwitchAPI's `UserAuthenticator`, done safely: a
 * fresh `state` for every run, a callback server on loopback only that
 * closes after every ending, typed errors for a denial, a timeout or a
 * cancellation, and the client secret only in a POST body.
 *
 * @example Sign in as in pyTwitchAPI
 * ```ts ignore
 * import { AuthScope, Twitch, UserAuthenticator } from "@x/twitch-auth";
 *
 * const twitch = new Twitch("my_app_id", "my_app_secret");
 * const scopes = [AuthScope.BITS_READ];
 * const auth = new UserAuthenticator(twitch, scopes, { forceVerify: false });
 * // opens the browser on Twitch's consent page
 * const token = await auth.authenticate();
 * await twitch.setUserAuthentication(token.accessToken, scopes, token.refreshToken);
 * ```
 */
export class UserAuthenticator {
  /** The redirect URL Twitch sends the browser back to. */
  readonly redirectUri: string;
  /** The scopes asked for. */
  readonly scopes: readonly string[];
  #app: AppCredentials;
  #options: UserAuthenticatorOptions;
  #redirectUrl: URL;
  #nextState: string | undefined;
  #running: { state: string; stop: (reason: Error) => void } | undefined;

  /**
   * Creates the authenticator.
   *
   * @param app The app: a {@linkcode Twitch}, or just its credentials
   * ({@linkcode AppCredentials}), read once here.
   * @param scopes The scopes to ask for.
   * @param options Redirect URL, port, `forceVerify` and the success page.
   * @throws {InvalidArgumentError} for a malformed redirect URL or port.
   */
  constructor(
    app: Twitch | AppCredentials,
    scopes: readonly string[],
    options: UserAuthenticatorOptions = {},
  ) {
    this.#app = credentialsOf(app);
    if (typeof this.#app.clientId !== "string" || !this.#app.clientId.trim()) {
      throw new InvalidArgumentError(
        "clientId is required: copy the client id from the Twitch developer console",
      );
    }
    this.scopes = Object.freeze([...scopes]);
    this.#options = options;
    this.redirectUri = options.redirectUri ?? options.url ??
      DEFAULT_REDIRECT_URI;
    this.#redirectUrl = parseRedirectUrl(this.redirectUri);
    const port = this.#port;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InvalidArgumentError(
        `port must be a whole number from 0 to 65535, not ${port}`,
      );
    }
  }

  /**
   * The redirect URL, under pyTwitchAPI's name.
   *
   * @deprecated Use {@linkcode UserAuthenticator.redirectUri}.
   */
  get url(): string {
    return this.redirectUri;
  }

  get #port(): number {
    return this.#options.port ?? Number(this.#redirectUrl.port || 80);
  }

  /**
   * The authorize URL to open. It carries the `state` of the running
   * sign-in, or else a fresh one that the next {@linkcode authenticate} call
   * uses.
   *
   * @returns The URL of Twitch's consent page.
   */
  returnAuthUrl(): string {
    const state = this.#running?.state ?? (this.#nextState ??= generateState());
    return this.#authorizeUrl(state);
  }

  #authorizeUrl(state: string, scopes = this.scopes): string {
    return buildAuthorizeUrl({
      clientId: this.#app.clientId,
      redirectUri: this.redirectUri,
      scopes,
      state,
      forceVerify: this.#options.forceVerify,
      authBaseUrl: this.#options.authBaseUrl ?? this.#app.authBaseUrl,
    }).href;
  }

  /**
   * Runs the sign-in: starts the callback server, opens the browser on
   * Twitch's consent page, waits for the redirect, exchanges the code.
   *
   * @param options Callback, browser, cancellation and timeout.
   * @returns `undefined`: the tokens go to `callback`.
   * @throws {AccessDeniedError} when the user clicks Cancel on Twitch.
   * @throws {PortInUseError} when the callback port is taken.
   * @throws {TimeoutError} when `timeout` runs out.
   * @throws {CancelledError} on `signal` or {@linkcode stop}.
   * @throws {InvalidArgumentError} for a `timeout` that is not from 1 to
   * 2 147 483 647 ms or `Infinity`.
   */
  authenticate(
    options: AuthenticateOptions & { callback: AuthenticateCallback },
  ): Promise<undefined>;
  /**
   * Runs the sign-in and resolves to the user's tokens.
   *
   * @param options Browser, cancellation and timeout.
   * @returns The user's tokens.
   */
  authenticate(options?: AuthenticateOptions): Promise<AccessToken>;
  async authenticate(
    options: AuthenticateOptions = {},
  ): Promise<AccessToken | undefined> {
    if (this.#running) {
      throw new InvalidArgumentError(
        "A sign-in is already running on this authenticator: await it, or call stop() first",
      );
    }
    checkTimeout(options.timeout, DEFAULT_SIGN_IN_TIMEOUT);
    const token = options.userToken
      ? await this.#exchange(options.userToken, options.signal, options.timeout)
      : await this.#signIn(options);
    if (options.callback) {
      await options.callback(token);
      return undefined;
    }
    return token;
  }

  /**
   * Ends the running sign-in: its {@linkcode authenticate} rejects with a
   * {@linkcode CancelledError} and the callback server closes. Does nothing
   * when no sign-in runs.
   */
  stop(): void {
    this.#running?.stop(new CancelledError("The sign-in"));
  }

  #exchange(
    code: string,
    signal?: AbortSignal,
    timeout?: number,
  ): Promise<AccessToken> {
    const secret = this.#app.clientSecret;
    if (!secret) {
      throw new InvalidArgumentError(
        "The browser sign-in needs the client secret: pass it to new Twitch(appId, appSecret)",
      );
    }
    return exchangeCode(this.#app.clientId, secret, code, this.redirectUri, {
      fetch: this.#app.fetch,
      timeout: this.#app.timeout,
      signal,
      authBaseUrl: this.#options.authBaseUrl ?? this.#app.authBaseUrl,
      ...(timeout === undefined ? {} : { timeout }),
    });
  }

  async #signIn(options: AuthenticateOptions): Promise<AccessToken> {
    if (!this.#app.clientSecret) {
      throw new InvalidArgumentError(
        "The browser sign-in needs the client secret: pass it to new Twitch(appId, appSecret)",
      );
    }
    if (options.signal?.aborted) {
      throw new CancelledError("The sign-in", { cause: options.signal.reason });
    }
    const state = this.#nextState ?? generateState();
    this.#nextState = undefined;
    const flow = Promise.withResolvers<AccessToken>();
    flow.promise.catch(() => {}); // awaited below; an early stop must not go unhandled
    const exchange = new AbortController();
    let cancelled = false; // a timeout, a signal or stop(): nothing waits
    const stop = (reason: Error) => {
      cancelled ||= reason instanceof CancelledError ||
        reason instanceof TimeoutError;
      exchange.abort(reason);
      flow.reject(reason);
    };
    this.#running = { state, stop };
    const timeout = checkTimeout(options.timeout, DEFAULT_SIGN_IN_TIMEOUT);
    const clearTimer = startTimer(
      timeout,
      () => stop(new TimeoutError("The sign-in", timeout, this.#timeoutHint())),
    );
    const onAbort = () =>
      stop(
        new CancelledError("The sign-in", { cause: options.signal?.reason }),
      );
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let server: CallbackServer | undefined;
    let browser: Promise<OpenedBrowser | undefined> | undefined;
    const ended = new AbortController();
    try {
      // The server and browser code load on the first sign-in, not with
      // every import of the module.
      const { createCallbackHandler, serveCallback } = await import(
        "./_callback_server.ts"
      );
      const callbackHandler = createCallbackHandler({
        redirectUrl: this.#redirectUrl,
        state,
        onCallback: (callback) => this.#answer(callback, exchange.signal, flow),
      });
      const first = options.firstPage?.({
        state,
        redirectUri: this.redirectUri,
        redirectUrl: this.redirectUri,
        authorizeUrl: (scopes) => this.#authorizeUrl(state, scopes),
      });
      server = await serveCallback(
        first
          ? (req) => first.handle(req) ?? callbackHandler(req)
          : callbackHandler,
        this.#port,
        this.#options.host,
      );
      const url = first?.url ?? this.#authorizeUrl(state);
      if (options.useBrowser === false) {
        this.#handOver(url, options.authUrlCallback, stop);
      } else {
        browser = this.#openBrowser(url, options.browser, ended.signal);
      }
      return await flow.promise;
    } finally {
      clearTimer();
      options.signal?.removeEventListener("abort", onAbort);
      this.#running = undefined;
      ended.abort();
      await server?.close();
      await (await browser)?.release(cancelled ? 0 : undefined);
    }
  }

  /** Twitch shows a wrong redirect URL on its own page and never calls back. */
  #timeoutHint(): string {
    return `if Twitch showed an error about the redirect URL, register exactly ${this.redirectUri} as an OAuth Redirect URL of the app in the Twitch developer console (https://dev.twitch.tv/console/apps); otherwise run the sign-in again, or allow more time with the timeout option`;
  }

  /**
   * Gives the URL to `authUrlCallback`, or prints it. The sign-in does not
   * wait for the callback; if it throws, the sign-in ends with its error.
   */
  #handOver(
    url: string,
    authUrlCallback: AuthenticateOptions["authUrlCallback"],
    stop: (reason: Error) => void,
  ): void {
    if (!authUrlCallback) {
      printUrl(url, "Open this URL in a browser to sign in with Twitch:");
      return;
    }
    Promise.resolve().then(() => authUrlCallback(url)).catch((error) =>
      stop(error instanceof Error ? error : new Error(String(error)))
    );
  }

  /** Opens the browser; prints the URL when none opens and the flow still runs. */
  async #openBrowser(
    url: string,
    command: string | undefined,
    ended: AbortSignal,
  ): Promise<OpenedBrowser | undefined> {
    const { openBrowser } = await import("./_open_browser.ts");
    const opened = await openBrowser(url, command, ended);
    if (!opened && !ended.aborted) {
      printUrl(
        url,
        "Could not open a browser. Open this URL to sign in with Twitch:",
      );
    }
    return opened;
  }

  async #answer(
    callback: Callback,
    signal: AbortSignal,
    flow: PromiseWithResolvers<AccessToken>,
  ): Promise<Response> {
    if (callback.kind === "error") {
      const error = callback.error === "access_denied"
        ? new AccessDeniedError(callback.description || "access_denied")
        : new AuthorizationError(callback.error, callback.description);
      flow.reject(error);
      return errorPage(
        callback.error === "access_denied"
          ? "Sign-in cancelled"
          : "Twitch refused the sign-in",
        `${
          callback.description || callback.error
        }. Run the sign-in again from the app.`,
      );
    }
    try {
      const token = await this.#exchange(callback.code, signal);
      flow.resolve(token);
      return htmlResponse(this.#options.document ?? SUCCESS_DOCUMENT, 200);
    } catch (error) {
      flow.reject(error);
      return errorPage("The sign-in failed", explain(error));
    }
  }
}

function errorPage(title: string, message: string): Response {
  return htmlResponse(renderPage(title, message, false), 200);
}

function explain(error: unknown): string {
  if (error instanceof TwitchApiError || error instanceof TwitchAuthError) {
    return error.message;
  }
  return "The code could not be exchanged for a token. Run the sign-in again.";
}

function printUrl(url: string, intro: string): void {
  console.error(`${intro}\n  ${url}`);
}

function parseRedirectUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(
      `The redirect URL ${url} is not a URL: use the one registered in the Twitch developer console, such as ${DEFAULT_REDIRECT_URI}`,
    );
  }
  if (parsed.protocol !== "http:") {
    throw new InvalidArgumentError(
      `The redirect URL ${url} must start with http:// (such as ${DEFAULT_REDIRECT_URI}): the local callback server does not speak TLS`,
    );
  }
  return parsed;
}

/**
 * The credentials of `app`: as given, or read once from a `Twitch`.
 *
 * @param app A `Twitch` or the credentials.
 * @returns The credentials.
 */
function credentialsOf(app: Twitch | AppCredentials): AppCredentials {
  if (!("requestOptions" in app)) return app;
  const { authBaseUrl, fetch, timeout } = app.requestOptions();
  return {
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authBaseUrl,
    fetch,
    timeout,
  };
}
