// Internal: a minimal HTTP/1.1 server for the callback, on a raw TCP
// listener. `Deno.serve` cannot be used here: its `shutdown()` (and its
// `signal`) waits for every request under way, and a request whose body
// never arrives is under way forever, so one local program could hold the
// sign-in open. This server reads the request head only (never a body),
// answers one request per connection and closes it, and `close()` drops
// every connection still open.

/**
 * The reason phrases of the statuses the callback server answers with (a
 * table here rather than `@std/http/status`: an npm import costs every
 * `mod.ts` import about a millisecond).
 */
const REASONS: Record<number, string> = {
  200: "OK",
  302: "Found",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** How many bytes a request head may have (request line and headers). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** How long a connection may take to send its request head, in milliseconds. */
export const HEAD_TIMEOUT = 10_000;
/** How many connections may be open at once; past it the oldest idle one is dropped. */
export const MAX_CONNECTIONS = 128;
/** How long `close()` lets an answer already being written finish, in milliseconds. */
export const CLOSE_GRACE = 500;

type Handler = (request: Request) => Response | Promise<Response>;

interface Connection {
  conn: Deno.Conn;
  /** Aborted when the connection is dropped: nothing more is awaited for it. */
  dropped: AbortController;
  /** True once the head is read and the handler runs or the answer is written. */
  answering: boolean;
  done: Promise<void>;
}

/** A listener serving one handler; see {@linkcode listenHttp}. */
export interface HttpListener {
  /** The port it listens on. */
  port: number;
  /** Stops listening and drops every open connection (answers being written get {@linkcode CLOSE_GRACE}). */
  close(): Promise<void>;
}

/**
 * Listens on `hostname:port` and answers each request with `handler`.
 * Only `GET` reaches the handler; other methods get 405, a malformed request
 * 400, a head over {@linkcode MAX_HEAD_BYTES} 431, all without reading a
 * body. The handler's `Request` has the URL `http://<listen address><target>`
 * and the request's headers; the `Host` header is left for it to check.
 *
 * @throws {Deno.errors.AddrInUse} when the port is taken.
 */
export function listenHttp(
  hostname: string,
  port: number,
  handler: Handler,
): HttpListener {
  const listener = Deno.listen({ hostname, port, transport: "tcp" });
  const bound = (listener.addr as Deno.NetAddr).port;
  const origin = `http://${
    hostname.includes(":") ? `[${hostname}]` : hostname
  }:${bound}`;
  // The connections still open (a dropped one leaves at once, so it counts
  // and is picked no more), and every connection's work, for close().
  const open = new Set<Connection>();
  const serving = new Set<Promise<void>>();
  let closing = false;

  const drop = (connection: Connection) => {
    open.delete(connection);
    connection.dropped.abort();
    closeQuietly(connection.conn);
  };
  const dropOldestIdle = () => {
    for (const connection of open) {
      if (!connection.answering) return drop(connection);
    }
  };
  const accepting = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        if (closing) return;
        // a connection that failed while being accepted, or no file
        // descriptor left: pause rather than spin
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (closing) {
        closeQuietly(conn);
        return;
      }
      if (open.size >= MAX_CONNECTIONS) dropOldestIdle();
      const connection: Connection = {
        conn,
        dropped: new AbortController(),
        answering: false,
        done: Promise.resolve(),
      };
      open.add(connection);
      connection.done = serveConnection(connection, origin, handler)
        .finally(() => {
          closeQuietly(conn);
          open.delete(connection);
          serving.delete(connection.done);
        });
      serving.add(connection.done);
    }
  })();

  const close = async () => {
    if (closing) return;
    closing = true;
    closeQuietly(listener);
    for (const connection of open) {
      if (!connection.answering) drop(connection);
    }
    const answering = [...open].map((connection) => connection.done);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(answering),
      new Promise<void>((resolve) => timer = setTimeout(resolve, CLOSE_GRACE)),
    ]);
    clearTimeout(timer);
    for (const connection of open) drop(connection);
    await Promise.all([accepting, ...serving]);
  };
  return { port: bound, close };
}

async function serveConnection(
  connection: Connection,
  origin: string,
  handler: Handler,
): Promise<void> {
  const { conn } = connection;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), HEAD_TIMEOUT);
  });
  let head: Uint8Array | "too large" | undefined;
  try {
    head = await Promise.race([readHead(conn), timedOut]);
  } catch {
    head = undefined; // dropped or reset: nothing to answer
  } finally {
    clearTimeout(timer);
  }
  if (head === undefined) return;
  connection.answering = true;
  const response = head === "too large"
    ? plainResponse(431, "Request header fields too large")
    : await Promise.race([
      answer(head, origin, handler),
      whenAborted(connection.dropped.signal),
    ]);
  if (response) await writeResponse(conn, response);
}

function whenAborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    signal.addEventListener("abort", () => resolve(undefined), { once: true });
  });
}

/** Reads up to the blank line that ends the head; `undefined` when the peer stops first. */
async function readHead(
  conn: Deno.Conn,
): Promise<Uint8Array | "too large" | undefined> {
  const buffer = new Uint8Array(MAX_HEAD_BYTES);
  let length = 0;
  let searchFrom = 0;
  while (length < buffer.length) {
    const read = await conn.read(buffer.subarray(length));
    if (read === null) return undefined;
    length += read;
    const end = headEnd(buffer, Math.max(0, searchFrom - 3), length);
    if (end >= 0) return buffer.subarray(0, end);
    searchFrom = length;
  }
  return "too large";
}

/** The index of the `\r\n\r\n` (or `\n\n`) that ends the head, or -1. */
function headEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 10) continue;
    if (bytes[i + 1] === 10 && i + 1 < to) return i;
    if (bytes[i + 1] === 13 && bytes[i + 2] === 10 && i + 2 < to) return i;
  }
  return -1;
}

/** Parses the head and runs the handler; a malformed request gets 400. */
async function answer(
  head: Uint8Array,
  origin: string,
  handler: Handler,
): Promise<Response> {
  const request = parseHead(head, origin);
  if (request === "bad") return plainResponse(400, "Bad request");
  if (request === "method") {
    return plainResponse(405, "Method not allowed", { Allow: "GET" });
  }
  try {
    return await handler(request);
  } catch {
    return plainResponse(500, "Internal error");
  }
}

const TARGET = /^\/[\x21-\x7e]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function parseHead(
  head: Uint8Array,
  origin: string,
): Request | "bad" | "method" {
  // Latin-1: every byte is one character, so nothing fails to decode.
  const lines = new TextDecoder("latin1").decode(head).split(/\r?\n/);
  const [method, target, version, ...rest] = lines[0].split(" ");
  if (
    rest.length > 0 || !method || !TOKEN.test(method) || !target ||
    !/^HTTP\/1\.[01]$/.test(version ?? "")
  ) {
    return "bad";
  }
  if (method !== "GET") return "method";
  if (!TARGET.test(target)) return "bad";
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    if (colon <= 0 || !TOKEN.test(name)) return "bad";
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      return "bad";
    }
  }
  try {
    return new Request(`${origin}${target}`, { method, headers });
  } catch {
    return "bad";
  }
}

function plainResponse(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
  });
}

/** Writes the response whole, with `Connection: close`; gives up quietly when the peer is gone. */
async function writeResponse(
  conn: Deno.Conn,
  response: Response,
): Promise<void> {
  try {
    const body = new Uint8Array(await response.arrayBuffer());
    const reason = REASONS[response.status];
    let head = `HTTP/1.1 ${response.status} ${reason ?? "Status"}\r\n`;
    for (const [name, value] of response.headers) {
      if (!/^(connection|content-length|transfer-encoding)$/.test(name)) {
        head += `${name}: ${value}\r\n`;
      }
    }
    head += `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const bytes = new Uint8Array([...new TextEncoder().encode(head), ...body]);
    let written = 0;
    while (written < bytes.length) {
      written += await conn.write(bytes.subarray(written));
    }
  } catch {
    // the peer left, or close() dropped the connection
  }
}

function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // already closed
  }
}
