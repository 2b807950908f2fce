/**
 * "Log in with Twitch" for web apps, as one web-standard request handler.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import { InvalidArgumentError, type TwitchAuthError } from "./errors.ts";
import type { UserInfo } from "./user_info.ts";
import { requireString } from "./_token_endpoint.ts";
import { secretBytes } from "./_cookie_secret.ts";
import type { LoginConfig } from "./_login_flow.ts";

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
   * Who logged in: the checked ID token's claims (`sub` is the user's id,
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
 * @example Serve "Log in with Twitch" with Deno.serve
 * ```ts ignore
 * import { createTwitchLoginHandler } from "@x/twitch-auth/web";
 *
 * const login = createTwitchLoginHandler({
 *   clientId: Deno.env.get("TWITCH_CLIENT_ID")!,
 *   clientSecret: Deno.env.get("TWITCH_CLIENT_SECRET")!,
 *   redirectUri: "https://example.com/callback", // registered for the app
 *   cookieSecret: Deno.env.get("COOKIE_SECRET")!, // 32+ random bytes
 *   // Set your own session here; the user is verified from the ID token.
 *   onSuccess: ({ user }) => new Response(`hello ${user.preferred_username}`),
 * });
 * Deno.serve((request) => login(request));
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
   * The key that signs the login cookie: at least 32 bytes, random (a
   * placeholder such as 32 × "0" is refused), secret, the same on every
   * instance of the app (`openssl rand -base64 32`).
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
   * error. Default: a small error page with status 400, 403 or 502. The
   * login cookie is cleared on its response, except after a callback whose
   * `state` is not this browser's login (`reason: "mismatch"`).
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
 *   in constant time (Twitch's `error=` callbacks too), clears the cookie,
 *   exchanges the code, checks the ID token's claims (issuer, audience,
 *   `azp`, expiry, issue time, nonce) and returns what `onSuccess` returns, with
 *   `Cache-Control: no-store`. Failures go to `onError` (default: an error
 *   page with status 403 for a refused or unverifiable login, 400 for a
 *   malformed callback, Twitch's `error=` or a code Twitch refuses, 502 when
 *   Twitch's answer fails). A callback whose `state` is not the cookie's (a
 *   forged link) leaves the cookie, so the login in progress still works.
 * - Any other path answers 404, so the handler composes with other routes.
 *
 * Every response the handler makes carries its `Content-Type`. The response
 * of `onSuccess` or `onError` gets its headers added in place (a copy when
 * they are immutable), so the runtime's own type for a text body stays.
 *
 * The ID token comes straight from Twitch's token endpoint, in the answer
 * to the code exchange (HTTPS, authenticated with the client secret), so
 * its signature needs no check (OpenID Connect Core 1.0, 3.1.3.7): the
 * handler fetches no key set and needs no JWT library, which keeps a
 * login-only Worker at about 8 KB gzipped. For an ID token from anywhere
 * else, use {@linkcode verifyIdToken}.
 *
 * A callback works once per browser: its cookie is cleared on first use.
 * Replaying it with the old cookie (someone who captured both) reaches
 * Twitch with a code that was already used, and Twitch refuses it (400).
 *
 * @param options The app's credentials, redirect URL, cookie secret and the
 * `onSuccess` callback.
 * @returns The handler.
 * @throws {InvalidArgumentError} at creation when an option is missing, the
 * `cookieSecret` is shorter than 32 bytes or not random enough (make one
 * with `openssl rand -base64 32`), or `redirectUri` is not an `https://` (or
 * `http://localhost`) URL.
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
  let flow: Promise<(request: Request) => Promise<Response>> | undefined;
  return async (request: Request): Promise<Response> => {
    // Loaded on the first request: importing this module stays cheap.
    flow ??= import("./_login_flow.ts").then((m) =>
      m.loginFlow(config, options)
    );
    return await (await flow)(request);
  };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Checks the options once, at creation. */
function readOptions(options: TwitchLoginHandlerOptions): LoginConfig {
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
  if (redirect.pathname.includes(";")) {
    throw new InvalidArgumentError(
      `redirectUri's path must not contain ";" (the login cookie is scoped to it), not ${redirect.pathname}`,
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
