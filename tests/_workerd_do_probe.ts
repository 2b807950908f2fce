// A second Worker beside examples/cloudflare_worker.ts in workerd, bound to
// the example's TwitchTokenObject namespace, for tests/cloudflare_test.ts:
//   POST /do/<name>         the body goes to the object <name> as it is (the
//                           store facade's protocol, so Deno can run a
//                           DurableObjectTokenStore against the real object)
//   GET  /token?user=<id>[&client=<id>][&name=<object>]
//                           a TokenProvider made for this request alone (as
//                           a fresh isolate would) on the object: the user's
//                           valid token, refreshed when expired
import {
  DurableObjectTokenStore,
  type TokenObjectNamespace,
} from "../cloudflare.ts";
import { TokenProvider } from "../web.ts";

interface Env {
  TOKENS: TokenObjectNamespace;
  TWITCH_CLIENT_ID: string;
  TWITCH_AUTH_BASE_URL: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/do/")) {
      const name = decodeURIComponent(url.pathname.slice("/do/".length));
      return await env.TOKENS.get(env.TOKENS.idFromName(name) as never)
        .fetch(request);
    }
    if (url.pathname === "/token") {
      using provider = new TokenProvider({
        clientId: url.searchParams.get("client") ?? env.TWITCH_CLIENT_ID,
        authBaseUrl: env.TWITCH_AUTH_BASE_URL,
        store: new DurableObjectTokenStore(env.TOKENS, {
          name: url.searchParams.get("name") ?? undefined,
        }),
      });
      try {
        const token = await provider.getAccessToken(
          url.searchParams.get("user") ?? "",
        );
        return Response.json({ accessToken: token.accessToken });
      } catch (error) {
        return Response.json({ error: String(error) }, { status: 500 });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
