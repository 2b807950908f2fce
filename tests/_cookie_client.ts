// A small HTTP client that behaves like a browser for a login: it follows
// redirects hop by hop over real HTTP and keeps cookies (per host name, with
// Path, Max-Age/Expires and Secure), so a login handler sees what a browser
// would send. Used in-process and, run as a program, by the runtime tests:
// `deno run -A tests/_cookie_client.ts URL...` visits each URL in turn with
// one cookie jar and prints one JSON line per visit.

import { getSetCookies } from "@std/http/cookie";

/** A cookie the client holds. */
export interface HeldCookie {
  name: string;
  value: string;
  hostname: string;
  path: string;
  secure: boolean;
  expiresAt?: number;
}

/** What one visit ended on, and every URL it passed through. */
export interface ClientVisit {
  status: number;
  url: string;
  text: string;
  headers: Headers;
  hops: string[];
}

const LOCAL = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A browser stand-in with a cookie jar. */
export class CookieClient {
  /** The cookie jar: what the client would send, keyed by host, path and name. */
  readonly jar: Map<string, HeldCookie> = new Map();

  /** The `Cookie` header for `url`, or `undefined` when none applies. */
  cookieHeader(url: URL, now: number = Date.now()): string | undefined {
    const pairs: string[] = [];
    for (const [key, cookie] of this.jar) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
        this.jar.delete(key);
        continue;
      }
      const pathMatches = url.pathname === cookie.path ||
        url.pathname.startsWith(
          cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`,
        );
      const secureOk = !cookie.secure || url.protocol === "https:" ||
        LOCAL.has(url.hostname);
      if (cookie.hostname === url.hostname && pathMatches && secureOk) {
        pairs.push(`${cookie.name}=${cookie.value}`);
      }
    }
    return pairs.length > 0 ? pairs.join("; ") : undefined;
  }

  /** Stores the `Set-Cookie` headers of a response from `url`. */
  store(url: URL, headers: Headers, now: number = Date.now()): void {
    for (const cookie of getSetCookies(headers)) {
      const directory = url.pathname.slice(0, url.pathname.lastIndexOf("/"));
      const path = cookie.path ?? (directory || "/");
      const key = `${url.hostname} ${path} ${cookie.name}`;
      const expiresAt = cookie.maxAge !== undefined
        ? now + cookie.maxAge * 1000
        : cookie.expires !== undefined
        ? new Date(cookie.expires).getTime()
        : undefined;
      if (expiresAt !== undefined && expiresAt <= now) {
        this.jar.delete(key);
        continue;
      }
      this.jar.set(key, {
        name: cookie.name,
        value: cookie.value,
        hostname: url.hostname,
        path,
        secure: cookie.secure ?? false,
        expiresAt,
      });
    }
  }

  /**
   * GETs `url` and follows redirects (at most `maxHops`); with `stopAt`, stops
   * before requesting the first URL whose path is `stopAt` and returns it.
   */
  async visit(
    url: string,
    options: { maxHops?: number; stopAt?: string } = {},
  ): Promise<ClientVisit> {
    let current = new URL(url);
    const hops: string[] = [];
    for (let hop = 0; hop <= (options.maxHops ?? 10); hop++) {
      hops.push(current.href);
      if (options.stopAt !== undefined && current.pathname === options.stopAt) {
        return {
          status: 0,
          url: current.href,
          text: "",
          headers: new Headers(),
          hops,
        };
      }
      const cookie = this.cookieHeader(current);
      const response = await fetch(current, {
        redirect: "manual",
        headers: cookie ? { Cookie: cookie } : {},
      });
      this.store(current, response.headers);
      const location = response.headers.get("Location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        continue;
      }
      return {
        status: response.status,
        url: current.href,
        text: await response.text(),
        headers: response.headers,
        hops,
      };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

if (import.meta.main) {
  const client = new CookieClient();
  for (const url of Deno.args) {
    const visit = await client.visit(url);
    console.log(JSON.stringify({
      status: visit.status,
      url: visit.url,
      text: visit.text,
      hops: visit.hops.length,
      cookies: [...client.jar.values()].map((c) => c.name),
    }));
  }
}
