/**
 * `token`: the browser sign-in from the command line. The callback server
 * starts, the browser opens on the scope picker (no `-s`) or on Twitch's
 * consent page, or the URL is printed; a progress line runs on a terminal;
 * in demo mode without a browser the mock approves by itself.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { TimeoutError, TwitchAuthError } from "../web/errors.ts";
import { DEFAULT_AUTH_BASE_URL } from "../web/_request.ts";
import { openBrowser, type OpenedBrowser } from "../deno/_open_browser.ts";
import { UserAuthenticator } from "../deno/user_authenticator.ts";
import type {
  FirstPage,
  FirstPageContext,
} from "../deno/user_authenticator.ts";
import type { Demo } from "./_demo.ts";
import type { AppCredentials } from "../web/app_credentials.ts";
import type { CliIo } from "./_io.ts";
import { type CliOptions, UsageError } from "./_options.ts";
import { ProgressLine } from "./_progress.ts";
import {
  type CliContext,
  messageOf,
  remember,
  type TargetContext,
} from "./_run.ts";

/** What `--demo` asks for when no `--scopes` are given: a chat bot's scopes. */
export const DEMO_SCOPES: readonly string[] = ["chat:read", "chat:edit"];

/** Where a redirect URL is registered. */
const CONSOLE = "https://dev.twitch.tv/console/apps";

/**
 * Why no browser can open here, or `undefined` when one can: Linux without
 * `DISPLAY` or `WAYLAND_DISPLAY`, or an SSH session. A `--browser` command or
 * `BROWSER` counts as a browser.
 *
 * @param options The command line (`--browser`).
 * @param io The environment.
 * @param os The operating system.
 * @returns The reason, for a message.
 */
export function noBrowserReason(
  options: CliOptions,
  io: CliIo,
  os: string = Deno.build.os,
): string | undefined {
  if (typeof options.browser === "string" || io.env("BROWSER")) {
    return undefined;
  }
  if (io.env("SSH_CONNECTION")) return "this is an SSH session";
  if (os === "linux" && !io.env("DISPLAY") && !io.env("WAYLAND_DISPLAY")) {
    return "neither DISPLAY nor WAYLAND_DISPLAY is set";
  }
  return undefined;
}

/**
 * Signs in through the browser and returns the tokens.
 *
 * @param cli The command at work.
 * @param app The app's credentials.
 * @returns The user's tokens.
 */
export async function browserSignIn(
  cli: TargetContext,
  app: AppCredentials,
): Promise<AccessToken> {
  const { options, target } = cli;
  const headless = noBrowserReason(options, cli.io);
  const printOnly = options.browser === false || headless !== undefined;
  const pick = options.scopes.length === 0 && options.forNeeds.length === 0 &&
    !target.demo;
  if (pick && printOnly) {
    throw new UsageError(
      `No scopes given: pass -s with the scopes to ask for, such as -s chat:read,chat:edit (the scopes command lists them all)${
        options.browser === false
          ? "; without --no-browser, a page lets you pick them"
          : `; no browser can open here (${headless}) for the scope picker`
      }`,
    );
  }
  if (headless && options.browser !== false) {
    cli.io.writeErr(
      `No browser can open here (${headless}): sign in with "twitch-auth device" instead, or open the URL below in a browser on this machine (over SSH, forward the callback port first: ssh -L ${
        portOf(target.redirectUrl)
      }:localhost:${portOf(target.redirectUrl)} ...).\n`,
    );
  }
  if (!target.demo) await checkAuthBaseUrl(cli);
  const scopes = options.scopes.length === 0 && target.demo
    ? DEMO_SCOPES
    : options.scopes;
  const authenticator = new UserAuthenticator(
    app,
    scopes,
    {
      forceVerify: options.forceVerify,
      redirectUri: target.redirectUrl,
      host: options.host,
      port: options.port,
    },
  );
  const firstPage = pick ? await pickerPage() : undefined;
  try {
    const token = await waitForSignIn(
      authenticator,
      printOnly ? { ...cli, options: { ...options, browser: false } } : cli,
      firstPage,
    );
    if (pick) suggestScopes(token, cli);
    return token;
  } catch (error) {
    if (error instanceof TimeoutError && !target.demo) {
      throw new TwitchAuthError(
        `The sign-in timed out after ${seconds(error.timeout)} seconds (${
          options.timeout === undefined
            ? "the default; allow more with --timeout SECONDS"
            : "--timeout"
        }). ${redirectHint(target.redirectUrl)}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** How long the check that Twitch's OAuth base URL answers may take. */
const PROBE_TIMEOUT = 5_000;

/**
 * Fails fast when nothing answers at the OAuth base URL, before a browser
 * opens a dead page and the sign-in waits for its full timeout: any HTTP
 * answer counts (the path is Twitch's OpenID discovery document).
 *
 * @param cli The command at work.
 * @throws {TwitchAuthError} naming the URL and where it came from.
 */
export async function checkAuthBaseUrl(cli: TargetContext): Promise<void> {
  const base = cli.target.authBaseUrl ?? DEFAULT_AUTH_BASE_URL;
  const probe = `${base.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const signal = AbortSignal.any([
    cli.signal,
    AbortSignal.timeout(
      Math.min(PROBE_TIMEOUT, cli.options.timeout ?? Infinity),
    ),
  ]);
  try {
    const response = await fetch(probe, { redirect: "manual", signal });
    await response.body?.cancel();
  } catch (error) {
    if (cli.signal.aborted) throw error;
    const from = cli.options.authBaseUrlFrom;
    throw new TwitchAuthError(
      `Nothing answers at ${base} (${
        from === undefined ? "Twitch's default" : `from ${from}`
      }): ${
        signal.aborted
          ? `no answer within ${PROBE_TIMEOUT / 1000} seconds`
          : messageOf(error)
      }. ${
        from === "TWITCH_AUTH_BASE_URL"
          ? "Left over from a mock that has stopped? Unset it (unset TWITCH_AUTH_BASE_URL) or start the mock again."
          : from === undefined
          ? "Check this machine's network connection."
          : "Check the URL, or start the mock it points at."
      }`,
      { cause: error },
    );
  }
}

/** The picker, loaded only when it is shown. */
async function pickerPage(): Promise<
  (context: FirstPageContext) => FirstPage
> {
  const { createScopePicker, pickerTasks } = await import(
    "../deno/_scope_picker.ts"
  );
  const tasks = await pickerTasks();
  return (context) => createScopePicker(context, undefined, tasks);
}

/** Says how to skip the picker next time. */
function suggestScopes(token: AccessToken, cli: CliContext): void {
  cli.io.writeErr(
    token.scopes.length > 0
      ? `Next time, skip the picker with: -s "${token.scopes.join(" ")}"\n`
      : "No scopes were picked: the token can only identify the user.\n",
  );
}

async function waitForSignIn(
  authenticator: UserAuthenticator,
  cli: TargetContext,
  firstPage?: (context: FirstPageContext) => FirstPage,
): Promise<AccessToken> {
  const progress = new ProgressLine({
    write: cli.io.writeErr,
    enabled: cli.io.stderrIsTerminal(),
    color: cli.io.env("NO_COLOR") === undefined,
    message: cli.target.demo
      ? "Waiting for the sign-in on the demo's mock Twitch…"
      : "Waiting for you to approve on Twitch in the browser…",
  });
  const ended = new AbortController();
  let opening: Promise<OpenedBrowser | undefined> | undefined;
  try {
    const token = await authenticator.authenticate({
      useBrowser: false,
      authUrlCallback: (url) => {
        progress.start();
        opening = presentUrl(url, cli, progress, ended.signal);
      },
      firstPage,
      signal: cli.signal,
      timeout: cli.options.timeout,
    });
    remember(cli, token.accessToken, token.refreshToken);
    return token;
  } finally {
    progress.stop();
    ended.abort();
    const opened = await opening;
    await opened?.release(cli.signal.aborted ? 0 : undefined);
  }
}

/**
 * Opens the browser on the URL, or prints it; in demo mode with no browser,
 * approves on the mock. Never throws: the sign-in keeps waiting.
 */
async function presentUrl(
  url: string,
  { options, target }: TargetContext,
  progress: ProgressLine,
  ended: AbortSignal,
): Promise<OpenedBrowser | undefined> {
  const page = new URL(url).pathname.startsWith("/twitch-auth/")
    ? "the scope picker"
    : "the consent page";
  if (!target.demo) progress.log(redirectHint(target.redirectUrl, true));
  if (options.browser !== false) {
    progress.log(
      `Opening the browser on ${page}. If it does not come up, open:\n  ${url}`,
    );
    const opened = await openBrowser(url, options.browser, ended).catch(() =>
      undefined
    );
    if (opened || ended.aborted) return opened;
    progress.log(
      "Could not open a browser: open the URL above to sign in with Twitch.",
    );
  } else {
    progress.log(
      `Open this URL in a browser to sign in with Twitch:\n  ${url}`,
    );
  }
  if (target.demo) await approveDemo(target.demo, url, progress);
  return undefined;
}

/** What to do when Twitch never sends the browser back. */
function redirectHint(redirectUrl: string, waiting = false): string {
  return `${
    waiting
      ? `Waiting for Twitch to send the browser back to ${redirectUrl}. `
      : ""
  }If Twitch showed an error about the redirect URL, register exactly ${redirectUrl} as an OAuth Redirect URL of the app at ${CONSOLE}.`;
}

async function approveDemo(
  demo: Demo,
  url: string,
  progress: ProgressLine,
): Promise<void> {
  progress.log("Demo: no browser, so the mock Twitch approves by itself.");
  try {
    await demo.approve(url);
  } catch (error) {
    progress.log(
      `Demo: the mock could not approve by itself (${
        messageOf(error)
      }): open the URL above.`,
    );
  }
}

function portOf(redirectUrl: string): string {
  const url = new URL(redirectUrl);
  return url.port || "80";
}

/**
 * Milliseconds as seconds for messages: `0.5`, `10`, `600`.
 *
 * @param milliseconds A duration.
 * @returns The number of seconds, without trailing zeros.
 */
export function seconds(milliseconds: number): string {
  return String(Math.round(milliseconds) / 1000);
}
