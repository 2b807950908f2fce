/**
 * A long-running bot on the token the command line got for it: it starts
 * from the file `twitch-auth --format json --output` wrote, keeps that file
 * fresh through a `Twitch` on a `FileTokenStore` (every refresh is written back to it,
 * 0600, atomically, under a file lock), validates the token at start and
 * every hour as Twitch requires, and stops cleanly on Ctrl+C. No browser is
 * needed on the bot's machine: `device` signs in on any phone.
 *
 *   twitch-auth device -s chat:read,chat:edit --format json --output bot_token.json
 *   TWITCH_CLIENT_ID=... deno run -A examples/bot.ts
 *
 * TWITCH_CLIENT_SECRET (a confidential client; a public one needs none; a
 * token from the browser sign-in, `twitch-auth token`, needs it to be
 * refreshed, and the bot says so at start when it is missing),
 * TWITCH_TOKEN_FILE (default bot_token.json), TWITCH_AUTH_BASE_URL and
 * TWITCH_HELIX_BASE_URL (a mock) point it elsewhere.
 *
 * @module
 */

// In your project: import { ... } from "jsr:@x/twitch-auth";
import {
  FileTokenStore,
  InvalidClientError,
  InvalidRefreshTokenError,
  MissingClientSecretError,
  MissingScopeError,
  Twitch,
  TwitchAuthError,
} from "../mod.ts";

const env = (name: string) => Deno.env.get(name) || undefined;
const path = env("TWITCH_TOKEN_FILE") ?? "bot_token.json";
const scopes = ["chat:read", "chat:edit"];
const signIn =
  `twitch-auth device -s ${scopes.join()} --format json --output ${path}`;

try {
  // The token the CLI wrote sits at the file's top level: the user a Twitch
  // keeps under its default userKey. The app object keeps no token of its
  // own: it reads the file, refreshes the token when it expires or Twitch
  // refuses it (one refresh, even with several bot processes on the file),
  // writes it back before using it, and validates it every hour with a
  // timer that does not keep the process alive.
  const twitch = new Twitch(
    env("TWITCH_CLIENT_ID") ?? "",
    env("TWITCH_CLIENT_SECRET"),
    {
      authBaseUrl: env("TWITCH_AUTH_BASE_URL"),
      helixBaseUrl: env("TWITCH_HELIX_BASE_URL"),
      store: new FileTokenStore(path),
    },
  );
  if (!(await twitch.getUserToken())) {
    stop(`No token in ${path}: get one with\n  ${signIn}`);
  }
  // A refresh that fails: the sign-in was revoked (only a new one helps),
  // the app's secret is missing or wrong (only a restart with the right one
  // helps), or Twitch could not be reached (tried again at the next use or
  // check, after a backoff).
  twitch.onUserAuthRefreshFailure((error) => {
    if (error instanceof InvalidRefreshTokenError) {
      stop(`The tokens were revoked: get new ones with\n  ${signIn}`);
    }
    if (
      error instanceof MissingClientSecretError ||
      error instanceof InvalidClientError
    ) stop(error.message);
    console.error(`Refreshing the token failed, will retry: ${error.message}`);
  });
  // Twitch's check at start (hourly after): refreshed if refused. A token
  // from the browser sign-in (twitch-auth token) needs TWITCH_CLIENT_SECRET
  // to be refreshed: without it, this fails now with a
  // MissingClientSecretError, not hours later at the first refresh.
  await twitch.validateUserToken(scopes).catch((error) => {
    if (!(error instanceof MissingScopeError)) throw error;
    stop(
      `The token lacks ${
        error.missing.join(", ")
      }: get a new one with\n  ${signIn}`,
    );
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
    console.log("Bot stopped.");
    Deno.exit(0);
  });

  const response = await twitch.fetch("users");
  if (!response.ok) stop(`Helix answered ${response.status}: try again later`);
  const { data: [me] } = await response.json();
  console.log(`Bot ready as ${me.login}; tokens kept in ${path}`);
} catch (error) {
  // Expected failures (a damaged file, no client id, a revoked token, no
  // network) say what to do; anything else is a bug worth its stack trace.
  if (!(error instanceof TwitchAuthError)) throw error;
  stop(error.message);
}

function stop(message: string): never {
  console.error(message);
  Deno.exit(1);
}
