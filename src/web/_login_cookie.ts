// Internal: the short-lived cookie that carries a login's `state` and `nonce`
// from the login redirect to the callback, HMAC-SHA256-signed with WebCrypto.
// Value: base64url(JSON {s, n, x}) "." base64url(HMAC(payload)).

import { getCookies, setCookie } from "@std/http/cookie";
import { fromBase64Url, jsonObject, toBase64Url } from "./_base64url.ts";
import { LoginStateError } from "./errors_login.ts";

/** What a login cookie holds. */
export interface LoginState {
  /** The `state` sent to Twitch. */
  state: string;
  /** The `nonce` sent to Twitch. */
  nonce: string;
  /** When the login stops being accepted, in epoch milliseconds. */
  expiresAt: number;
}

const encoder = new TextEncoder();

/** Imports secret bytes as an HMAC-SHA256 key. */
export function hmacKey(bytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    bytes,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** Signs `login` into a cookie value. */
export async function sealLoginState(
  key: CryptoKey,
  login: LoginState,
): Promise<string> {
  const payload = toBase64Url(
    encoder.encode(
      JSON.stringify({ s: login.state, n: login.nonce, x: login.expiresAt }),
    ),
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

/**
 * Reads a cookie value made by {@linkcode sealLoginState}: throws a
 * {@linkcode LoginStateError} when it is absent, not signed with `key`
 * (`"tampered"`) or past its expiry (`"expired"`).
 */
export async function openLoginState(
  key: CryptoKey,
  value: string | undefined,
  now: number = Date.now(),
): Promise<LoginState> {
  if (!value) throw new LoginStateError("missing-cookie");
  const [payload, mac, extra] = value.split(".");
  const signature = mac === undefined ? undefined : fromBase64Url(mac);
  // crypto.subtle.verify compares the MACs in constant time.
  if (
    extra !== undefined || !payload || !signature ||
    !await crypto.subtle.verify(
      "HMAC",
      key,
      signature,
      encoder.encode(payload),
    )
  ) {
    throw new LoginStateError("tampered");
  }
  const bytes = fromBase64Url(payload);
  const fields = bytes && jsonObject(new TextDecoder().decode(bytes));
  if (
    typeof fields?.s !== "string" || typeof fields.n !== "string" ||
    typeof fields.x !== "number"
  ) {
    throw new LoginStateError("tampered");
  }
  if (fields.x <= now) throw new LoginStateError("expired");
  return { state: fields.s, nonce: fields.n, expiresAt: fields.x };
}

/** The attributes of the login cookie (see `createTwitchLoginHandler`). */
export interface CookieScope {
  /** The cookie's name. */
  name: string;
  /** The path it is sent to (the callback's). */
  path: string;
  /** Whether it carries `Secure` (every origin but `http://localhost`). */
  secure: boolean;
}

/**
 * The `Set-Cookie` value that sets the login cookie to `value` for
 * `maxAge` seconds (`0` with an empty value deletes it): `HttpOnly`,
 * `SameSite=Lax`, scoped to the callback path. The value is base64url and
 * `.`, so it needs no quoting.
 */
export function loginCookieHeader(
  scope: CookieScope,
  value: string,
  maxAge: number,
): string {
  const headers = new Headers();
  setCookie(headers, {
    name: scope.name,
    value,
    path: scope.path,
    maxAge,
    httpOnly: true,
    sameSite: "Lax",
    secure: scope.secure,
  });
  return headers.get("Set-Cookie") ?? "";
}

/** The value of the cookie `name` in a `Cookie` request header, if any. */
export function readCookie(
  header: string | null,
  name: string,
): string | undefined {
  if (header === null) return undefined;
  return getCookies(new Headers({ Cookie: header }))[name];
}

/** Compares two strings in time that depends on their length only. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}
