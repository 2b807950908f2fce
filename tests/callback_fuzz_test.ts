// Fuzzes the callback server of a sign-in running in its own process: over
// 10,000 hostile requests on loopback (random paths and queries, wrong and
// repeated state, huge heads, bad Host forms, other methods, stalled bodies,
// half-open connections, invalid UTF-8, HTML/ANSI/bidi payloads), then the
// real callback must still sign in, and the process must print nothing.
// Seeded: FUZZ_SEED=<n> replays a run; a failure names its seed and request.

import { assert, assertEquals, assertFalse } from "@std/assert";
import { visit } from "./_browser.ts";
import { startSignInChild } from "./_child.ts";
import {
  holdOpen,
  rawExchange,
  readToEnd,
  statusOf,
  withinHangBound,
  writeAll,
} from "./_raw_http.ts";
import { MALFORMED_HOSTS } from "./_util.ts";

const REQUESTS = 10_000;
const WORKERS = 16;
const MAX_HELD = 40;
const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 0x5eed);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKER = "fuzzmarker";
const PAYLOADS = [
  `<script>alert("${MARKER}")</script>`,
  `\u001b[2J\u001b[31m${MARKER}\u0007`,
  `\u202E${MARKER}\u202C\u2066x\u2069`,
  `"><img src=x onerror=${MARKER}>`,
  `${MARKER}\r\nSet-Cookie: a=b`,
];
const METHODS = [
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "HEAD",
  "TRACE",
  "CONNECT",
  "get",
  "PRI",
  "G ET",
  "GET\u0000",
  "",
];

interface Case {
  kind: string;
  bytes: Uint8Array;
  /** The statuses it may get; 0: dropped without an answer. */
  allowed: number[];
  /** Keep the connection open instead of waiting for the answer. */
  hold?: boolean;
  /** Close our sending side after the bytes (a half-open connection). */
  halfClose?: boolean;
}

const encoder = new TextEncoder();
const latin1 = (text: string) =>
  Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

function generator(random: () => number, state: string, port: number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chars = (n: number, set: string) =>
    Array.from({ length: n }, () => set[int(set.length)]).join("");
  const SAFE = "abcdefghijklmnopqrstuvwxyz0123456789-._~%/?=&+:@!$'()*,;";
  const host = () =>
    pick(["localhost", `localhost:${port}`, "127.0.0.1", "[::1]"]);
  const get = (target: string, headers = `Host: ${host()}\r\n`) =>
    `GET ${target} HTTP/1.1\r\n${headers}\r\n`;
  const badState = () =>
    pick([
      `state=${chars(32, "abcdef0123456789")}`,
      `state=${state}&state=${chars(8, "abc")}`,
      `state=${chars(8, "abc")}&state=${state}`,
      `state=`,
      ``,
      `state=${state.slice(0, -1)}`,
      `state=${state}x`,
      `STATE=${state}`,
    ]);
  const kinds: (() => Case)[] = [
    () => ({
      kind: "random path and query",
      bytes: encoder.encode(get(`/${chars(int(60), SAFE)}`)),
      allowed: [400, 404],
    }),
    () => ({
      kind: "wrong or repeated state",
      bytes: encoder.encode(
        get(
          `/?code=${chars(30, "abcdef0123")}&scope=chat%3Aread&${badState()}`,
        ),
      ),
      allowed: [400],
    }),
    () => ({
      kind: "repeated code with the real state",
      bytes: encoder.encode(get(`/?code=a&code=b&state=${state}`)),
      allowed: [400],
    }),
    () => ({
      kind: "huge head",
      bytes: encoder.encode(
        get(
          "/",
          `Host: localhost\r\nX-Big: ${"a".repeat(16_384 + int(30_000))}\r\n`,
        ),
      ),
      allowed: [431, 0],
    }),
    () => ({
      kind: "many headers",
      bytes: encoder.encode(
        get("/", `Host: localhost\r\n${"X-A: b\r\n".repeat(int(3000))}`),
      ),
      allowed: [400, 431, 0],
    }),
    () => ({
      kind: "bad Host",
      bytes: latin1(
        get(`/?code=x&${badState()}`, `Host: ${pick(MALFORMED_HOSTS)}\r\n`),
      ),
      allowed: [400],
    }),
    () => ({
      kind: "foreign or missing Host",
      bytes: encoder.encode(
        get(
          "/",
          pick([
            `Host: evil.example:${port}\r\n`,
            "Host: 8.8.8.8\r\n",
            "",
            "Host: localhost\r\nHost: evil.example\r\n",
          ]),
        ),
      ),
      allowed: [400, 403],
    }),
    () => ({
      kind: "other method",
      bytes: latin1(
        `${
          pick(METHODS)
        } /?state=${state}&code=x HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      ),
      allowed: [400, 405],
    }),
    () => ({
      kind: "stalled body",
      bytes: encoder.encode(
        `${pick(["POST", "PUT", "GET"])} /?state=${
          chars(5, "abc")
        } HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${
          1 + int(1e9)
        }\r\n\r\n${chars(int(50), SAFE)}`,
      ),
      allowed: [400, 405],
      hold: random() < 0.5,
    }),
    () => ({
      kind: "half-open",
      bytes: encoder.encode(
        pick(["", "GET", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: loc"]),
      ),
      allowed: [0],
      halfClose: true,
    }),
    () => ({
      kind: "idle connection",
      bytes: encoder.encode(pick(["", "G", "GET /?state="])),
      allowed: [0],
      hold: true,
    }),
    () => ({
      kind: "invalid UTF-8",
      bytes: Uint8Array.from([
        ...encoder.encode("GET /?error_description="),
        ...Array.from(
          { length: 1 + int(20) },
          () => pick([0xff, 0xc3, 0x28, 0x80, 0xed, 0xa0]),
        ),
        ...encoder.encode(" HTTP/1.1\r\nHost: localhost\r\nX-U: "),
        0xfe,
        0xff,
        ...encoder.encode("\r\n\r\n"),
      ]),
      allowed: [400],
    }),
    () => ({
      kind: "payload in error_description",
      bytes: encoder.encode(
        get(
          `/?error=${
            pick(["access_denied", "invalid_scope", "x"])
          }&error_description=${
            encodeURIComponent(pick(PAYLOADS))
          }&${badState()}`,
        ),
      ),
      allowed: [400],
    }),
    () => ({
      kind: "random bytes",
      bytes: Uint8Array.from([
        ...Array.from({ length: int(300) }, () => int(256)),
        13,
        10,
        13,
        10,
      ]),
      allowed: [400, 405, 0],
    }),
    () => ({
      kind: "odd request line",
      bytes: latin1(
        pick([
          "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
          "GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
          "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n",
          "GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
          "GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
          "GET /x HTTP/1.1\nHost: localhost\n\n",
          "GET / HTTP/1.0\r\n\r\n",
          " GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
          "GET /\t HTTP/1.1\r\nHost: localhost\r\n\r\n",
          "GET / HTTP/1.1\r\n Host: localhost\r\n\r\n",
          "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n",
          "GET / HTTP/1.1\r\nHost: localhost\r\nX: a\u0000b\r\n\r\n",
        ]),
      ),
      allowed: [400, 404, 405],
    }),
  ];
  return () => pick(kinds)();
}

Deno.test("callback server fuzz: 10,000 hostile requests, then the real callback signs in; nothing printed", async () => {
  const child = await startSignInChild();
  const state = new URL(child.url).searchParams.get("state")!;
  const random = prng(SEED);
  const next = generator(random, state, child.port);
  const held: Deno.Conn[] = [];
  const counts = new Map<string, number>();
  let sent = 0;
  const hold = (conn: Deno.Conn) => {
    held.push(conn);
    if (held.length > MAX_HELD) held.shift()!.close();
  };
  const run = async (index: number, fuzz: Case) => {
    const where = `seed ${SEED}, request ${index} (${fuzz.kind}): ${
      JSON.stringify(new TextDecoder().decode(fuzz.bytes.slice(0, 200)))
    }`;
    if (fuzz.hold || fuzz.halfClose) {
      const conn = await holdOpen(child.port);
      await writeAll(conn, fuzz.bytes).catch(() => {});
      if (fuzz.halfClose) {
        await conn.closeWrite().catch(() => {});
        // the server drops it; read to the end so the close is seen
        const answer = new TextDecoder().decode(
          await withinHangBound(readToEnd(conn), `dropping: ${where}`),
        );
        assertEquals(statusOf(answer), 0, `${where}\n${answer}`);
        conn.close();
      } else {
        hold(conn);
      }
      return;
    }
    const answer = await rawExchange(child.port, fuzz.bytes);
    const status = statusOf(answer);
    assert(
      fuzz.allowed.includes(status),
      `${where}\ngot ${status}: ${answer.slice(0, 300)}`,
    );
    for (const leak of [MARKER, "<script", "\u001b", "\u202E", "Internal"]) {
      assertFalse(answer.includes(leak), `${where}\n${answer}`);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (sent < REQUESTS) {
          const index = sent++;
          const fuzz = next();
          counts.set(fuzz.kind, (counts.get(fuzz.kind) ?? 0) + 1);
          await run(index, fuzz);
        }
      }),
    );
    assertEquals(sent, REQUESTS);
    assert(counts.size >= 14, `only ${[...counts.keys()]}`);
    // held connections are still open: the real callback goes through
    const page = await visit(child.url);
    assertEquals(page.status, 200);
  } finally {
    for (const conn of held) conn.close();
  }
  const { code, stdout, stderr } = await child.finish();
  assertEquals(stderr, "", "the sign-in printed to stderr");
  assertEquals(stdout, "token chat:read\n");
  assertEquals(code, 0);
});
