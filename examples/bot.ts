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
  validateToken,
} from "../mod.ts";

const env = (name: string) => Deno.env.get(name) || undefined;
const HOUR = 3_600_000;

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

// Twitch audits that apps validate their tokens every hour. A failed check
// (Twitch down, network gone) is logged and tried again next hour.
const hourly = setInterval(async () => {
  try {
    const token = await twitch.getUserAuthToken();
    const result = await validateToken(token, twitch.requestOptions());
    if ("status" in result) await twitch.refreshUserToken();
  } catch (error) {
    if (error instanceof InvalidRefreshTokenError) {
      console.error(
        "The tokens were revoked: restart the bot to sign in again.",
      );
      Deno.exit(1);
    }
    console.error(
      `Hourly token check failed, retrying in an hour: ${
        (error as Error).message
      }`,
    );
  }
}, HOUR);

Deno.addSignalListener("SIGINT", () => {
  clearInterval(hourly);
  storage.unbind();
  console.log("Bot stopped.");
  Deno.exit(0);
});

const { data: [me] } = await (await twitch.fetch("users")).json();
console.log(`Bot ready as ${me.login}; tokens kept in ${storage.path}`);
