// Internal: what `createTwitchLoginHandler` does once a request arrives,
// loaded on the first one (`import()` in login_handler.ts): importing the
// module (mod.ts, web.ts) does not load the login's cookie, claims and page
// code. A bundler inlines it.

import { buildAuthorizeUrl, generateState } from "./authorize_url.ts";
import {
  AccessDeniedError,
  AuthorizationError,
  TwitchApiError,
  TwitchAuthError,
} from "./errors.ts";
import { InvalidIdTokenError } from "./errors_id_token.ts";
import { InvalidCallbackError, LoginStateError } from "./errors_login.ts";
import { exchangeCode } from "./exchange_code.ts";
import type {
  LoginSuccess,
  TwitchLoginHandlerOptions,
} from "./login_handler.ts";
import { htmlResponse, renderPage } from "./_pages.ts";
import type { RequestOptions } from "./request_options.ts";
import { getUserInfo } from "./user_info.ts";
import { tokenEndpointClaims } from "./_id_token_claims.ts";
import {
  hmacKey,
  loginCookieHeader,
  type LoginState,
  openLoginState,
  readCookie,
  sealLoginState,
  timingSafeEqual,
} from "./_login_cookie.ts";
import type { AuthorizeUrlOptions } from "./authorize_url.ts";

/** The login cookie's name. */
const COOKIE = "twitch_login";
/** How long a started login stays valid, in seconds (Twitch's codes live ten minutes). */
const LOGIN_LIFETIME = 600;

/** The handler's options, checked once at creation (see login_handler.ts). */
export interface LoginConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The cookie secret's bytes. */
  secret: Uint8Array<ArrayBuffer>;
  loginPath: string;
  callbackPath: string;
  /** Whether the cookie is `Secure` (all but `http://localhost`). */
  secure: boolean;
  requestOptions: RequestOptions;
  /** The authorize URL's options but the `state` and `nonce` of each login. */
  authorize: Omit<AuthorizeUrlOptions, "state" | "nonce">;
}

/**
 * The request handler for `config`; `options` gives the app's callbacks.
 *
 * @param config The checked options.
 * @param options The options as given, for `onSuccess` and `onError`.
 * @returns The handler.
 */
export function loginFlow(
  config: LoginConfig,
  options: TwitchLoginHandlerOptions,
): (request: Request) => Promise<Response> {
  let key: Promise<CryptoKey> | undefined;
  // Imported on first use: some runtimes (workerd) allow no crypto work at
  // module scope.
  const getKey = () => key ??= hmacKey(config.secret);
  const cookie = {
    name: COOKIE,
    path: config.callbackPath,
    secure: config.secure,
  };

  async function login(): Promise<Response> {
    const state = generateState();
    const nonce = generateState();
    const value = await sealLoginState(await getKey(), {
      state,
      nonce,
      expiresAt: Date.now() + LOGIN_LIFETIME * 1000,
    });
    const response = textResponse("Redirecting to Twitch", 302);
    const headers = response.headers;
    headers.set(
      "Location",
      buildAuthorizeUrl({ ...config.authorize, state, nonce }).href,
    );
    headers.set("Cache-Control", "no-store");
    headers.set("Set-Cookie", loginCookieHeader(cookie, value, LOGIN_LIFETIME));
    return response;
  }

  async function complete(request: Request, url: URL): Promise<LoginSuccess> {
    const params = url.searchParams;
    // The state first, for Twitch's `error=` callbacks too: a forged one
    // must not put its text on this origin's page.
    const login = await openLoginState(
      await getKey(),
      readCookie(request.headers.get("Cookie"), COOKIE),
    );
    if (!timingSafeEqual(params.get("state") ?? "", login.state)) {
      throw new LoginStateError("mismatch");
    }
    const error = params.get("error");
    if (error !== null) {
      const description = params.get("error_description") ?? error;
      throw error === "access_denied"
        ? new AccessDeniedError(description)
        : new AuthorizationError(error, description);
    }
    const code = params.get("code");
    if (!code) throw new InvalidCallbackError("code");
    return { ...await tokensFor(code, login), request };
  }

  async function tokensFor(
    code: string,
    login: LoginState,
  ): Promise<Omit<LoginSuccess, "request">> {
    const { clientId, clientSecret, redirectUri, requestOptions } = config;
    const token = await exchangeCode(
      clientId,
      clientSecret,
      code,
      redirectUri,
      requestOptions,
    );
    const user = token.idToken === undefined
      ? await getUserInfo(token.accessToken, requestOptions)
      : tokenEndpointClaims(token.idToken, clientId, login.nonce);
    return { token, user };
  }

  async function callback(request: Request, url: URL): Promise<Response> {
    let success: LoginSuccess;
    try {
      success = await complete(request, url);
    } catch (error) {
      if (!(error instanceof TwitchAuthError)) throw error;
      const response = options.onError
        ? await options.onError(error, request)
        : errorPage(error);
      // A callback that is not this browser's login (a forged link) leaves
      // the login in progress alone.
      const foreign = error instanceof LoginStateError &&
        error.reason === "mismatch";
      return await finished(response, !foreign);
    }
    return await finished(await options.onSuccess(success), true);
  }

  /**
   * `response` with the login cookie cleared (when `clear`), `no-store`, and
   * unless set, the callback URL (it holds the code) kept out of `Referer`
   * headers. Its own headers are changed when they can be, so the runtime's
   * `Content-Type` for a text body stays (Bun adds it only when serving);
   * immutable ones (`Response.redirect`) are copied.
   */
  async function finished(
    response: Response,
    clear: boolean,
  ): Promise<Response> {
    let out = response;
    try {
      out.headers.set("Cache-Control", "no-store");
    } catch {
      out = await mutableCopy(response);
      out.headers.set("Cache-Control", "no-store");
    }
    if (clear) {
      out.headers.append("Set-Cookie", loginCookieHeader(cookie, "", 0));
    }
    if (!out.headers.has("Referrer-Policy")) {
      out.headers.set("Referrer-Policy", "no-referrer");
    }
    return out;
  }

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const route = url.pathname === config.loginPath
      ? login
      : url.pathname === config.callbackPath
      ? () => callback(request, url)
      : undefined;
    if (!route) return textResponse("Not Found", 404);
    // GET only: a HEAD (a link checker, say) must not spend the code.
    if (request.method !== "GET") {
      const response = textResponse("Method Not Allowed", 405);
      response.headers.set("Allow", "GET");
      return response;
    }
    return await route();
  };
}

/** A plain-text answer with its `Content-Type` set in every runtime. */
function textResponse(text: string, status: number): Response {
  return new Response(text, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * A copy of `response` whose headers can be changed, keeping its
 * `Content-Type`: a body without one is read whole and typed by the runtime
 * (a string body is `text/plain` everywhere).
 */
async function mutableCopy(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  let body: BodyInit | null = response.body;
  if (body !== null && !headers.has("Content-Type")) {
    const blob = await response.blob();
    if (blob.type) headers.set("Content-Type", blob.type);
    body = blob;
  }
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The HTTP status for a failed callback. */
function statusOf(error: TwitchAuthError): number {
  if (
    error instanceof LoginStateError || error instanceof AccessDeniedError ||
    (error instanceof InvalidIdTokenError && error.reason === "nonce")
  ) {
    return 403;
  }
  if (
    error instanceof InvalidCallbackError ||
    error instanceof AuthorizationError || refusedCode(error)
  ) {
    return 400;
  }
  return 502;
}

/**
 * Whether Twitch refused the callback's code (malformed, expired, already
 * used: 400 "Invalid authorization code"): the browser's request was bad,
 * not Twitch's answer.
 */
function refusedCode(error: TwitchAuthError): boolean {
  return error instanceof TwitchApiError && error.status === 400 &&
    /authorization code/i.test(error.twitchMessage);
}

/** The default error page; `renderPage` escapes everything, URL text included. */
function errorPage(error: TwitchAuthError): Response {
  const status = statusOf(error);
  const title = status === 502 ? "Twitch login failed" : "Login refused";
  return htmlResponse(renderPage(title, error.message, false), status);
}
