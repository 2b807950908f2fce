/**
 * "Log in with Twitch" as a Cloudflare Worker. Bundle it for Workers
 * (`deno bundle --platform browser -o worker.js examples/cloudflare_worker.ts`)
 * and deploy `worker.js` with wrangler; set TWITCH_CLIENT_ID,
 * TWITCH_CLIENT_SECRET, TWITCH_REDIRECT_URL (`https://<worker>/callback`,
 * registered in the Twitch developer console) and COOKIE_SECRET (32+ random
 * bytes) as the worker's secrets and vars. A `TOKENS` KV namespace binding,
 * when present, keeps each user's tokens under their user id.
 *
 * @module
 */

// In your project: import { ... } from "jsr:@x/twitch-auth/web";
import { createTwitchLoginHandler } from "../web.ts";

/** The worker's bindings. */
interface Env {
  TWITCH_CLIENT_ID: string;
  TWITCH_CLIENT_SECRET: string;
  TWITCH_REDIRECT_URL: string;
  COOKIE_SECRET: string;
  /** Optional: another Twitch, such as the mock in tests. */
  TWITCH_AUTH_BASE_URL?: string;
  /** Optional: a Workers KV namespace for the users' tokens. */
  TOKENS?: { put(key: string, value: string): Promise<void> };
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
        await env.TOKENS?.put(user.sub, JSON.stringify(token));
        return new Response(
          `Hello ${user.preferred_username}: you logged in with Twitch.`,
        );
      },
    });
    return login(request);
  },
};
