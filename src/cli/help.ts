/**
 * The command line's help text and version.
 *
 * @module
 */

import denoJson from "../../deno.json" with { type: "json" };

/** The program name shown in messages. */
export const PROGRAM = "twitch-auth";

/** How to run the program from JSR. */
const RUN = "deno run -A jsr:@x/twitch-auth";

/**
 * The version line, from `deno.json`.
 *
 * @returns `"@x/twitch-auth 1.2.3"`.
 */
export function versionText(): string {
  return `${denoJson.name} ${denoJson.version}\n`;
}

/**
 * The help text: commands, options, examples and exit codes.
 *
 * @returns The text for `--help`.
 */
export function helpText(): string {
  return `${PROGRAM} ${denoJson.version}: get a Twitch user access token on your own machine.
Approve in the browser, the redirect comes back to http://localhost:17563,
the tokens are printed. No web site in between.

Usage:
  ${RUN} [COMMAND] [OPTIONS]

Commands:
  token                    User token through the browser sign-in (default)
  app                      App access token (client credentials)
  validate [TOKEN]         Show a token's client id, login, user id, scopes, expiry
  refresh [REFRESH_TOKEN]  New access token from a refresh token
  revoke [TOKEN]           Revoke a token
  scopes                   List every scope and what it grants

  A TOKEN or REFRESH_TOKEN of "-" is read from stdin, so it stays out of the
  shell history; left out, it is read from stdin when that is a pipe, or
  asked for (hidden) on a terminal.

Options:
  --client-id ID          The app's client id (env TWITCH_CLIENT_ID)
  --client-secret SECRET  The app's client secret. Better: set TWITCH_CLIENT_SECRET,
                          or leave it out and type it at the hidden prompt, so it
                          stays out of the shell history
  -s, --scopes SCOPES     Scopes to ask for, separated by spaces or commas;
                          repeatable (see the scopes command)
  --force-verify          Make Twitch ask again even if you approved before
  --port PORT             Port of the local callback server (default 17563, or the
                          redirect URL's port)
  --host HOST             Address the callback server listens on (default loopback)
  --redirect-url URL      The OAuth Redirect URL registered for the app
                          (default http://localhost:PORT)
  --no-browser            Print the sign-in URL instead of opening a browser
  --browser CMD           Command that opens the URL, such as "firefox --new-window"
                          (default $BROWSER, else the system's)
  --auth-base-url URL     Twitch's OAuth base URL (env TWITCH_AUTH_BASE_URL;
                          default https://id.twitch.tv/oauth2)
  --format FORMAT         text (default), json (Twitch's field names) or env
                          (TWITCH_ACCESS_TOKEN=... lines for a .env file)
  --output FILE           Write the result to FILE, readable by you only (mode 0600),
                          instead of stdout
  --timeout SECONDS       Give up after this long (default: 600 for the sign-in,
                          30 per request to Twitch)
  --demo                  Try it all with no Twitch account and no network: a local
                          mock Twitch with a demo app (approves by itself with
                          --no-browser or when no browser opens)
  -h, --help              Show this help
  -V, --version           Show the version

Examples:
  Try it without a Twitch account:
    ${RUN} --demo --no-browser

  Sign in asking for chat scopes, save the tokens in .env for a bot:
    export TWITCH_CLIENT_ID=your_client_id TWITCH_CLIENT_SECRET=your_secret
    ${RUN} -s chat:read,chat:edit --format env --output .env

  Get the tokens as Twitch's JSON:
    ${RUN} token -s "user:read:email bits:read" --format json

  Check a token without typing it on the command line:
    printenv TWITCH_ACCESS_TOKEN | ${RUN} validate -

  Refresh, then revoke:
    ${RUN} refresh - < refresh_token.txt
    ${RUN} revoke -

Set up an app at https://dev.twitch.tv/console/apps with the OAuth Redirect URL
http://localhost:17563. The result goes to stdout, messages to stderr.

Exit codes: 0 success, 1 the sign-in or Twitch refused or failed, 2 usage error,
130 interrupted (Ctrl+C).
`;
}
