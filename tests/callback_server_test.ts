// The callback server under connections that stall, malformed requests, and
// the endings of a sign-in: raw TCP clients against a real sign-in.

import {
  assert,
  assertEquals,
  assertFalse,
  assertInstanceOf,
  assertStringIncludes,
} from "@std/assert";
import {
  AccessDeniedError,
  AccessToken,
  AuthorizationError,
  CancelledError,
  TimeoutError,
} from "../mod.ts";
import { MAX_CONNECTIONS } from "../src/deno/_http_listener.ts";
import { visit } from "./_browser.ts";
import { startSignInChild } from "./_child.ts";
import {
  floodIdle,
  holdOpen,
  rawExchange,
  readToEnd,
  statusOf,
  withinHangBound,
} from "./_raw_http.ts";
import { signInByHand, startSignInApp } from "./_sign_in.ts";
import { authorizeCode, MALFORMED_HOSTS } from "./_util.ts";

function assertPortFree(port: number): void {
  Deno.listen({ hostname: "127.0.0.1", port }).close();
}

/** The request of the issue: a body announced and never sent. */
const STALLED_POST =
  "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n";

/** Connections a local program could hold while the sign-in waits. */
async function holdConnections(port: number): Promise<Deno.Conn[]> {
  return [
    await holdOpen(port, STALLED_POST),
    await holdOpen(port), // opens and sends nothing
    await holdOpen(port, "GET / HTTP/1.1\r\nHost: loc"), // half a head
    await holdOpen(
      port,
      "GET /?state=x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n",
    ),
  ];
}

type Ending =
  | "tokens"
  | "tokens, body never sent"
  | "denial"
  | "error"
  | "timeout"
  | "signal"
  | "stop()";

const ENDINGS: Ending[] = [
  "tokens",
  "tokens, body never sent",
  "denial",
  "error",
  "timeout",
  "signal",
  "stop()",
];

for (const ending of ENDINGS) {
  Deno.test(`authenticate: ends on ${ending} while connections stall, and drops them`, async () => {
    await using app = await startSignInApp(
      ending === "denial" ? "deny" : "approve",
    );
    const auth = app.authenticator();
    const url = Promise.withResolvers<string>();
    const controller = new AbortController();
    const flow = signInByHand(auth, {
      authUrlCallback: url.resolve,
      signal: controller.signal,
      timeout: ending === "timeout" ? 300 : 60_000,
    }).flow.then((token) => token, (error: Error) => error);
    const authorizeUrl = await url.promise;
    const state = new URL(authorizeUrl).searchParams.get("state")!;
    const held = await holdConnections(app.port);
    try {
      // the stalled POST is answered at once, its body never awaited
      const refused = new TextDecoder().decode(
        await withinHangBound(readToEnd(held[0]), "the 405 answer"),
      );
      assertEquals(statusOf(refused), 405);
      let page: Promise<unknown> = Promise.resolve();
      if (ending === "tokens" || ending === "denial") {
        page = visit(authorizeUrl);
      } else if (ending === "tokens, body never sent") {
        const code = await authorizeCode(app.mock, ["chat:read"], app.redirect);
        const conn = await holdOpen(
          app.port,
          `GET /?code=${code}&scope=chat%3Aread&state=${state} HTTP/1.1\r\nHost: localhost:${app.port}\r\nContent-Length: 1000000\r\n\r\n`,
        );
        held.push(conn);
      } else if (ending === "error") {
        page = visit(
          `${app.redirect}/?error=invalid_scope&error_description=bad&state=${state}`,
        );
      } else if (ending === "signal") {
        controller.abort(new Error("quit"));
      } else if (ending === "stop()") {
        auth.stop();
      }
      const result = await withinHangBound(flow, `the ${ending} ending`);
      await page;
      const expected = {
        "tokens": AccessToken,
        "tokens, body never sent": AccessToken,
        "denial": AccessDeniedError,
        "error": AuthorizationError,
        "timeout": TimeoutError,
        "signal": CancelledError,
        "stop()": CancelledError,
      }[ending];
      assertInstanceOf(result, expected as new (...args: never[]) => unknown);
      for (const conn of held) {
        await withinHangBound(readToEnd(conn), "dropping a held connection");
      }
      assertPortFree(app.port);
    } finally {
      auth.stop(); // when the test failed, end the sign-in it left
      for (const conn of held) conn.close();
      await flow;
    }
  });
}

Deno.test("callback server: a malformed Host is a 400 and the sign-in goes on, nothing printed", async () => {
  const child = await startSignInChild();
  for (const host of MALFORMED_HOSTS) {
    const answer = await rawExchange(
      child.port,
      `GET /?code=x&state=y HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    );
    assertEquals(statusOf(answer), 400, `Host: ${host}\n${answer}`);
  }
  const noHost = await rawExchange(child.port, "GET / HTTP/1.1\r\n\r\n");
  assertEquals(statusOf(noHost), 400);
  const foreign = await rawExchange(
    child.port,
    `GET / HTTP/1.1\r\nHost: evil.example:${child.port}\r\n\r\n`,
  );
  assertEquals(statusOf(foreign), 403);
  assertEquals((await visit(child.url)).status, 200);
  const { code, stdout, stderr } = await child.finish();
  assertEquals(stderr, "");
  assertEquals(stdout, "token chat:read\n");
  assertEquals(code, 0);
});

Deno.test("callback server: a repeated state or code is refused and the sign-in goes on", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const { url, flow } = signInByHand(auth);
  const real = await url;
  const state = new URL(real).searchParams.get("state")!;
  const code = await authorizeCode(app.mock, ["chat:read"], app.redirect);
  for (
    const query of [
      `code=${code}&state=${state}&state=other`,
      `code=${code}&state=other&state=${state}`,
      `code=${code}&code=${code}&state=${state}`,
      `error=a&error=access_denied&state=${state}`,
    ]
  ) {
    assertEquals((await visit(`${app.redirect}/?${query}`)).status, 400, query);
  }
  assertEquals((await visit(real)).status, 200);
  assert(await flow);
});

Deno.test("callback server: a head over 16 KiB is a 431; a request is never answered 500", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const { url, flow } = signInByHand(auth);
  const real = await url;
  const huge = await rawExchange(
    app.port,
    `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
  );
  assertEquals(statusOf(huge), 431);
  const cases = [
    "TRACE / HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "CONNECT localhost:1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET / HTTP/2.0\r\nHost: localhost\r\n\r\n",
    "GET /\u00ff HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n",
    "\r\n\r\n",
  ];
  for (const request of cases) {
    const answer = await rawExchange(app.port, request);
    assert([400, 405].includes(statusOf(answer)), `${request}\n${answer}`);
    assertFalse(answer.includes("Internal"), answer);
  }
  assertEquals((await visit(real)).status, 200);
  assert(await flow);
});

Deno.test("authenticate: the timeout message names the redirect URL to register", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const error = await signInByHand(auth, {
    authUrlCallback: () => {},
    timeout: 50,
  }).flow.catch((e) => e);
  assertInstanceOf(error, TimeoutError);
  assertStringIncludes(
    error.message,
    `if Twitch showed an error about the redirect URL, register exactly ${app.redirect} `,
  );
  assertStringIncludes(error.message, "Twitch developer console");
});

Deno.test("authenticate: text from the callback URL reaches errors without bidi or control characters, cut short", async () => {
  for (const error of ["access_denied", "invalid_scope"]) {
    await using app = await startSignInApp();
    const auth = app.authenticator();
    const url = Promise.withResolvers<string>();
    const flow = signInByHand(auth, {
      authUrlCallback: url.resolve,
      timeout: 30_000,
    }).flow.catch((e) => e);
    const state = new URL(await url.promise).searchParams.get("state")!;
    const description = `\u202Eevil\u202C \u2066x\u2069 \u001b[2J\u0085${
      "y".repeat(12_000) // the head of a request is cut at 16 KiB
    }`;
    await visit(
      `${app.redirect}/?error=${error}\u202E&error_description=${
        encodeURIComponent(description)
      }&state=${state}`,
    );
    const failure = await flow;
    assertInstanceOf(
      failure,
      error === "access_denied" ? AccessDeniedError : AuthorizationError,
    );
    for (const text of [failure.message, failure.description]) {
      for (
        const bad of [
          "\u202E",
          "\u202C",
          "\u2066",
          "\u2069",
          "\u001b",
          "\u0085",
        ]
      ) {
        assertFalse(text.includes(bad), JSON.stringify(text.slice(0, 80)));
      }
      assert(text.length < 1000, `${text.length} characters`);
    }
  }
});

Deno.test("callback server: past 128 open connections the oldest idle one is dropped (1,000 from another process: at most 128 open after 1 s), and the callback still gets through", async () => {
  await using app = await startSignInApp();
  const auth = app.authenticator();
  const { url, flow } = signInByHand(auth);
  const real = await url;
  const held: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 130; i++) held.push(await holdOpen(app.port, "GET /"));
    // the first one is dropped to make room
    await withinHangBound(
      readToEnd(held[0]),
      "dropping the oldest idle connection",
    );
    const { opened, open } = await floodIdle(app.port);
    assertEquals(opened, 1000);
    assert(open <= MAX_CONNECTIONS, `${open} of 1000 still open after 1 s`);
    assertEquals((await visit(real)).status, 200);
    assert(await flow);
  } finally {
    for (const conn of held) conn.close();
  }
});
