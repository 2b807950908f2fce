/**
 * "Log in with Twitch" for a web app on Deno Deploy (runs unchanged there and
 * locally): the login handler, a signed session cookie holding the user's id,
 * every user's tokens in a `TokenProvider` on a `DenoKvTokenStore` (kept
 * fresh by the refresh rule, one refresh per expiry across all instances),
 * and `/me` calling Helix as the user on a later request.
 *
 *   TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=... COOKIE_SECRET=$(openssl rand -base64 32) \
 *     deno run -A --unstable-kv examples/edge_login.ts
 *
 * Register http://localhost:8000/callback (or TWITCH_REDIRECT_URL) as the
 * app's redirect URL in the Twitch developer console, then open
 * http://localhost:8000/. PORT, KV_PATH, TWITCH_AUTH_BASE_URL and
 * TWITCH_HELIX_BASE_URL (a mock) change where it listens, stores and signs
 * in. On Deno Deploy, KV_PATH stays unset: `Deno.openKv()` opens the
 * project's database.
 *
 * @module
 */

/// <reference lib="deno.unstable" />

// In your project: import { ... } from "jsr:@x/twitch-auth";
import {
  createTwitchLoginHandler,
  DenoKvTokenStore,
  InvalidRefreshTokenError,
  TokenProvider,
  UnknownUserError,
} from "../mod.ts";
import { getCookies, setCookie } from "@std/http/cookie";

const env = (name: string) => Deno.env.get(name) || undefined;
const clientId = env("TWITCH_CLIENT_ID") ?? "";
const clientSecret = env("TWITCH_CLIENT_SECRET") ?? "";
const authBaseUrl = env("TWITCH_AUTH_BASE_URL");
const cookieSecret = env("COOKIE_SECRET") ?? "";
const SESSION_DAYS = 7;

// Every user's tokens, under ["twitch-auth", "token", <user id>] in KV. Any
// instance refreshes a token that expired (or that Twitch refused) and
// writes it back, once for all instances; each token is validated hourly.
const provider = new TokenProvider({
  clientId,
  clientSecret,
  authBaseUrl,
  helixBaseUrl: env("TWITCH_HELIX_BASE_URL"),
  store: new DenoKvTokenStore(await Deno.openKv(env("KV_PATH"))),
});

const login = createTwitchLoginHandler({
  clientId,
  clientSecret,
  redirectUri: env("TWITCH_REDIRECT_URL") ?? "http://localhost:8000/callback",
  scopes: ["user:read:email"],
  cookieSecret,
  authBaseUrl,
  async onSuccess({ token, user, request }) {
    // The ID token was verified: user.sub is whose tokens these are.
    await provider.setToken(user.sub, token);
    const headers = new Headers({ Location: new URL("/me", request.url).href });
    setCookie(headers, {
      name: "session",
      value: await signSession(user.sub),
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(request.url).protocol === "https:",
      maxAge: SESSION_DAYS * 86_400,
    });
    return new Response(null, { status: 303, headers });
  },
});

Deno.serve({ port: Number(env("PORT") ?? 8000) }, async (request) => {
  const { pathname } = new URL(request.url);
  if (pathname === "/me") return await me(request);
  if (pathname === "/") {
    return new Response('<a href="/login">Log in with Twitch</a>', {
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
  return await login(request);
});

/** A later request: the session names the user, the provider has their tokens. */
async function me(request: Request): Promise<Response> {
  const userId = await readSession(getCookies(request.headers).session);
  if (!userId) return notLoggedIn();
  try {
    // Helix as the user: a 401 refreshes the token once and tries again.
    const response = await provider.fetch(userId, "users");
    if (!response.ok) {
      await response.body?.cancel();
      return Response.json({ error: "Twitch failed" }, { status: 502 });
    }
    const { data: [user] } = await response.json();
    const token = await provider.getAccessToken(userId);
    return Response.json({
      id: user.id,
      name: user.display_name,
      scopes: token.scopes,
    });
  } catch (error) {
    // Not in KV (never logged in here), or Twitch refused the refresh token
    // (access revoked): the user must log in again.
    if (
      error instanceof UnknownUserError ||
      error instanceof InvalidRefreshTokenError
    ) {
      return notLoggedIn();
    }
    throw error;
  }
}

function notLoggedIn(): Response {
  return Response.json({ error: "not logged in: open /login" }, {
    status: 401,
  });
}

// The session cookie: "<user id>.<expiry>.<HMAC-SHA256 of both>".
const sessionKey = crypto.subtle.importKey(
  "raw",
  new TextEncoder().encode(`session:${cookieSecret}`),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign", "verify"],
);

async function mac(data: string): Promise<string> {
  const bytes = await crypto.subtle.sign(
    "HMAC",
    await sessionKey,
    new TextEncoder().encode(data),
  );
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function signSession(userId: string): Promise<string> {
  const data = `${userId}.${Date.now() + SESSION_DAYS * 86_400_000}`;
  return `${data}.${await mac(data)}`;
}

async function readSession(value?: string): Promise<string | undefined> {
  const [userId, expiry, signature] = value?.split(".") ?? [];
  if (!signature || Number(expiry) < Date.now()) return undefined;
  // Compare MACs of the MACs: constant time without a helper.
  const expected = await mac(`${userId}.${expiry}`);
  return (await mac(expected)) === (await mac(signature)) ? userId : undefined;
}
