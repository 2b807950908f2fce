/**
 * The localhost server that catches Twitch's redirect: a web-standard
 * `(Request) => Response` handler that guards the callback, and the small
 * HTTP/1.1 listener of `_http_listener.ts` around it (not `Deno.serve`,
 * whose shutdown waits for requests that may never end), bound to loopback
 * only.
 *
 * @module
 */

import { PortInUseError } from "../web/errors.ts";
import { cleanText } from "../web/_clean_text.ts";
import { htmlResponse, renderPage } from "../web/_pages.ts";
import { type HttpListener, listenHttp } from "./_http_listener.ts";

/** What Twitch sent back to the redirect URL, once the state matched. */
export type Callback =
  | { kind: "code"; code: string; scope: string }
  | { kind: "error"; error: string; description: string };

/** What {@linkcode createCallbackHandler} needs. */
export interface CallbackHandlerOptions {
  /** The registered redirect URL; only its path is answered. */
  redirectUrl: URL;
  /** The flow's `state`; a callback without it is refused. */
  state: string;
  /** Handles a genuine callback and answers the page the user sees. */
  onCallback(callback: Callback): Promise<Response>;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Creates the callback handler. It answers 400 to a missing or malformed
 * `Host`, 403 to a `Host` that is neither
 * the redirect URL's host nor a loopback name (DNS rebinding), 404 to other
 * paths (`/favicon.ico` too), 405 to other methods, 400 to a callback with a
 * wrong, missing or repeated `state`, a repeated `code` or `error`, or
 * without a `code` (and keeps waiting), and hands
 * a genuine callback to `onCallback` once: later ones get 409.
 *
 * @param options The redirect URL, the state and the callback.
 * @returns The handler.
 */
export function createCallbackHandler(
  options: CallbackHandlerOptions,
): (request: Request) => Promise<Response> {
  const path = options.redirectUrl.pathname || "/";
  const allowedHosts = new Set([
    ...LOOPBACK_HOSTS,
    options.redirectUrl.hostname.toLowerCase(),
  ]);
  let handled = false;
  return (request) => {
    const url = new URL(request.url);
    const host = hostOf(request.headers.get("Host"));
    if (host === undefined) {
      return page(
        400,
        "Bad request",
        "The request's Host header is missing or malformed.",
      );
    }
    if (!allowedHosts.has(host)) {
      return page(
        403,
        "Wrong address",
        "This server only answers on localhost.",
      );
    }
    if (url.pathname !== path) {
      return page(
        404,
        "Not found",
        "This server only catches Twitch's sign-in redirect.",
      );
    }
    if (request.method !== "GET") {
      return page(
        405,
        "Method not allowed",
        "Twitch's redirect is a GET request.",
      );
    }
    const params = url.searchParams;
    const states = params.getAll("state");
    if (states.length !== 1 || states[0] !== options.state) {
      return page(
        400,
        "This sign-in link is not the current one",
        "The state does not match the sign-in that is waiting (an old tab, or a forged link). Start the sign-in again from the app.",
      );
    }
    const error = params.get("error");
    if (
      params.getAll("code").length > 1 || params.getAll("error").length > 1 ||
      (!error && !params.get("code"))
    ) {
      return page(
        400,
        "No code",
        "Twitch's redirect had no code. Start the sign-in again from the app.",
      );
    }
    if (handled) {
      return page(
        409,
        "Already handled",
        "This sign-in was already completed. You can close this tab.",
      );
    }
    handled = true;
    return options.onCallback(
      error
        ? {
          kind: "error",
          error: cleanText(error),
          description: cleanText(params.get("error_description") ?? ""),
        }
        : {
          kind: "code",
          code: params.get("code")!,
          scope: params.get("scope") ?? "",
        },
    );
  };
}

function page(
  status: number,
  title: string,
  message: string,
): Promise<Response> {
  return Promise.resolve(
    htmlResponse(renderPage(title, message, false), status),
  );
}

const HOST =
  /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

/**
 * The host name of a `Host` header, lower case, without the port; or
 * `undefined` when the header is missing or is not a host name or IP
 * address with an optional port from 1 to 65535.
 */
function hostOf(header: string | null): string | undefined {
  const match = HOST.exec((header ?? "").trim().toLowerCase());
  if (!match) return undefined;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  return port >= 1 && port <= 65535 ? match[1] : undefined;
}

/** A running callback server. */
export interface CallbackServer {
  /** The port it listens on. */
  port: number;
  /** The addresses it listens on. */
  hostnames: string[];
  /**
   * Stops listening and drops every open connection at once: a request
   * whose head or body never arrives cannot hold it. An answer already being
   * written gets half a second to go out.
   */
  close(): Promise<void>;
}

/**
 * Serves `handler` on `port`. Without a `hostname` it listens on both
 * loopback addresses, 127.0.0.1 and ::1 (where the machine has IPv6), so the
 * browser finds it whichever `localhost` resolves to, and no other machine
 * can reach it. Only the request head is read, never a body; each
 * connection gets one answer and is closed.
 *
 * @param handler The request handler; it sees `GET` requests only.
 * @param port The port; 0 picks a free one.
 * @param hostname One address to listen on instead of loopback.
 * @returns The running server.
 * @throws {PortInUseError} when the port is taken.
 */
export async function serveCallback(
  handler: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname?: string,
): Promise<CallbackServer> {
  const listeners: HttpListener[] = [];
  const listen = (address: string, at: number) => {
    try {
      const listener = listenHttp(address, at, handler);
      listeners.push(listener);
      return listener.port;
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        throw new PortInUseError(address, at, { cause: error });
      }
      throw error;
    }
  };
  const close = async () => {
    await Promise.all(listeners.map((listener) => listener.close()));
  };
  if (hostname) {
    return { port: listen(hostname, port), hostnames: [hostname], close };
  }
  const bound = listen("127.0.0.1", port);
  const hostnames = ["127.0.0.1"];
  try {
    listen("::1", bound);
    hostnames.push("::1");
  } catch (error) {
    if (error instanceof PortInUseError) {
      await close();
      throw new PortInUseError("::1", bound, { cause: error });
    }
    // no IPv6 loopback on this machine: 127.0.0.1 alone will do
  }
  return { port: bound, hostnames, close };
}
