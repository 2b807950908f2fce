/**
 * The scope picker: a page on the sign-in's own callback server that lists
 * every Twitch scope by group with what it grants. The user ticks scopes and
 * presses "Sign in with Twitch", which goes on to Twitch's consent page for
 * exactly those scopes. Like the callback, it answers only on a loopback
 * `Host` and only with the sign-in's `state`, and works once.
 *
 * @module
 */

import { escapeHtml, htmlResponse, renderPage } from "../web/_pages.ts";
import { type AuthScope, SCOPE_DESCRIPTIONS } from "../web/scopes.ts";
import type { FirstPage, FirstPageContext } from "./user_authenticator.ts";

/** Where the picker lives on the callback server. */
export const SCOPE_PICKER_PATH = "/twitch-auth/scopes";
const CONTINUE_PATH = `${SCOPE_PICKER_PATH}/continue`;

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/** The headings of the scope groups (a scope's part before the first `:`). */
const GROUP_TITLES: Record<string, string> = {
  analytics: "Analytics",
  bits: "Bits",
  channel: "Your channel",
  channel_subscriptions: "Legacy",
  chat: "Chat over IRC",
  clips: "Clips",
  moderation: "Moderation",
  moderator: "As a moderator",
  openid: "OpenID Connect",
  user: "Your user",
  whispers: "Whispers over IRC",
};

/**
 * Every scope in groups, in {@linkcode SCOPE_DESCRIPTIONS} order.
 *
 * @returns Group title to the scopes in it.
 */
export function scopeGroups(): Map<string, AuthScope[]> {
  const groups = new Map<string, AuthScope[]>();
  for (const scope of Object.keys(SCOPE_DESCRIPTIONS) as AuthScope[]) {
    const key = scope.split(":")[0];
    const title = GROUP_TITLES[key] ?? key;
    groups.set(title, [...(groups.get(title) ?? []), scope]);
  }
  return groups;
}

/**
 * Creates the picker for one sign-in, to hand to `authenticate()` as its
 * `firstPage`.
 *
 * @param context The sign-in's state, redirect URL and authorize URL maker.
 * @param onPicked Called with the scopes the user ticked, before the browser
 * goes on to Twitch.
 * @returns The page's URL and its request handler.
 *
 * @example Let the user pick the scopes
 * ```ts ignore
 * import { Twitch, UserAuthenticator } from "@x/twitch-auth";
 * import { createScopePicker } from "./_scope_picker.ts";
 *
 * const auth = new UserAuthenticator(new Twitch("my_app_id", "secret"), []);
 * const token = await auth.authenticate({
 *   firstPage: (context) => createScopePicker(context),
 * });
 * console.log(token.scopes);
 * ```
 */
export function createScopePicker(
  context: FirstPageContext,
  onPicked?: (scopes: AuthScope[]) => void,
): FirstPage {
  const redirect = new URL(context.redirectUri);
  const hosts = new Set([...LOOPBACK_HOSTS, redirect.hostname.toLowerCase()]);
  const page = new URL(SCOPE_PICKER_PATH, redirect.origin);
  page.searchParams.set("state", context.state);
  let picked = false;
  return {
    url: page.href,
    handle(request) {
      const url = new URL(request.url);
      if (
        url.pathname !== SCOPE_PICKER_PATH && url.pathname !== CONTINUE_PATH
      ) {
        return undefined;
      }
      if (!hosts.has(hostOf(request.headers.get("Host")))) {
        return answer(
          403,
          "Wrong address",
          "This page only answers on localhost.",
        );
      }
      if (request.method !== "GET") {
        return answer(405, "Method not allowed", "Use the form on the page.");
      }
      if (url.searchParams.get("state") !== context.state) {
        return answer(
          400,
          "This page is not the current sign-in's",
          "Start the sign-in again from the command line.",
        );
      }
      if (picked) {
        return answer(
          409,
          "Scopes already chosen",
          "This sign-in went on to Twitch already. Start a new one to pick other scopes.",
        );
      }
      if (url.pathname === SCOPE_PICKER_PATH) {
        return htmlResponse(renderPicker(context.state), 200);
      }
      const scopes = url.searchParams.getAll("scope").filter(isScope);
      picked = true;
      onPicked?.(scopes);
      return new Response(null, {
        status: 303,
        headers: {
          Location: context.authorizeUrl(scopes),
          "Cache-Control": "no-store",
          "Referrer-Policy": "no-referrer",
        },
      });
    },
  };
}

function isScope(value: string): value is AuthScope {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, value);
}

function answer(status: number, title: string, message: string): Response {
  return htmlResponse(renderPage(title, message, false), status);
}

/** The host name of a `Host` header, lower case, without the port. */
function hostOf(header: string | null): string {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(
    (header ?? "").trim().toLowerCase(),
  );
  return match?.[1] ?? "";
}

const STYLE =
  "body{font:15px/1.45 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#0e0e10;background:#f7f7f8}" +
  "h1{font-size:1.4rem}fieldset{border:1px solid #ccc;border-radius:6px;margin:0 0 1rem}" +
  "label{display:block;padding:.15rem 0}code{font-weight:600}small{color:#555}" +
  "button{font:inherit;padding:.5rem 1.2rem;background:#9146ff;color:#fff;border:0;border-radius:6px;position:sticky;bottom:1rem}" +
  "@media(prefers-color-scheme:dark){body{color:#efeff1;background:#18181b}small{color:#aaa}}";

/** The page: one fieldset per group, a checkbox per scope, the button. */
function renderPicker(state: string): string {
  const groups = [...scopeGroups()].map(([title, scopes]) =>
    `<fieldset><legend>${escapeHtml(title)}</legend>${
      scopes.map((scope) =>
        `<label><input type="checkbox" name="scope" value="${
          escapeHtml(scope)
        }"> <code>${escapeHtml(scope)}</code> <small>${
          escapeHtml(SCOPE_DESCRIPTIONS[scope])
        }</small></label>`
      ).join("")
    }</fieldset>`
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>Pick the scopes</title><style>${STYLE}</style></head><body>` +
    `<h1>Pick the scopes to ask Twitch for</h1>` +
    `<p>Tick what the token may do. Twitch then shows its own consent page for exactly these scopes. This page runs on your machine only.</p>` +
    `<form method="get" action="${CONTINUE_PATH}">` +
    `<input type="hidden" name="state" value="${escapeHtml(state)}">` +
    `${groups}<button type="submit">Sign in with Twitch</button></form>` +
    `</body></html>`;
}
