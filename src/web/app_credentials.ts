/**
 * An app's credentials as a small object bound once, Arctic-style: what a
 * sign-in needs without a whole `Twitch` (no token keeping, no
 * timers).
 *
 * @module
 */

/**
 * The app a sign-in is for: its client id and secret, and where Twitch is.
 * `UserAuthenticator` takes this or a `Twitch`.
 *
 * @example Sign in without building a `Twitch`
 * ```ts ignore
 * import { type AppCredentials, UserAuthenticator } from "@x/twitch-auth";
 *
 * const app: AppCredentials = {
 *   clientId: Deno.env.get("TWITCH_CLIENT_ID")!,
 *   clientSecret: Deno.env.get("TWITCH_CLIENT_SECRET"),
 *   timeout: 10_000, // for each call to Twitch
 * };
 * const token = await new UserAuthenticator(app, ["chat:read"]).authenticate();
 * console.log(token.scopes);
 * ```
 */
export interface AppCredentials {
  /** The app's client id. */
  readonly clientId: string;
  /** The app's client secret; leave it out for a public client. */
  readonly clientSecret?: string;
  /** Twitch's OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  readonly authBaseUrl?: string;
  /** Milliseconds each call to Twitch may take. Default 30 000. */
  readonly timeout?: number;
  /** The `fetch` to use. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}
