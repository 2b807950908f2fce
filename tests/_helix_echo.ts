// A stand-in Helix endpoint that takes a request body (the mock Twitch has
// only GET /helix/users): POST /helix/echo reads the whole body, asks the
// mock's /validate whether the Bearer token is live, and answers 401 like
// Helix, or 200 with the body's length and text.

import type { MockTwitch } from "../testing.ts";

export interface HelixEcho extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/helix`. */
  readonly helixBaseUrl: string;
  /** The bodies received, in order, with the answer each got. */
  readonly received: { bytes: number; status: number }[];
}

export function startHelixEcho(mock: MockTwitch): HelixEcho {
  const received: { bytes: number; status: number }[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = new Uint8Array(await request.arrayBuffer());
      const token = (request.headers.get("Authorization") ?? "").replace(
        /^Bearer /,
        "",
      );
      const check = await fetch(`${mock.authBaseUrl}/validate`, {
        headers: { Authorization: `OAuth ${token}` },
      });
      await check.body?.cancel();
      const status = check.ok ? 200 : 401;
      received.push({ bytes: body.byteLength, status });
      if (!check.ok) {
        return Response.json({ status: 401, message: "Invalid OAuth token" }, {
          status: 401,
        });
      }
      return Response.json({
        bytes: body.byteLength,
        text: body.byteLength < 1000 ? new TextDecoder().decode(body) : "",
      });
    },
  );
  return {
    helixBaseUrl: `http://127.0.0.1:${server.addr.port}/helix`,
    received,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** A stream of `total` bytes in chunks of `chunk`. */
export function byteStream(
  total: number,
  chunk = 64 * 1024,
): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunk, total - sent);
      controller.enqueue(new Uint8Array(size).fill(97));
      sent += size;
    },
  });
}

/** A stream of the given text chunks. */
export function textStream(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}
