// Serves the bundled edge app under Bun (Bun.serve) or Node (node:http):
// `bun|node _serve_edge_app.mjs BUNDLE` with the EdgeAppEnv fields in the
// environment and PORT; prints "listening" once it accepts connections.
import { pathToFileURL } from "node:url";

const { edgeApp } = await import(pathToFileURL(process.argv[2]).href);
const app = edgeApp(process.env);
const port = Number(process.env.PORT);

if (typeof Bun !== "undefined") {
  Bun.serve({ hostname: "127.0.0.1", port, fetch: app });
  console.log("listening");
} else {
  const { createServer } = await import("node:http");
  const server = createServer(async (req, res) => {
    const body = req.method === "GET" || req.method === "HEAD"
      ? undefined
      : req;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([name, value]) =>
        [value].flat().map((v) => [name, v])
      ),
      body,
      duplex: "half",
    });
    const response = await app(request);
    for (const [name, value] of response.headers) {
      if (name !== "set-cookie") res.setHeader(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    res.writeHead(response.status);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.listen(port, "127.0.0.1", () => console.log("listening"));
}
