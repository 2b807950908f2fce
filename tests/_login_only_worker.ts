// A Cloudflare Worker that uses only the login handler, as most edge users
// will: what it bundles to is what they pay for (bundle_size_test.ts). Its
// bindings are named as the handler's options.
import {
  createTwitchLoginHandler,
  type TwitchLoginHandlerOptions,
} from "../web.ts";

type Env = Omit<TwitchLoginHandlerOptions, "onSuccess">;

let login: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    login ??= createTwitchLoginHandler({
      ...env,
      onSuccess: ({ user }) => new Response(`Hello ${user.preferred_username}`),
    });
    return login(request);
  },
};
