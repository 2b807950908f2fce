/**
 * "Log in with Twitch" as a Cloudflare Worker, keeping each user's tokens in
 * a Durable Object. Bundle it for Workers
 * (`deno bundle --platform browser -o worker.js examples/cloudflare_worker.ts`)
 * and deploy `worker.js` with wrangler; set TWITCH_CLIENT_ID,
 * TWITCH_CLIENT_SECRET, TWITCH_REDIRECT_URL (`https://<worker>/callback`,
 * registered in the Twitch developer console) and COOKIE_SECRET (32+ random
 * bytes) as the worker's secrets and vars, and bind the object in
 * `wrangler.toml`:
 *
 * ```toml
 * [[durable_objects.bindings]]
 * name = "TOKENS"
 * class_name = "TwitchTokenObject"
 *
 * [[migrations]]
 * tag = "v1"
 * new_sqlite_classes = ["TwitchTokenObject"]
 * ```
 *
 * To run it on your machine in Cloudflare's own runtime first, with the
 * object's storage in a local folder, see `examples/workerd/config.capnp`.
 *
 * Any isolate can then keep a user's token valid with
 * `new TokenProvider({ clientId, clientSecret, store: new DurableObjectTokenStore(env.TOKENS) })`:
 * the object makes it one refresh per expiry across all of them.
 *
 * @module
 */

// In your project: import { ... } from "jsr:@x/twitch-auth/cloudflare" and "/web";
import {
  DurableObjectTokenStore,
  type TokenObjectNamespace,
} from "../cloudflare.ts";
import { createTwitchLoginHandler } from "../web.ts";

// The object that owns the tokens: the Workers runtime creates it.
export { TwitchTokenObject } from "../cloudflare.ts";

/** The worker's bindings. */
interface Env {
  TWITCH_CLIENT_ID: string;
  TWITCH_CLIENT_SECRET: string;
  TWITCH_REDIRECT_URL: string;
  COOKIE_SECRET: string;
  /** Optional: another Twitch, such as the mock in tests. */
  TWITCH_AUTH_BASE_URL?: string;
  /** The TwitchTokenObject namespace. */
  TOKENS: TokenObjectNamespace;
}

let login: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Bindings arrive with the first request; create the handler then.
    login ??= createTwitchLoginHandler({
      clientId: env.TWITCH_CLIENT_ID,
      clientSecret: env.TWITCH_CLIENT_SECRET,
      redirectUri: env.TWITCH_REDIRECT_URL,
      cookieSecret: env.COOKIE_SECRET,
      authBaseUrl: env.TWITCH_AUTH_BASE_URL,
      async onSuccess({ token, user }) {
        // The ID token was verified: user.sub is whose token this is.
        const store = new DurableObjectTokenStore(env.TOKENS);
        let written = null;
        while (!written) {
          const current = await store.get(user.sub);
          written = await store.set(user.sub, token, current?.version ?? null);
        }
        return new Response(
          `Hello ${user.preferred_username}: you logged in with Twitch.`,
        );
      },
    });
    return login(request);
  },
};
