// Internal: one request to Twitch with timeout, cancellation, rate limits and
// Twitch's error bodies turned into typed errors. Web-standard APIs only.

import {
  CancelledError,
  InvalidArgumentError,
  InvalidClientError,
  InvalidRefreshTokenError,
  InvalidResponseError,
  InvalidTokenError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  TwitchApiError,
} from "./errors.ts";

/**
 * Options every helper takes as its last argument.
 *
 * @example Use it
 * ```ts ignore
 * import { validateToken } from "@x/twitch-auth";
 *
 * const result = await validateToken("the-access-token", {
 *   authBaseUrl: "http://127.0.0.1:8080/oauth2", // a mock, say
 *   timeout: 5_000,
 *   signal: AbortSignal.timeout(10_000),
 * });
 * ```
 */
export interface RequestOptions {
  /** Twitch's OAuth base URL, with or without a trailing slash. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /** The `fetch` to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Cancels the call; it then rejects with a {@linkcode CancelledError}. */
  signal?: AbortSignal;
  /** Milliseconds before the call gives up with a {@linkcode TimeoutError}. Default 30 000. */
  timeout?: number;
}

/** Twitch's OAuth base URL. */
export const DEFAULT_AUTH_BASE_URL = "https://id.twitch.tv/oauth2";
/** How long a call may take by default, in milliseconds. */
export const DEFAULT_TIMEOUT = 30_000;
/** The longest 429 wait this module sits out by itself, in milliseconds. */
export const MAX_RATE_LIMIT_WAIT = 10_000;

/** What Twitch answered: status, headers and the parsed JSON body. */
export interface TwitchResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A request to send: method, extra headers and the form fields. */
export interface TwitchRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  form?: Record<string, string | undefined>;
}

/** Joins an endpoint path to a base URL that may or may not end in `/`. */
export function endpointUrl(path: string, base?: string): URL {
  const root = (base ?? DEFAULT_AUTH_BASE_URL).replace(/\/+$/, "");
  let url: URL | undefined;
  try {
    url = new URL(`${root}/${path.replace(/^\/+/, "")}`);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new InvalidArgumentError(
      `authBaseUrl must be an absolute http(s) URL such as ${DEFAULT_AUTH_BASE_URL}, not ${base}`,
    );
  }
  return url;
}

/**
 * Sends one request and parses the JSON answer. Throws a typed error for a
 * network failure, a timeout, a cancellation, a 429 longer than
 * {@linkcode MAX_RATE_LIMIT_WAIT}, a 5xx, or a body that is not JSON. Other
 * error statuses come back for the caller to read.
 */
export async function callTwitch(
  url: URL,
  request: TwitchRequest,
  options: RequestOptions = {},
): Promise<TwitchResponse> {
  const endpoint = url.pathname;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const deadline = new AbortController();
  const onAbort = () => deadline.abort();
  if (options.signal?.aborted) {
    throw new CancelledError(`The request to ${endpoint}`, {
      cause: options.signal.reason,
    });
  }
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort();
  }, timeout);
  const failure = (error: unknown): Error => {
    if (timedOut) {
      return new TimeoutError(`The request to ${endpoint}`, timeout);
    }
    if (options.signal?.aborted) {
      return new CancelledError(`The request to ${endpoint}`, {
        cause: options.signal.reason,
      });
    }
    return new NetworkError(`${url.origin}${url.pathname}`, { cause: error });
  };
  try {
    for (let attempt = 0;; attempt++) {
      let status: number, headers: Headers, text: string;
      try {
        const response = await send(url, request, options, deadline.signal);
        status = response.status;
        headers = response.headers;
        text = await response.text();
      } catch (error) {
        throw failure(error);
      }
      if (status === 429) {
        const wait = retryAfter(headers);
        if (attempt > 0 || wait > MAX_RATE_LIMIT_WAIT) {
          throw new RateLimitError(wait);
        }
        await sleep(wait, deadline.signal).catch((error) => {
          throw failure(error);
        });
        continue;
      }
      return { status, headers, body: parseBody(text, endpoint, status) };
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function send(
  url: URL,
  request: TwitchRequest,
  options: RequestOptions,
  signal: AbortSignal,
): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const headers = new Headers(request.headers);
  headers.set("Accept", "application/json");
  let body: URLSearchParams | undefined;
  if (request.form) {
    body = new URLSearchParams();
    for (const [name, value] of Object.entries(request.form)) {
      if (value !== undefined) body.set(name, value);
    }
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return doFetch(url, { method: request.method, headers, body, signal });
}

function parseBody(text: string, endpoint: string, status: number): unknown {
  if (status >= 500) {
    throw new TwitchApiError(
      `Twitch's ${endpoint} failed with HTTP ${status}: Twitch may be having trouble, try again in a minute`,
      status,
      errorMessageOf(safeJson(text)),
    );
  }
  if (text.trim() === "") return undefined;
  const body = safeJson(text);
  if (body === undefined) throw new InvalidResponseError(endpoint, status);
  return body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Milliseconds to wait after a 429, from `Retry-After` or `Ratelimit-Reset`. */
function retryAfter(headers: Headers, now: number = Date.now()): number {
  const seconds = Number(headers.get("Retry-After"));
  if (headers.has("Retry-After") && Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const reset = Number(headers.get("Ratelimit-Reset"));
  if (headers.has("Ratelimit-Reset") && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - now);
  }
  return 1000;
}

/** Waits `ms` milliseconds; rejects with the abort reason when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The `message` field of a Twitch error body, or `""`. */
export function errorMessageOf(body: unknown): string {
  if (typeof body === "object" && body !== null && "message" in body) {
    return String(body.message);
  }
  return "";
}

/**
 * Turns an error answer into the matching typed error: a refused refresh
 * token, a refused access token, refused app credentials, or a
 * {@linkcode TwitchApiError} with a hint on what to fix.
 */
export function twitchError(response: TwitchResponse, endpoint: string): Error {
  const message = errorMessageOf(response.body);
  const lower = message.toLowerCase();
  if (lower === "invalid refresh token") {
    return new InvalidRefreshTokenError(message);
  }
  if (
    lower === "invalid client secret" || lower === "invalid client" ||
    lower === "client does not exist"
  ) {
    return new InvalidClientError(response.status, message);
  }
  if (response.status === 401) {
    return new InvalidTokenError(undefined, message || "invalid access token");
  }
  return new TwitchApiError(
    `Twitch's ${endpoint} refused the request (HTTP ${response.status}${
      message ? `: ${message}` : ""
    })${hintFor(lower)}`,
    response.status,
    message,
  );
}

function hintFor(message: string): string {
  if (message.includes("authorization code")) {
    return ": the code was already used, has expired, or belongs to another app; sign in again";
  }
  if (message.includes("redirect")) {
    return ": the redirect URL must be exactly the one registered in the Twitch developer console";
  }
  if (message.includes("scope")) {
    return ": check the requested scopes";
  }
  return "";
}
