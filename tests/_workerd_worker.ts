// The Cloudflare Worker the workerd test bundles: the edge app on `env`.
import { edgeApp, type EdgeAppEnv } from "./_edge_app.ts";

let app: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: EdgeAppEnv): Promise<Response> {
    app ??= edgeApp(env);
    return app(request);
  },
};
