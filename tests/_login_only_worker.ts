// A Cloudflare Worker that uses only the login handler, as most edge users
// will: what it bundles to is what they pay for (see bundle_size_test.ts).
import { createTwitchLoginHandler } from "../web.ts";

interface Env {
  TWITCH_CLIENT_ID: string;
  TWITCH_CLIENT_SECRET: string;
  TWITCH_REDIRECT_URL: string;
  COOKIE_SECRET: string;
}

let login: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    login ??= createTwitchLoginHandler({
      clientId: env.TWITCH_CLIENT_ID,
      clientSecret: env.TWITCH_CLIENT_SECRET,
      redirectUri: env.TWITCH_REDIRECT_URL,
      cookieSecret: env.COOKIE_SECRET,
      onSuccess: ({ user }) => new Response(`Hello ${user.preferred_username}`),
    });
    return login(request);
  },
};
