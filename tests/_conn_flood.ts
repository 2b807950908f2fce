// A flood of idle connections, in its own process so that its file
// descriptors are its own. Args: port, count, hold (ms). Opens `count`
// connections to 127.0.0.1:port, sending nothing, reads on each, and
// `hold` ms after the last one opened prints one JSON line:
// {"opened": n, "open": m, "failed": k}, where `open` counts the
// connections the server had not closed (client side: no end of stream, no
// reset). Then exits, closing them all.

const [port, count, hold] = Deno.args.map(Number);
const conns: Deno.Conn[] = [];
let closed = 0;
let failed = 0;

async function watch(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(1024);
  try {
    while (await conn.read(buffer) !== null) {
      // an answer: the server closes right after
    }
  } catch {
    // reset: closed too
  }
  closed++;
}

await Promise.all(
  Array.from({ length: count }, async () => {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conns.push(conn);
      watch(conn);
    } catch {
      failed++;
    }
  }),
);
await new Promise((resolve) => setTimeout(resolve, hold));
console.log(JSON.stringify({
  opened: conns.length,
  open: conns.length - closed,
  failed,
}));
Deno.exit(0);
