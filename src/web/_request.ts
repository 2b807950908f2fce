// Internal: one request to Twitch with timeout, cancellation, rate limits and
// Twitch's error bodies turned into typed errors. Web-standard APIs only.

import { cleanText } from "./_clean_text.ts";
import {
  CancelledError,
  InvalidArgumentError,
  InvalidClientError,
  InvalidRefreshTokenError,
  InvalidResponseError,
  InvalidTokenError,
  MissingClientSecretError,
  NetworkError,
  RateLimitError,
  RedirectRefusedError,
  TimeoutError,
  TwitchApiError,
} from "./errors.ts";
import type { RequestOptions } from "./request_options.ts";

/** Twitch's OAuth base URL. */
export const DEFAULT_AUTH_BASE_URL = "https://id.twitch.tv/oauth2";
/** How long a call may take by default, in milliseconds. */
export const DEFAULT_TIMEOUT = 30_000;
/** The longest 429 wait this module sits out by itself, in milliseconds. */
export const MAX_RATE_LIMIT_WAIT = 10_000;
/** The longest timeout a timer honours, in milliseconds (2^31 - 1). */
export const MAX_TIMEOUT = 2 ** 31 - 1;
/** The largest answer read from Twitch, in bytes; a larger one is an {@linkcode InvalidResponseError}. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Form fields that carry a secret: kept out of every error message. */
const SECRET_FIELDS = [
  "client_secret",
  "refresh_token",
  "code",
  "device_code",
  "token",
  "access_token",
];

/**
 * Checks a timeout option: a number of milliseconds from 1 to
 * {@linkcode MAX_TIMEOUT}, or `Infinity` for none. `undefined` gives
 * `fallback`.
 *
 * @throws {InvalidArgumentError} for anything else, saying what is allowed.
 */
export function checkTimeout(
  timeout: number | undefined,
  fallback: number,
  name = "timeout",
): number {
  if (timeout === undefined) return fallback;
  if (
    timeout === Infinity ||
    (typeof timeout === "number" && timeout >= 1 && timeout <= MAX_TIMEOUT)
  ) {
    return timeout;
  }
  throw new InvalidArgumentError(
    `${name} must be a number of milliseconds from 1 to ${MAX_TIMEOUT} (about 24.8 days), or Infinity for no timeout, not ${
      String(timeout)
    }`,
  );
}

/**
 * Starts a timer that calls `onTimeout` after `timeout` milliseconds (as
 * {@linkcode checkTimeout} allows; `Infinity` never fires) and returns the
 * function that clears it.
 */
export function startTimer(timeout: number, onTimeout: () => void): () => void {
  if (timeout === Infinity) return () => {};
  const timer = setTimeout(onTimeout, Math.ceil(timeout));
  return () => clearTimeout(timer);
}

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
  const timeout = checkTimeout(options.timeout, DEFAULT_TIMEOUT);
  const secrets = secretsOf(request);
  const deadline = new AbortController();
  const onAbort = () => deadline.abort();
  if (options.signal?.aborted) {
    throw new CancelledError(`The request to ${endpoint}`, {
      cause: options.signal.reason,
    });
  }
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const clearTimer = startTimer(timeout, () => {
    timedOut = true;
    deadline.abort();
  });
  const failure = (error: unknown): Error => {
    if (
      error instanceof InvalidResponseError ||
      error instanceof RedirectRefusedError
    ) {
      return error;
    }
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
        if (request.method === "POST") await refuseRedirect(response, url);
        status = response.status;
        headers = response.headers;
        text = await readLimited(response, endpoint, deadline);
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
      const body = parseBody(text, endpoint, status, secrets);
      return { status, headers, body: cleanBody(body, status, secrets) };
    }
  } finally {
    clearTimer();
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The secrets a request carries (its secret form fields and its
 * `Authorization` credentials). Throws an {@linkcode InvalidArgumentError}
 * when one holds characters no token has (a line break, NUL, non-ASCII or
 * binary): such a value cannot be what Twitch issued.
 */
function secretsOf(request: TwitchRequest): string[] {
  const secrets: [string, string][] = [];
  for (const name of SECRET_FIELDS) {
    const value = request.form?.[name];
    if (value !== undefined) secrets.push([name, value]);
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const credentials = value.replace(/^(OAuth|Bearer) /i, "");
    secrets.push([name === "Authorization" ? "token" : name, credentials]);
  }
  for (const [name, value] of secrets) {
    if (!/^[\x21-\x7e]*$/.test(value)) {
      throw new InvalidArgumentError(
        `The ${
          FIELD_NAMES[name] ?? name
        } contains characters a token cannot have (a line break, NUL, space, non-ASCII or binary data): pass it exactly as Twitch issued it, without quotes or surrounding text`,
      );
    }
  }
  return secrets.map(([, value]) => value);
}

const FIELD_NAMES: Record<string, string> = {
  client_secret: "client secret",
  refresh_token: "refresh token",
  code: "authorization code",
  device_code: "device code",
  token: "token",
  access_token: "access token",
};

/**
 * Reads the body as text, at most {@linkcode MAX_RESPONSE_BYTES}: a larger
 * one (by `Content-Length` or as it streams) is an
 * {@linkcode InvalidResponseError} and the rest is never read.
 */
export async function readLimited(
  response: Response,
  endpoint: string,
  deadline: AbortController,
): Promise<string> {
  const tooLarge = () => {
    const error = new InvalidResponseError(endpoint, response.status, {
      cause: new RangeError(
        `The answer is larger than ${MAX_RESPONSE_BYTES} bytes`,
      ),
    });
    deadline.abort(error);
    return error;
  };
  const declared = Number(response.headers.get("Content-Length"));
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return "";
  // A declared length within the limit is all the client reads (HTTP ends
  // the body there), unless the body is compressed and grows when decoded:
  // then count as it streams. Reading whole is the fast path (a stream
  // reader's last read costs about 0.4 ms in Deno 2.9, measured).
  const encoding = response.headers.get("Content-Encoding") ?? "identity";
  if (
    Number.isFinite(declared) && response.headers.has("Content-Length") &&
    encoding === "identity"
  ) {
    return await response.text();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Cleans the text fields of an error answer (see {@linkcode cleanText}). */
function cleanBody(
  body: unknown,
  status: number,
  secrets: readonly string[],
): unknown {
  if (status === 200 || typeof body !== "object" || body === null) return body;
  const clean: Record<string, unknown> = { ...body };
  for (const [name, value] of Object.entries(clean)) {
    if (typeof value === "string") clean[name] = cleanText(value, secrets);
  }
  return clean;
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
  // A POST carries secrets in its body (client secret, refresh token, code,
  // the token to revoke): it never follows a redirect to another address.
  const redirect = request.method === "POST" ? "manual" : "follow";
  return doFetch(url, {
    method: request.method,
    headers,
    body,
    signal,
    redirect,
  });
}

/**
 * Throws a {@linkcode RedirectRefusedError} for a redirect (a 3xx, or the
 * opaque redirect a browser gives for `redirect: "manual"`); its body is
 * left unread.
 */
async function refuseRedirect(response: Response, url: URL): Promise<void> {
  const opaque = response.type === "opaqueredirect";
  if (!opaque && (response.status < 300 || response.status > 399)) return;
  await response.body?.cancel().catch(() => {});
  let location = "";
  try {
    const to = new URL(response.headers.get("Location") ?? "", url);
    if (response.headers.has("Location")) {
      location = `${to.origin}${to.pathname}`;
    }
  } catch {
    // an unparsable Location: name none
  }
  throw new RedirectRefusedError(url.pathname, response.status, location);
}

function parseBody(
  text: string,
  endpoint: string,
  status: number,
  secrets: readonly string[],
): unknown {
  if (status >= 500) {
    throw new TwitchApiError(
      `Twitch's ${endpoint} failed with HTTP ${status}: Twitch may be having trouble, try again in a minute`,
      status,
      cleanText(errorMessageOf(safeJson(text)), secrets),
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

/**
 * Waits `ms` milliseconds (at most {@linkcode MAX_TIMEOUT}: a longer timer
 * would fire at once); rejects with the abort reason when `signal` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  ms = Math.min(Math.max(0, ms), MAX_TIMEOUT);
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
 * token, a refused access token, refused app credentials, a missing client
 * secret (of `clientId`, when the caller knows it), or a
 * {@linkcode TwitchApiError} with a hint on what to fix.
 */
export function twitchError(
  response: TwitchResponse,
  endpoint: string,
  clientId?: string,
): Error {
  const message = errorMessageOf(response.body);
  const lower = message.toLowerCase();
  if (lower === "invalid refresh token") {
    return new InvalidRefreshTokenError(message);
  }
  if (lower === "missing client secret") {
    return new MissingClientSecretError(clientId, true);
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
