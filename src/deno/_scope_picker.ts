/**
 * The scope picker: a page on the sign-in's own callback server that starts
 * from tasks ("read chat", "moderate chat": ticking one ticks its minimal
 * scopes, each shown with why) and lists every Twitch scope by group with
 * what it grants below. It warns when the selection is far wider than the
 * ticked tasks need. The user presses "Sign in with Twitch", which goes on
 * to Twitch's consent page for exactly the ticked scopes (and those of the
 * ticked tasks, also without JavaScript). Like the callback, it answers only on a loopback
 * `Host` and only with the sign-in's `state`, and works once.
 *
 * @module
 */

import { escapeHtml, htmlResponse, renderPage } from "../web/_pages.ts";
import { type ScopeReason, scopesFor } from "../web/scope_advisor.ts";
import { scopeTasks } from "../web/scope_requirements.ts";
import { type AuthScope, SCOPE_DESCRIPTIONS } from "../web/scopes.ts";
import type { FirstPage, FirstPageContext } from "./user_authenticator.ts";

/** Where the picker lives on the callback server. */
export const SCOPE_PICKER_PATH = "/twitch-auth/scopes";
const CONTINUE_PATH = `${SCOPE_PICKER_PATH}/continue`;

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/**
 * Extra scopes beyond what the ticked tasks need from which the picker
 * warns: Twitch may suspend apps that ask for more than they use.
 */
export const WIDE_SELECTION_EXTRA = 3;

/** A task as the picker shows it: its minimal scopes, each with why. */
export interface PickerTask {
  /** The task's name: `"read chat"`. */
  readonly name: string;
  /** One line on what it covers. */
  readonly description: string;
  /** Its minimal scopes, each with why. */
  readonly scopes: readonly ScopeReason[];
}

/**
 * Every task with its minimal scopes, for {@linkcode createScopePicker}.
 *
 * @returns The tasks in the advisor's order.
 *
 * @example Show the picker with its tasks
 * ```ts ignore
 * import { createScopePicker, pickerTasks } from "./_scope_picker.ts";
 *
 * const tasks = await pickerTasks();
 * const firstPage = (context) => createScopePicker(context, undefined, tasks);
 * ```
 */
export async function pickerTasks(): Promise<PickerTask[]> {
  const tasks = await scopeTasks();
  return await Promise.all(tasks.map(async (task) => ({
    name: task.name,
    description: task.description,
    scopes: (await scopesFor(task.name)).needs[0].scopes,
  })));
}

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
 * @param tasks The tasks to start from ({@linkcode pickerTasks}); none: the
 * page lists the scopes only.
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
  tasks: readonly PickerTask[] = [],
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
        return pickerResponse(context.state, tasks);
      }
      const ticked = new Set(url.searchParams.getAll("task"));
      const scopes = [
        ...new Set([
          ...tasks.filter((task) => ticked.has(task.name))
            .flatMap((task) => task.scopes.map((reason) => reason.scope)),
          ...url.searchParams.getAll("scope").filter(isScope),
        ]),
      ];
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
  "ul{margin:0 0 .4rem 1.6rem;padding:0}li{list-style:none}#wide{position:sticky;bottom:3.6rem;background:#fff4d6;color:#5c3b00;border:1px solid #e0b040;border-radius:6px;padding:.5rem .8rem}" +
  "button{font:inherit;padding:.5rem 1.2rem;background:#9146ff;color:#fff;border:0;border-radius:6px;position:sticky;bottom:1rem}" +
  "@media(prefers-color-scheme:dark){body{color:#efeff1;background:#18181b}small{color:#aaa}}";

/** The page, with a nonce that lets its one inline script run. */
function pickerResponse(
  state: string,
  tasks: readonly PickerTask[],
): Response {
  const nonce = btoa(
    String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))),
  );
  const response = htmlResponse(renderPicker(state, tasks, nonce), 200);
  response.headers.set(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:; frame-ancestors 'none'`,
  );
  return response;
}

/** The tasks, one checkbox each, with their scopes and why. */
function renderTasks(tasks: readonly PickerTask[]): string {
  if (tasks.length === 0) return "";
  const items = tasks.map((task) =>
    `<label class="task"><input type="checkbox" name="task" value="${
      escapeHtml(task.name)
    }" data-scopes="${
      escapeHtml(task.scopes.map((reason) => reason.scope).join(" "))
    }"> <b>${escapeHtml(task.name)}</b> <small>${
      escapeHtml(task.description)
    }</small></label><ul>${
      task.scopes.length === 0
        ? "<li><small>no scope</small></li>"
        : task.scopes.map((reason) =>
          `<li><code>${escapeHtml(reason.scope)}</code> <small>${
            escapeHtml(reason.why)
          }</small></li>`
        ).join("")
    }</ul>`
  ).join("");
  return `<fieldset id="tasks"><legend>What will the app do?</legend>` +
    `<p><small>Ticking a task ticks the fewest scopes it needs. Ask only for what the app uses: Twitch may suspend apps that request more.</small></p>` +
    `${items}</fieldset><h2>All scopes</h2>`;
}

/** Ticks task scopes, keeps the user's own ticks, warns on a wide selection. */
const SCRIPT =
  `(()=>{const f=document.forms[0],w=document.getElementById("wide"),` +
  `T=[...f.querySelectorAll("input[name=task]")],S=[...f.querySelectorAll("input[name=scope]")],` +
  `own=new Set(),need=()=>new Set(T.filter(t=>t.checked).flatMap(t=>t.dataset.scopes.split(" ").filter(Boolean)));` +
  `function sync(){const n=need();for(const s of S)s.checked=n.has(s.value)||own.has(s.value);` +
  `const extra=S.filter(s=>s.checked&&!n.has(s.value)).map(s=>s.value);` +
  `const wide=T.some(t=>t.checked)&&extra.length>=${WIDE_SELECTION_EXTRA};w.hidden=!wide;` +
  `w.textContent=wide?"This asks for "+extra.length+" scopes the ticked tasks do not need ("+extra.join(", ")+"). Twitch may suspend apps that request more scopes than they use: untick what the app does not call.":"";}` +
  `for(const t of T)t.addEventListener("change",sync);` +
  `for(const s of S)s.addEventListener("change",()=>{if(s.checked)own.add(s.value);else own.delete(s.value);sync();});sync();})();`;

/** The page: the tasks, then one fieldset per group, a checkbox per scope. */
function renderPicker(
  state: string,
  tasks: readonly PickerTask[],
  nonce: string,
): string {
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
    renderTasks(tasks) + groups +
    (tasks.length > 0 ? `<p id="wide" role="alert" hidden></p>` : "") +
    `<button type="submit">Sign in with Twitch</button></form>` +
    (tasks.length > 0 ? `<script nonce="${nonce}">${SCRIPT}</script>` : "") +
    `</body></html>`;
}
