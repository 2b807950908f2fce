/**
 * A long-running bot's token handling: sign in once (the browser opens only
 * the first time), keep the tokens in a 0600 file that every refresh
 * updates, validate every hour as Twitch requires, stop cleanly on Ctrl+C.
 *
 *   TWITCH_CLIENT_ID=... TWITCH_CLIENT_SECRET=... deno run -A examples/bot.ts
 *
 * TWITCH_TOKEN_FILE (default user_token.json), TWITCH_AUTH_BASE_URL,
 * TWITCH_HELIX_BASE_URL and TWITCH_REDIRECT_URL point it elsewhere.
 *
 * @module
 */

// In your project: import { ... } from "jsr:@x/twitch-auth";
import {
  AuthScope,
  InvalidRefreshTokenError,
  Twitch,
  UserTokenStorage,
} from "../mod.ts";

const env = (name: string) => Deno.env.get(name) || undefined;

// Twitch validates the token when it is set and then every hour (as Twitch
// requires), refreshes it when it expires or Twitch refuses it, and
// UserTokenStorage writes every new token to the file. None of that keeps
// the process alive or needs stopping.
const twitch = new Twitch(
  env("TWITCH_CLIENT_ID") ?? "",
  env("TWITCH_CLIENT_SECRET"),
  {
    authBaseUrl: env("TWITCH_AUTH_BASE_URL"),
    helixBaseUrl: env("TWITCH_HELIX_BASE_URL"),
  },
);
const storage = new UserTokenStorage(twitch, [
  AuthScope.CHAT_READ,
  AuthScope.CHAT_EDIT,
], {
  path: env("TWITCH_TOKEN_FILE"),
  authenticator: { url: env("TWITCH_REDIRECT_URL") },
});
await storage.bind();

// A refresh that fails: the sign-in was revoked (only a new one helps), or
// Twitch could not be reached (tried again at the next use or check).
twitch.onUserAuthRefreshFailure((error) => {
  if (error instanceof InvalidRefreshTokenError) {
    console.error("The tokens were revoked: restart the bot to sign in again.");
    Deno.exit(1);
  }
  console.error(`Refreshing the token failed, will retry: ${error.message}`);
});

// The bot's own work keeps it running; a Helix call every five minutes
// stands in here for a chat connection.
const work = setInterval(async () => {
  try {
    await (await twitch.fetch("users")).body?.cancel();
  } catch (error) {
    console.error(`Helix call failed: ${(error as Error).message}`);
  }
}, 5 * 60_000);

Deno.addSignalListener("SIGINT", () => {
  clearInterval(work);
  storage.unbind();
  console.log("Bot stopped.");
  Deno.exit(0);
});

const { data: [me] } = await (await twitch.fetch("users")).json();
console.log(`Bot ready as ${me.login}; tokens kept in ${storage.path}`);
