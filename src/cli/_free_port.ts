/**
 * A free loopback port for a server started a moment later: the demo's
 * callback server, and the servers of the tests (tests/_util.ts).
 *
 * @module
 */

/**
 * A loopback port nobody listens on, picked below the usual ephemeral range
 * (32768 and up on Linux) so that no outgoing connection or port-0 listener
 * takes it before the server binds it.
 *
 * @returns The port number.
 */
export function freeLoopbackPort(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // taken: try another
    }
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}
