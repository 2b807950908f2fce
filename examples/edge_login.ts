/**
 * "Log in with Twitch" for a web app on Deno Deploy (runs unchanged there and
 * locally): the login handler, a signed session cookie holding the user's id,
 * the user's tokens kept in Deno KV, and `/me` looking the user up again.
 *
 *   TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=... COOKIE_SECRET=$(openssl rand -base64 32) \
 *     deno run -A --unstable-kv examples/edge_login.ts
 *
 * Register http://localhost:8000/callback (or TWITCH_REDIRECT_URL) as the
 * app's redirect URL in the Twitch developer console, then open
 * http://localhost:8000/. PORT, KV_PATH and TWITCH_AUTH_BASE_URL (a mock)
 * change where it listens, stores and signs in.
 *
 * @module
 */

/// <reference lib="deno.unstable" />

// In your project: import { ... } from "jsr:@x/twitch-auth/web";
import {
  AccessToken,
  type AccessTokenData,
  createTwitchLoginHandler,
  getUserInfo,
} from "../web.ts";
import { getCookies, setCookie } from "@std/http/cookie";

const env = (name: string) => Deno.env.get(name) || undefined;
const authBaseUrl = env("TWITCH_AUTH_BASE_URL");
const cookieSecret = env("COOKIE_SECRET") ?? "";
const SESSION_DAYS = 7;

// TODO(integrate): TokenProvider + DenoKvTokenStore (refreshes the tokens and
// shares them across instances); until then, a plain Deno KV map.
const kv = await Deno.openKv(env("KV_PATH"));

const login = createTwitchLoginHandler({
  clientId: env("TWITCH_CLIENT_ID") ?? "",
  clientSecret: env("TWITCH_CLIENT_SECRET") ?? "",
  redirectUri: env("TWITCH_REDIRECT_URL") ?? "http://localhost:8000/callback",
  scopes: ["user:read:email"],
  cookieSecret,
  authBaseUrl,
  async onSuccess({ token, user, request }) {
    await kv.set(["twitch_tokens", user.sub], token.toJSON());
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

/** A later request: the session names the user, KV holds their tokens. */
async function me(request: Request): Promise<Response> {
  const userId = await readSession(getCookies(request.headers).session);
  const stored = userId
    ? await kv.get<AccessTokenData>(["twitch_tokens", userId])
    : undefined;
  if (!stored?.value) {
    return Response.json({ error: "not logged in: open /login" }, {
      status: 401,
    });
  }
  const token = new AccessToken(stored.value);
  const user = await getUserInfo(token.accessToken, { authBaseUrl });
  return Response.json({
    id: user.sub,
    name: user.preferred_username,
    scopes: token.scopes,
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
