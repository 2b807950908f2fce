// The helpers against hostile and broken servers on loopback: a server that
// echoes the request into its error text, endless answers, failing polls,
// and malformed tokens and timeouts from the caller.

import {
  assert,
  assertEquals,
  assertFalse,
  assertInstanceOf,
  assertLess,
  assertStringIncludes,
} from "@std/assert";
import {
  AccessToken,
  CancelledError,
  type DeviceAuthorizationData,
  exchangeCode,
  getAppAccessToken,
  getUserInfo,
  InvalidArgumentError,
  InvalidResponseError,
  refreshAccessToken,
  type RequestOptions,
  revokeToken,
  startDeviceAuthorization,
  TimeoutError,
  Twitch,
  TwitchApiError,
  UserAuthenticator,
  validateToken,
  waitForDeviceToken,
} from "../mod.ts";
import { withinHangBound } from "./_raw_http.ts";

const CLIENT_ID = "hardening0client0id00000000000";
const CLIENT_SECRET = "s3cret0client0secret0000000001";
const REFRESH_TOKEN = "r3fresh0token0secret0000000002";
const CODE = "auth0code0secret00000000000003";
const DEVICE_CODE = "dev1ce0code0secret000000000004";
const ACCESS_TOKEN = "acc3ss0token0secret00000000005";
const SECRETS = [
  CLIENT_SECRET,
  REFRESH_TOKEN,
  CODE,
  DEVICE_CODE,
  ACCESS_TOKEN,
];

/** A loopback server answering every request with `answer`; counts requests. */
function serve(
  answer: (request: Request, body: string) => Response | Promise<Response>,
) {
  const seen: string[] = [];
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      onError: () => new Response(null, { status: 500 }),
    },
    async (request) => {
      const body = await request.text();
      seen.push(`${request.method} ${new URL(request.url).pathname} ${body}`);
      return answer(request, body);
    },
  );
  return {
    seen,
    options: { authBaseUrl: `http://127.0.0.1:${server.addr.port}/oauth2` },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function device(
  overrides: Partial<DeviceAuthorizationData> = {},
): DeviceAuthorizationData {
  return {
    deviceCode: DEVICE_CODE,
    userCode: "ABCDEFGH",
    verificationUri: "http://127.0.0.1/activate",
    expiresIn: 30,
    interval: 0.01,
    scopes: ["chat:read"],
    obtainedAt: Date.now(),
    ...overrides,
  };
}

/** The eight helpers, each sending every secret it takes. */
const HELPERS: Record<string, (options: RequestOptions) => Promise<unknown>> = {
  exchangeCode: (o) =>
    exchangeCode(CLIENT_ID, CLIENT_SECRET, CODE, "http://localhost:17563", o),
  refreshAccessToken: (o) =>
    refreshAccessToken(REFRESH_TOKEN, CLIENT_ID, CLIENT_SECRET, o),
  getAppAccessToken: (o) => getAppAccessToken(CLIENT_ID, CLIENT_SECRET, o),
  validateToken: (o) => validateToken(ACCESS_TOKEN, o),
  revokeToken: (o) => revokeToken(CLIENT_ID, ACCESS_TOKEN, o),
  getUserInfo: (o) => getUserInfo(ACCESS_TOKEN, o),
  startDeviceAuthorization: (o) =>
    startDeviceAuthorization(CLIENT_ID, ["chat:read"], o),
  waitForDeviceToken: (o) =>
    waitForDeviceToken(CLIENT_ID, device({ expiresIn: 0.3 }), o),
};

const HOSTILE =
  "<b>x</b> \u001b[31mred\u0007 \u202Eevil\u202C \u2066iso\u2069 ";

Deno.test("helpers: no secret they sent, no control or bidi character, no 50 kB text reaches an error", async () => {
  for (const status of [400, 401, 403, 500]) {
    await using server = serve((request, body) => {
      const echo = `${HOSTILE}${body} ${decodeURIComponent(body)} ${
        request.headers.get("Authorization")
      } ${"x".repeat(50_000)}`;
      return Response.json({
        status,
        message: echo,
        error: echo,
        error_description: echo,
      }, { status });
    });
    for (const [name, helper] of Object.entries(HELPERS)) {
      const outcome = await helper(server.options).catch((error) => error);
      const shown = `${Deno.inspect(outcome, { depth: 10 })} ${
        outcome instanceof Error ? outcome.message : ""
      } ${JSON.stringify(outcome)}`;
      for (const secret of SECRETS) {
        assertFalse(
          shown.includes(secret),
          `${name}, HTTP ${status}: ${shown}`,
        );
        assertFalse(shown.includes(secret.slice(0, 20)), `${name}: ${shown}`);
      }
      for (const bad of ["\u202E", "\u2066", "\u001b", "\u0007"]) {
        assertFalse(shown.includes(bad), `${name}, HTTP ${status}: ${shown}`);
      }
      assertLess(shown.length, 20_000, `${name}, HTTP ${status}`);
      if (outcome instanceof TwitchApiError) {
        assertLess(outcome.twitchMessage.length, 400);
      }
    }
    assert(server.seen.length >= 8);
  }
});

Deno.test("helpers: a token with characters no token has is an InvalidArgumentError, and nothing is sent", async () => {
  await using server = serve(() => Response.json({}, { status: 500 }));
  const o = server.options;
  for (
    const bad of [
      "abc\r\nX-Injected: 1",
      "abc\0def",
      "t\u00f6k\u20acn",
      "\u00ff\u00fe\u0001binary",
      "two words",
    ]
  ) {
    const calls: [string, () => Promise<unknown>][] = [
      ["validateToken", () => validateToken(bad, o)],
      ["getUserInfo", () => getUserInfo(bad, o)],
      ["revokeToken", () => revokeToken(CLIENT_ID, bad, o)],
      [
        "refreshAccessToken",
        () => refreshAccessToken(bad, CLIENT_ID, CLIENT_SECRET, o),
      ],
      [
        "exchangeCode secret",
        () => exchangeCode(CLIENT_ID, bad, CODE, "http://localhost:17563", o),
      ],
      [
        "exchangeCode code",
        () =>
          exchangeCode(
            CLIENT_ID,
            CLIENT_SECRET,
            bad,
            "http://localhost:17563",
            o,
          ),
      ],
      ["getAppAccessToken", () => getAppAccessToken(CLIENT_ID, bad, o)],
      [
        "waitForDeviceToken",
        () => waitForDeviceToken(CLIENT_ID, device({ deviceCode: bad }), o),
      ],
    ];
    for (const [name, call] of calls) {
      const error = (await call().catch((e) => e)) as Error;
      assertInstanceOf(error, InvalidArgumentError, `${name}: ${error}`);
      assertStringIncludes(
        error.message,
        "contains characters a token cannot have",
      );
      assertFalse(error.message.includes(bad), error.message);
    }
  }
  assertEquals(server.seen, []);
});

Deno.test("helpers: a timeout is honoured or refused: nothing under 1 ms, nothing a timer cannot hold", async () => {
  await using server = serve(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return Response.json({ client_id: CLIENT_ID, scopes: [], expires_in: 100 });
  });
  for (const timeout of [2 ** 31, 1e12, 0.0001, 0, -5, NaN, -Infinity]) {
    const error = await validateToken(ACCESS_TOKEN, {
      ...server.options,
      timeout,
    })
      .catch((e) => e);
    assertInstanceOf(error, InvalidArgumentError, `timeout ${timeout}`);
    assertStringIncludes(error.message, "from 1 to 2147483647");
    const wait = await waitForDeviceToken(CLIENT_ID, device(), {
      ...server.options,
      timeout,
    })
      .catch((e) => e);
    assertInstanceOf(wait, InvalidArgumentError, `timeout ${timeout}`);
  }
  assertEquals(server.seen, []);
  for (const timeout of [Infinity, 2 ** 31 - 1, 1000]) {
    const result = await validateToken(ACCESS_TOKEN, {
      ...server.options,
      timeout,
    });
    assertEquals("client_id" in result && result.client_id, CLIENT_ID);
  }
  const error = await validateToken(ACCESS_TOKEN, {
    ...server.options,
    timeout: 1,
  })
    .catch((e) => e);
  assertInstanceOf(error, TimeoutError);
});

Deno.test("authenticate: a timeout outside 1 ms..2^31-1 ms is refused; Infinity waits", async () => {
  const twitch = new Twitch(CLIENT_ID, CLIENT_SECRET);
  const auth = new UserAuthenticator(twitch, ["chat:read"], {
    url: "http://localhost:1",
    port: 0,
  });
  for (const timeout of [2 ** 31, 1e12, 0.0001, 0, -5, NaN]) {
    const error = await auth.authenticate({
      useBrowser: false,
      authUrlCallback: () => {},
      timeout,
    }).catch((e) => e);
    assertInstanceOf(error, InvalidArgumentError, `timeout ${timeout}`);
    assertStringIncludes(error.message, "Infinity for no timeout");
  }
  const waiting = auth.authenticate({
    useBrowser: false,
    authUrlCallback: () => {
      setTimeout(() => auth.stop(), 100);
    },
    timeout: Infinity,
  }).catch((e) => e);
  assertInstanceOf(await waiting, CancelledError); // not a TimeoutError at once
});

Deno.test("helpers: an answer over 1 MB is an InvalidResponseError and the rest is never read", async () => {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  await using server = serve(() =>
    new Response(
      new ReadableStream({
        pull(controller) {
          if (pulled >= 200 * 1024 * 1024) return controller.close();
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      }),
      { headers: { "Content-Type": "application/json" } },
    )
  );
  const error = await validateToken(ACCESS_TOKEN, server.options).catch((e) =>
    e
  );
  assertInstanceOf(error, InvalidResponseError);
  assertLess(pulled, 32 * 1024 * 1024, `${pulled} bytes were produced`);
});

Deno.test("helpers: a small compressed answer that decodes to over 1 MB is an InvalidResponseError", async () => {
  // A valid answer padded to 4 MB, gzipped to a few kB: the declared length
  // is small, what the client decodes is not.
  const answer = JSON.stringify({
    client_id: CLIENT_ID,
    login: "twitchdev",
    scopes: [],
    user_id: "141981764",
    expires_in: 3600,
    padding: " ".repeat(4 * 1024 * 1024),
  });
  const gzipped = new Uint8Array(
    await new Response(
      new Blob([answer]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  assertLess(gzipped.length, 64 * 1024);
  await using server = serve(() =>
    new Response(gzipped, {
      headers: {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        "Content-Length": String(gzipped.length),
      },
    })
  );
  const error = await validateToken(ACCESS_TOKEN, server.options).catch((e) =>
    e
  );
  assertInstanceOf(error, InvalidResponseError);
});

Deno.test("helpers: a Content-Length over 1 MB is refused before the body comes", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const served = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    await conn.write(new TextEncoder().encode(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n{",
    ));
    return conn; // and never sends the rest
  })();
  try {
    const error = await withinHangBound(
      validateToken(ACCESS_TOKEN, {
        authBaseUrl: `http://127.0.0.1:${port}/oauth2`,
        timeout: 60_000,
      }).catch((e) => e),
      "refusing the answer",
    );
    assertInstanceOf(error, InvalidResponseError);
  } finally {
    (await served).close();
    listener.close();
  }
});

Deno.test("waitForDeviceToken polls on through 5xx answers and network errors until the user approves", async () => {
  let polls = 0;
  const token = {
    access_token: ACCESS_TOKEN,
    refresh_token: REFRESH_TOKEN,
    expires_in: 14400,
    scope: ["chat:read"],
    token_type: "bearer",
  };
  await using server = serve(() => {
    polls++;
    if (polls === 1) return Response.json({ message: "oops" }, { status: 503 });
    if (polls === 2) {
      // a network error: the answer breaks off mid-body
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"acc'));
            controller.error(new Error("cut"));
          },
        }),
        { headers: { "Content-Type": "application/json" } },
      );
    }
    if (polls === 3) {
      return new Response("<html>Bad gateway</html>", { status: 502 });
    }
    if (polls === 4) {
      return Response.json({ status: 400, message: "authorization_pending" }, {
        status: 400,
      });
    }
    return Response.json(token);
  });
  const result = await waitForDeviceToken(CLIENT_ID, device(), server.options);
  assertInstanceOf(result, AccessToken);
  assertEquals(result.accessToken, ACCESS_TOKEN);
  assertEquals(polls, 5);
});

Deno.test("waitForDeviceToken: a Twitch that keeps failing ends when the code expires", async () => {
  await using server = serve(() =>
    Response.json({ message: "down" }, { status: 503 })
  );
  const error = await waitForDeviceToken(
    CLIENT_ID,
    device({ expiresIn: 0.3 }),
    server.options,
  ).catch((e) => e);
  assertInstanceOf(error, TimeoutError);
  assert(server.seen.length >= 2, `${server.seen.length} polls`);
});
