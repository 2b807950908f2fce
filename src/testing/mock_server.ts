/**
 * The mock Twitch served over HTTP with `Deno.serve` on the loopback
 * interface: the only part of the mock that needs Deno.
 *
 * @module
 */

import { Handler } from "./mock_handler.ts";
import type { MockTwitchHandler } from "./mock_handler.ts";
import type { MockTwitchOptions } from "./mock_types.ts";

/**
 * A running mock Twitch server (see {@linkcode startMockTwitch}).
 *
 * @example
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 * await using mock = await startMockTwitch();
 * console.log(mock.authBaseUrl); // http://127.0.0.1:PORT/oauth2
 * ```
 */
export interface MockTwitch extends MockTwitchHandler, AsyncDisposable {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** `url + "/oauth2"`: where the ID service lives (Twitch's `https://id.twitch.tv/oauth2`). */
  readonly authBaseUrl: string;
  /** `url + "/helix"`: where Helix lives (Twitch's `https://api.twitch.tv/helix`). */
  readonly helixBaseUrl: string;
  /**
   * Shuts the server down: cancels delayed faults and waits until every
   * connection is closed. Safe to call more than once.
   *
   * @example
   * ```ts
   * import { startMockTwitch } from "@x/twitch-auth/testing";
   * const mock = await startMockTwitch();
   * await mock.close();
   * ```
   */
  close(): Promise<void>;
}

/** `hostname` as the host part of a URL a client can connect to. */
function urlHost(hostname: string): string {
  if (hostname === "0.0.0.0") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

class Server extends Handler implements MockTwitch {
  readonly url: string;
  readonly authBaseUrl: string;
  readonly helixBaseUrl: string;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  #closing?: Promise<void>;

  constructor(options: MockTwitchOptions) {
    const { hostname = "127.0.0.1", port = 0, ...handlerOptions } = options;
    super(handlerOptions);
    this.#server = Deno.serve(
      { hostname, port, onListen: () => {} },
      this.fetch,
    );
    this.url = `http://${
      urlHost(this.#server.addr.hostname)
    }:${this.#server.addr.port}`;
    this.authBaseUrl = `${this.url}/oauth2`;
    this.helixBaseUrl = `${this.url}/helix`;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.stop();
      await this.#server.shutdown();
      await this.#server.finished;
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Starts the mock Twitch server on `127.0.0.1` and a free port (by default).
 * It prints nothing; `close()` (or `await using`) shuts it down.
 *
 * @example
 * ```ts
 * import { startMockTwitch } from "@x/twitch-auth/testing";
 *
 * await using mock = await startMockTwitch({ consent: "approve" });
 * const res = await fetch(`${mock.authBaseUrl}/token`, {
 *   method: "POST",
 *   body: new URLSearchParams({
 *     client_id: mock.clientId,
 *     client_secret: mock.clientSecret,
 *     grant_type: "client_credentials",
 *   }),
 * });
 * console.log(await res.json()); // { access_token, expires_in: 14400, token_type: "bearer" }
 * ```
 */
export function startMockTwitch(
  options: MockTwitchOptions = {},
): Promise<MockTwitch> {
  try {
    return Promise.resolve(new Server(options));
  } catch (error) {
    return Promise.reject(error);
  }
}
