/**
 * The seed's pyTwitchAPI example, in Deno: sign in through the browser, then
 * hand the tokens to the Twitch app object, which keeps them fresh.
 *
 *   TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=... deno run -A examples/user_token.ts
 *
 * Register http://localhost:17563 as an OAuth Redirect URL of the app in the
 * Twitch developer console first. TWITCH_AUTH_BASE_URL, TWITCH_HELIX_BASE_URL
 * and TWITCH_REDIRECT_URL point it elsewhere (the offline mock, for example).
 *
 * @module
 */

// In your project: import { ... } from "jsr:@x/twitch-auth";
import { AuthScope, Twitch, UserAuthenticator } from "../mod.ts";

const env = (name: string) => Deno.env.get(name) || undefined;

const twitch = new Twitch(
  env("TWITCH_CLIENT_ID") ?? "",
  env("TWITCH_CLIENT_SECRET"),
  {
    authBaseUrl: env("TWITCH_AUTH_BASE_URL"),
    helixBaseUrl: env("TWITCH_HELIX_BASE_URL"),
  },
);

const targetScope = [AuthScope.BITS_READ];
const auth = new UserAuthenticator(twitch, targetScope, {
  forceVerify: false,
  redirectUri: env("TWITCH_REDIRECT_URL"),
});
// this opens your default browser on Twitch's consent page
const { accessToken, refreshToken } = await auth.authenticate();
// add the user authentication: validated, and refreshed when needed from now on
await twitch.setUserAuthentication(accessToken, targetScope, refreshToken);

const users = await (await twitch.fetch("users")).json();
console.log(
  `Signed in as ${users.data[0].login} with ${
    (await twitch.getUserToken())?.scopes.join(" ")
  }`,
);
