// Raw TCP clients for the callback server: requests no fetch would send,
// connections that stall, and a bound on waits that would otherwise hang.

const encoder = new TextEncoder();

/** Opens a connection to the loopback `port` and sends `head` (maybe nothing), and no more. */
export async function holdOpen(port: number, head = ""): Promise<Deno.Conn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  if (head) await writeAll(conn, encoder.encode(head));
  return conn;
}

/** Writes every byte, or throws when the server has closed the connection. */
export async function writeAll(
  conn: Deno.Conn,
  bytes: Uint8Array,
): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await conn.write(bytes.subarray(written));
  }
}

/**
 * Sends raw bytes and reads until the server closes the connection. Resolves
 * to what came back (`""` when the server dropped it without an answer).
 */
export async function rawExchange(
  port: number,
  request: string | Uint8Array,
  hostname = "127.0.0.1",
): Promise<string> {
  const conn = await Deno.connect({ hostname, port });
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    conn.close();
  }, HANG_BOUND);
  try {
    await writeAll(
      conn,
      typeof request === "string" ? encoder.encode(request) : request,
    ).catch(() => {}); // the server may close before it has read it all
    const answer = new TextDecoder().decode(await readToEnd(conn));
    if (hung) {
      throw new Error(
        `the server kept the connection open for ${HANG_BOUND} ms after: ${answer}`,
      );
    }
    return answer;
  } finally {
    clearTimeout(timer);
    if (!hung) conn.close();
  }
}

/** How long a wait may take before the test calls it a hang. */
export const HANG_BOUND = 10_000;

/** Reads until end of stream or reset; returns what came. */
export async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: number[] = [];
  const buffer = new Uint8Array(4096);
  for (;;) {
    let read: number | null;
    try {
      read = await conn.read(buffer);
    } catch {
      break; // reset by the server: dropped
    }
    if (read === null) break;
    chunks.push(...buffer.subarray(0, read));
  }
  return new Uint8Array(chunks);
}

/** The status code of a raw HTTP answer, or 0 when there was none. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
}

/**
 * Awaits `promise`, failing when it has not settled after `ms`: a bound on
 * what would otherwise hang the test, far above how long it takes.
 */
export async function withinHangBound<T>(
  promise: Promise<T>,
  what: string,
  ms = HANG_BOUND,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`${what} did not happen within ${ms} ms: it hangs`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** What tests/_conn_flood.ts saw: connections opened, still open, failed. */
export interface Flooded {
  opened: number;
  open: number;
  failed: number;
}

/**
 * Opens 1,000 idle connections to the loopback `port` from a process of
 * their own, and counts `hold` ms later how many the server has not closed.
 */
export async function floodIdle(port: number, hold = 1000): Promise<Flooded> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_conn_flood.ts", import.meta.url).pathname,
      String(port),
      "1000",
      String(hold),
    ],
    stdin: "null",
  }).output();
  if (output.code !== 0) {
    throw new Error(new TextDecoder().decode(output.stderr));
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}
