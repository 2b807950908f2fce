/**
 * What every route of the mock Twitch needs: the request context, Twitch's
 * response shapes (JSON errors of the ID service and of Helix, HTML pages,
 * redirects), request parameters and scopes, and random Twitch-looking
 * tokens.
 *
 * @module
 */

import { STATUS_TEXT } from "@std/http/status";
import { SCOPE_DESCRIPTIONS } from "../web/scopes.ts";

/** What a route handler gets. */
export interface Context {
  /** The request being answered. */
  req: Request;
  /** The request's URL. */
  url: URL;
  /** The mock's origin as the client sees it, e.g. `http://127.0.0.1:1234`. */
  origin: string;
  /** Query parameters, overridden by form body parameters. */
  params: URLSearchParams;
}

/** Answers one request to a route. */
export type RouteHandler = (ctx: Context) => Response | Promise<Response>;

/** The handlers of one path, by HTTP method. */
export type Route = Partial<Record<string, RouteHandler>>;

/** Either a value or the error response to answer instead. */
export type Result<T> = { ok: T; response?: undefined } | {
  ok?: undefined;
  response: Response;
};

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters drawn uniformly from `alphabet`. */
export function randomString(length: number, alphabet: string): string {
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
export function randomToken(length: number): string {
  return randomString(length, LOWER_ALNUM);
}

/** A JSON answer that no cache keeps. */
export function jsonResponse(
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
export function idError(status: number, message: string): Response {
  return jsonResponse(status, { status, message });
}

/** The Helix (and ours for 404/405) error shape: `{"error":"Not Found","status":404,"message":"..."}`. */
export function apiError(
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

/** An HTML page that may not be framed, cached or load anything. */
export function htmlResponse(status: number, html: string): Response {
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

/** A 302 to `location`. */
export function redirect(location: string): Response {
  return new Response(null, {
    status: 302,
    headers: { Location: location, "Cache-Control": "no-store" },
  });
}

/** Adds a query (or replaces the fragment) of a redirect URI, keeping its own query. */
export function withParams(
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

/** Twitch's scopes (twitch-oauth.md), plus the legacy and OIDC ones it accepts. */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set(
  Object.keys(SCOPE_DESCRIPTIONS),
);

/** The distinct scopes of a space-separated list. */
export function parseScopes(value: string | null): string[] {
  const scopes = (value ?? "").split(/\s+/).filter((scope) => scope !== "");
  return [...new Set(scopes)];
}

function isFormRequest(req: Request): boolean {
  const type = req.headers.get("content-type") ?? "";
  return type.toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/** The body's parameters when it is `application/x-www-form-urlencoded`. */
export async function readForm(
  req: Request,
): Promise<URLSearchParams | undefined> {
  if (!req.body || !isFormRequest(req)) return undefined;
  return new URLSearchParams(await req.text());
}

/** The query's parameters, overridden by the form's (Twitch reads both). */
export function mergeParams(
  query: URLSearchParams,
  form: URLSearchParams | undefined,
): URLSearchParams {
  const params = new URLSearchParams(query);
  for (const [key, value] of form ?? []) params.set(key, value);
  return params;
}

/** The token of an `Authorization: <scheme> <token>` header, when the scheme matches. */
export function credentials(
  headers: Headers,
  scheme: string,
): string | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(headers.get("authorization") ?? "");
  if (!match || match[1].toLowerCase() !== scheme.toLowerCase()) {
    return undefined;
  }
  return match[2];
}
