/**
 * Sign in on a machine without a browser (a server, a container, SSH): the
 * authorize URL is handed to you instead of opened, so you can open it on
 * another device. The redirect must still reach this machine's
 * localhost:17563, e.g. through `ssh -L 17563:localhost:17563 server`.
 *
 *   TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=... deno run -A examples/headless.ts
 *
 * @module
 */

// In your project: import { ... } from "jsr:@x/twitch-auth";
import {
  AccessDeniedError,
  TimeoutError,
  Twitch,
  UserAuthenticator,
} from "../mod.ts";

const env = (name: string) => Deno.env.get(name) || undefined;

const twitch = new Twitch(
  env("TWITCH_CLIENT_ID") ?? "",
  env("TWITCH_CLIENT_SECRET"),
  {
    authBaseUrl: env("TWITCH_AUTH_BASE_URL"),
  },
);
const auth = new UserAuthenticator(twitch, ["chat:read", "chat:edit"], {
  url: env("TWITCH_REDIRECT_URL"),
});

try {
  const token = await auth.authenticate({
    useBrowser: false,
    // send it to your phone, print a QR code, ...; here: stderr
    authUrlCallback: (url) => console.error(`Open this on any device:\n${url}`),
    timeout: 5 * 60_000,
  });
  console.log(
    `Got a token for ${token.scopes.join(" ")}, valid until ${
      new Date(token.expiresAt).toISOString()
    }`,
  );
} catch (error) {
  if (error instanceof AccessDeniedError || error instanceof TimeoutError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}
