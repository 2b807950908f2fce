// The floor for the CLI's cold start: a Deno program that only listens on
// loopback and says so on stderr, as the CLI does when it waits for the
// browser. Run by tests/cli_bench.ts.
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () => new Response(),
);
console.error(`Open this URL: http://127.0.0.1:${server.addr.port}/`);
Deno.addSignalListener(
  "SIGINT",
  () => server.shutdown().then(() => Deno.exit(130)),
);
