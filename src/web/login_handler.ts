/**
 * "Log in with Twitch" for web apps, as one web-standard request handler.
 *
 * @module
 */

import { deleteCookie, getCookies, setCookie } from "@std/http/cookie";
import type { AccessToken } from "./access_token.ts";
import { buildAuthorizeUrl, generateState } from "./authorize_url.ts";
import {
  AccessDeniedError,
  AuthorizationError,
  InvalidArgumentError,
  TwitchAuthError,
} from "./errors.ts";
import { InvalidIdTokenError } from "./errors_id_token.ts";
import { InvalidCallbackError, LoginStateError } from "./errors_login.ts";
import { exchangeCode } from "./exchange_code.ts";
import { verifyIdToken } from "./id_token.ts";
import { htmlResponse, renderPage } from "./_pages.ts";
import { getUserInfo, type UserInfo } from "./user_info.ts";
import { requireString } from "./_token_endpoint.ts";
import {
  hmacKey,
  type LoginState,
  openLoginState,
  sealLoginState,
  secretBytes,
  timingSafeEqual,
} from "./_login_cookie.ts";

/** The login cookie's name. */
const COOKIE = "twitch_login";
/** How long a started login stays valid, in seconds (Twitch's codes live ten minutes). */
const LOGIN_LIFETIME = 600;

/**
 * What {@linkcode TwitchLoginHandlerOptions.onSuccess} gets after a login.
 *
 * @example Keep the user's tokens
 * ```ts ignore
 * import type { LoginSuccess } from "@x/twitch-auth/web";
 *
 * async function onSuccess({ token, user }: LoginSuccess): Promise<Response> {
 *   await saveTokens(user.sub, JSON.stringify(token));
 *   return Response.redirect("https://example.com/", 303);
 * }
 * ```
 */
export interface LoginSuccess {
  /**
   * The user's tokens: access, refresh and ID token, scopes and lifetime.
   * `JSON.stringify(token)` stores them; `new AccessToken(JSON.parse(text))`
   * reads them back.
   */
  token: AccessToken;
  /**
   * Who logged in: the verified ID token's claims (`sub` is the user's id,
   * `preferred_username` the display name, `email` with the
   * `user:read:email` scope), or `/userinfo`'s when Twitch sent no ID token.
   */
  user: UserInfo;
  /** The callback request, for its URL and headers. */
  request: Request;
}

/**
 * Options of {@linkcode createTwitchLoginHandler}.
 *
 * @example Use it
 * ```ts ignore
 * import type { TwitchLoginHandlerOptions } from "@x/twitch-auth/web";
 *
 * const options: TwitchLoginHandlerOptions = {
 *   clientId: Deno.env.get("TWITCH_CLIENT_ID")!,
 *   clientSecret: Deno.env.get("TWITCH_CLIENT_SECRET")!,
 *   redirectUri: "https://example.com/callback",
 *   cookieSecret: Deno.env.get("COOKIE_SECRET")!,
 *   onSuccess: ({ user }) => new Response(`hello ${user.preferred_username}`),
 * };
 * ```
 */
export interface TwitchLoginHandlerOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret (used only in the code exchange's POST body). */
  clientSecret: string;
  /**
   * The redirect URL registered in the Twitch developer console, exactly;
   * the handler answers the callback on its path. `https://`, or
   * `http://localhost` for development.
   */
  redirectUri: string;
  /**
   * The scopes to ask for. `openid` is always added: the login needs to know
   * who signed in. Default `["openid"]`.
   */
  scopes?: readonly string[];
  /**
   * The key that signs the login cookie: at least 32 bytes, random, secret,
   * the same on every instance of the app (`openssl rand -base64 32`).
   */
  cookieSecret: string;
  /** Make Twitch ask the user to authorize again even if they did before. */
  forceVerify?: boolean;
  /** The path that starts a login. Default `/login`. */
  loginPath?: string;
  /** Twitch's OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /** The `fetch` for the calls to Twitch. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * Called after a login with the user's tokens and identity; its response
   * goes to the browser (the login cookie is cleared on it). Typically it
   * stores the tokens, sets a session cookie and redirects.
   */
  onSuccess(result: LoginSuccess): Response | Promise<Response>;
  /**
   * Called when a callback fails: {@linkcode AccessDeniedError} (the user
   * clicked Cancel), {@linkcode LoginStateError} (forged, replayed, tampered
   * or expired login), {@linkcode InvalidIdTokenError}, or the exchange's
   * error. Default: a small error page with status 400, 403 or 502.
   */
  onError?(
    error: TwitchAuthError,
    request: Request,
  ): Response | Promise<Response>;
}

/**
 * Creates a request handler for "Log in with Twitch", for any runtime with
 * web-standard `Request`, `fetch` and WebCrypto (Deno Deploy, Cloudflare
 * Workers, Bun, Node, Hono):
 *
 * - `GET {loginPath}` redirects to Twitch with a fresh `state` and `nonce`,
 *   kept in a short-lived (10 min) `HttpOnly`, `SameSite=Lax` cookie scoped
 *   to the callback path and signed with HMAC-SHA256 (`Secure` except on
 *   `http://localhost`).
 * - `GET` on the path of `redirectUri` checks the `state` against the cookie
 *   in constant time, clears the cookie, exchanges the code, verifies the ID
 *   token (signature, issuer, audience, expiry, nonce) and returns what
 *   `onSuccess` returns. Failures go to `onError` (default: an error page
 *   with status 403 for a refused or unverifiable login, 400 for a malformed
 *   callback or Twitch's `error=`, 502 when Twitch's answer fails).
 * - Any other path answers 404, so the handler composes with other routes.
 *
 * A callback works once per browser: its cookie is cleared on first use.
 * Replaying it with the old cookie (someone who captured both) reaches
 * Twitch with a code that was already used, and Twitch refuses it (502).
 *
 * @param options The app's credentials, redirect URL, cookie secret and the
 * `onSuccess` callback.
 * @returns The handler.
 * @throws {InvalidArgumentError} at creation when an option is missing, the
 * `cookieSecret` is shorter than 32 bytes, or `redirectUri` is not an
 * `https://` (or `http://localhost`) URL.
 *
 * @example Log in with Twitch on Deno Deploy
 * ```ts ignore
 * import { createTwitchLoginHandler } from "@x/twitch-auth/web";
 *
 * const login = createTwitchLoginHandler({
 *   clientId: Deno.env.get("TWITCH_CLIENT_ID")!,
 *   clientSecret: Deno.env.get("TWITCH_CLIENT_SECRET")!,
 *   redirectUri: "https://my-app.deno.dev/callback",
 *   cookieSecret: Deno.env.get("COOKIE_SECRET")!,
 *   onSuccess: ({ user }) => new Response(`Hello ${user.preferred_username}`),
 * });
 * Deno.serve(login);
 * ```
 */
export function createTwitchLoginHandler(
  options: TwitchLoginHandlerOptions,
): (request: Request) => Promise<Response> {
  const config = readOptions(options);
  let key: Promise<CryptoKey> | undefined;
  // Imported on first use: some runtimes (workerd) allow no crypto work at
  // module scope.
  const getKey = () => key ??= hmacKey(config.secret);
  const cookie = {
    path: config.callbackPath,
    httpOnly: true,
    sameSite: "Lax" as const,
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
    const headers = new Headers({
      Location: buildAuthorizeUrl({ ...config.authorize, state, nonce }).href,
      "Cache-Control": "no-store",
    });
    setCookie(headers, {
      ...cookie,
      name: COOKIE,
      value,
      maxAge: LOGIN_LIFETIME,
    });
    return new Response(null, { status: 302, headers });
  }

  async function complete(request: Request, url: URL): Promise<LoginSuccess> {
    const params = url.searchParams;
    const error = params.get("error");
    if (error !== null) {
      const description = params.get("error_description") ?? error;
      throw error === "access_denied"
        ? new AccessDeniedError(description)
        : new AuthorizationError(error, description);
    }
    const login = await openLoginState(await getKey(), loginCookie(request));
    if (!timingSafeEqual(params.get("state") ?? "", login.state)) {
      throw new LoginStateError("mismatch");
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
      : await verifyIdToken(token.idToken, {
        clientId,
        nonce: login.nonce,
        ...requestOptions,
      });
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
      return clearingCookie(response);
    }
    return clearingCookie(await options.onSuccess(success));
  }

  /**
   * A copy of `response` (its headers may be immutable) that clears the
   * login cookie and, unless set, keeps the callback URL (it holds the code)
   * out of `Referer` headers.
   */
  function clearingCookie(response: Response): Response {
    const copy = new Response(response.body, response);
    deleteCookie(copy.headers, COOKIE, cookie);
    if (!copy.headers.has("Referrer-Policy")) {
      copy.headers.set("Referrer-Policy", "no-referrer");
    }
    return copy;
  }

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const route = url.pathname === config.loginPath
      ? login
      : url.pathname === config.callbackPath
      ? () => callback(request, url)
      : undefined;
    if (!route) return new Response("Not Found", { status: 404 });
    // GET only: a HEAD (a link checker, say) must not spend the code.
    if (request.method !== "GET") {
      return new Response("Method Not Allowed", {
        status: 405,
        headers: { Allow: "GET" },
      });
    }
    return await route();
  };
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
    error instanceof AuthorizationError
  ) {
    return 400;
  }
  return 502;
}

/** The default error page; `renderPage` escapes everything, URL text included. */
function errorPage(error: TwitchAuthError): Response {
  const status = statusOf(error);
  const title = status === 502 ? "Twitch login failed" : "Login refused";
  return htmlResponse(renderPage(title, error.message, false), status);
}

/** The login cookie's value; a malformed `Cookie` header counts as none. */
function loginCookie(request: Request): string | undefined {
  try {
    return getCookies(request.headers)[COOKIE];
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Checks the options once, at creation. */
function readOptions(options: TwitchLoginHandlerOptions) {
  const clientId = requireString(options?.clientId, "clientId");
  const clientSecret = requireString(options.clientSecret, "clientSecret");
  const redirectUri = requireString(options.redirectUri, "redirectUri");
  if (typeof options.onSuccess !== "function") {
    throw new InvalidArgumentError(
      "onSuccess is required: a function that keeps the user's tokens and answers the browser",
    );
  }
  let redirect: URL;
  try {
    redirect = new URL(redirectUri);
  } catch {
    throw new InvalidArgumentError(
      `redirectUri must be an absolute URL such as https://example.com/callback, not ${redirectUri}`,
    );
  }
  const local = redirect.protocol === "http:" &&
    LOOPBACK.has(redirect.hostname);
  if (redirect.protocol !== "https:" && !local) {
    throw new InvalidArgumentError(
      `redirectUri must use https:// (Twitch allows http:// only for localhost), not ${redirectUri}`,
    );
  }
  const secret = secretBytes(options.cookieSecret);
  const loginPath = options.loginPath ?? "/login";
  if (!loginPath.startsWith("/") || loginPath === redirect.pathname) {
    throw new InvalidArgumentError(
      `loginPath must be a path starting with "/" other than the redirectUri's (${redirect.pathname}), not ${loginPath}`,
    );
  }
  const scopes = [...new Set(["openid", ...(options.scopes ?? [])])];
  const requestOptions = {
    authBaseUrl: options.authBaseUrl,
    fetch: options.fetch,
  };
  return {
    clientId,
    clientSecret,
    redirectUri,
    secret,
    loginPath,
    callbackPath: redirect.pathname,
    secure: !local,
    requestOptions,
    authorize: {
      clientId,
      redirectUri,
      scopes,
      forceVerify: options.forceVerify,
      authBaseUrl: options.authBaseUrl,
      claims: { id_token: claimsFor(scopes) },
    },
  };
}

/** The ID token claims to ask Twitch for (Twitch sends only those asked). */
function claimsFor(scopes: readonly string[]): Record<string, null> {
  const claims: Record<string, null> = {
    preferred_username: null,
    picture: null,
  };
  if (scopes.includes("user:read:email")) {
    claims.email = null;
    claims.email_verified = null;
  }
  return claims;
}
