/**
 * The HTML pages of the mock Twitch ID server (used by `./_mock_authorize.ts`
 * and `./_mock_device_flow.ts`): the consent page, the device activation pages
 * and the error page. Every page is self-contained (inline CSS, no scripts,
 * no external assets) and every value that may have come from a request is
 * HTML-escaped.
 *
 * @module
 */

/** A user as the pages show them. */
export interface PageUser {
  /** Twitch login name, e.g. `twitchdev`. */
  login: string;
  /** Display name, e.g. `TwitchDev`; the login when absent. */
  displayName?: string;
}

/** The application asking for access. */
export interface PageApp {
  /** The app's name when known. */
  name?: string;
  /** The app's client id. */
  clientId: string;
}

/** What the consent page shows and posts back. */
export interface ConsentPageInput {
  /** The app asking for access. */
  app: PageApp;
  /** The scopes asked for. */
  scopes: readonly string[];
  /** The signed-in user. */
  user: PageUser;
  /** Where the form posts (`/oauth2/authorize`). */
  action: string;
  /** Hidden form fields (the authorize parameters and the anti-CSRF token). */
  hiddenFields: Readonly<Record<string, string>>;
  /** Where the app sends the user back. */
  redirectUri: string;
}

/** What the device activation page shows. */
export interface ActivatePageInput {
  /** The signed-in user. */
  user: PageUser;
  /** A message shown above the code form (e.g. an unknown code). */
  error?: string;
  /** The pending device request, when the code is known. */
  request?: {
    /** The app asking for access. */
    app: PageApp;
    /** The scopes asked for. */
    scopes: readonly string[];
    /** The code the device shows. */
    userCode: string;
    /** The per-page anti-CSRF token. */
    csrfToken: string;
  };
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#0e0e10;color:#efeff1}
main{width:min(440px,92vw);background:#18181b;border-radius:8px;padding:28px 32px;
box-shadow:0 4px 24px rgba(0,0,0,.5)}
h1{font-size:20px;margin:0 0 12px}
.badge{display:inline-block;font-size:12px;font-weight:600;letter-spacing:.04em;color:#bf94ff;
text-transform:uppercase;margin-bottom:8px}
.muted{color:#adadb8;font-size:13px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;word-break:break-all}
ul{padding-left:20px;margin:8px 0 16px}
li{margin:2px 0}
.actions{display:flex;gap:12px;justify-content:flex-end;margin-top:20px}
button{font:inherit;font-weight:600;border:0;border-radius:4px;padding:8px 18px;cursor:pointer}
.primary{background:#9146ff;color:#fff}
.primary:hover{background:#772ce8}
.secondary{background:#3a3a3d;color:#efeff1}
.secondary:hover{background:#464649}
input[type=text]{font:inherit;width:100%;padding:8px;border-radius:4px;border:1px solid #464649;
background:#0e0e10;color:#efeff1;text-transform:uppercase;letter-spacing:.2em}
.error{background:#3b1219;border-left:4px solid #eb0400;padding:8px 12px;margin:12px 0}
.ok{background:#0f2b1f;border-left:4px solid #00f593;padding:8px 12px;margin:12px 0}
`;

/**
 * Escapes `&`, `<`, `>`, `"` and `'` so that a string can be put in HTML text
 * or in a quoted attribute.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./_mock_pages.ts";
 * escapeHtml(`<a href="x">`); // "&lt;a href=&quot;x&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} - Twitch (mock)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="badge">Twitch &middot; mock ID server</div>
${body}
</main>
</body>
</html>
`;
}

function userLabel(user: PageUser): string {
  const display = user.displayName ?? user.login;
  return display.toLowerCase() === user.login.toLowerCase()
    ? escapeHtml(display)
    : `${escapeHtml(display)} (${escapeHtml(user.login)})`;
}

function appLabel(app: PageApp): string {
  return app.name
    ? escapeHtml(app.name)
    : `<span class="mono">${escapeHtml(app.clientId)}</span>`;
}

function scopeList(scopes: readonly string[]): string {
  if (scopes.length === 0) {
    return `<p class="muted">No permissions beyond your public profile.</p>`;
  }
  const items = scopes.map((scope) =>
    `<li><code>${escapeHtml(scope)}</code></li>`
  );
  return `<ul>${items.join("")}</ul>`;
}

function hiddenInputs(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([name, value]) =>
      `<input type="hidden" name="${escapeHtml(name)}" value="${
        escapeHtml(value)
      }">`
    )
    .join("\n");
}

function authorizeButtons(): string {
  return `<div class="actions">
<button class="secondary" type="submit" name="action" value="cancel">Cancel</button>
<button class="primary" type="submit" name="action" value="authorize">Authorize</button>
</div>`;
}

/**
 * The consent page: which app asks for which scopes, who is signed in, and a
 * form that posts Authorize or Cancel (as `action=authorize|cancel`) with the
 * hidden fields.
 *
 * @example
 * ```ts
 * import { renderConsentPage } from "./_mock_pages.ts";
 * const html = renderConsentPage({
 *   app: { clientId: "abc" },
 *   scopes: ["user:read:email"],
 *   user: { login: "twitchdev", displayName: "TwitchDev" },
 *   action: "/oauth2/authorize",
 *   hiddenFields: { csrf_token: "n0nce" },
 *   redirectUri: "http://localhost:17563",
 * });
 * ```
 */
export function renderConsentPage(input: ConsentPageInput): string {
  return layout(
    "Authorize",
    `<h1>${appLabel(input.app)} wants to access your account</h1>
<p class="muted">Signed in as <strong>${userLabel(input.user)}</strong></p>
<p>This will allow the app to:</p>
${scopeList(input.scopes)}
<p class="muted">Client ID: <span class="mono">${
      escapeHtml(input.app.clientId)
    }</span><br>
You will be sent back to <span class="mono">${
      escapeHtml(input.redirectUri)
    }</span></p>
<form method="post" action="${escapeHtml(input.action)}">
${hiddenInputs(input.hiddenFields)}
${authorizeButtons()}
</form>`,
  );
}

/**
 * The device activation page: a form to type the code when none (or an
 * unknown one) was given, else the app, its scopes and Authorize/Cancel
 * buttons that post to `/activate`.
 *
 * @example
 * ```ts
 * import { renderActivatePage } from "./_mock_pages.ts";
 * const html = renderActivatePage({ user: { login: "twitchdev" } });
 * ```
 */
export function renderActivatePage(input: ActivatePageInput): string {
  const error = input.error
    ? `<div class="error">${escapeHtml(input.error)}</div>`
    : "";
  const request = input.request;
  if (!request) {
    return layout(
      "Activate your device",
      `<h1>Activate your device</h1>
<p class="muted">Signed in as <strong>${userLabel(input.user)}</strong></p>
${error}
<form method="get" action="/activate">
<p><label for="device-code">Enter the code shown on your device</label></p>
<input type="text" id="device-code" name="device-code" autocomplete="off" maxlength="16" required>
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>`,
    );
  }
  return layout(
    "Activate your device",
    `<h1>${appLabel(request.app)} wants to access your account</h1>
<p class="muted">Signed in as <strong>${userLabel(input.user)}</strong></p>
${error}
<p>Code: <span class="mono">${
      escapeHtml(request.userCode)
    }</span>. This will allow the app to:</p>
${scopeList(request.scopes)}
<p class="muted">Client ID: <span class="mono">${
      escapeHtml(request.app.clientId)
    }</span></p>
<form method="post" action="/activate">
${hiddenInputs({ user_code: request.userCode, csrf_token: request.csrfToken })}
${authorizeButtons()}
</form>`,
  );
}

/**
 * The page shown after the user answered a device activation.
 *
 * @example
 * ```ts
 * import { renderActivateResultPage } from "./_mock_pages.ts";
 * const html = renderActivateResultPage(true, { clientId: "abc" });
 * ```
 */
export function renderActivateResultPage(
  approved: boolean,
  app: PageApp,
): string {
  const body = approved
    ? `<div class="ok">Success! ${
      appLabel(app)
    } is now connected. You can return to your device.</div>`
    : `<div class="error">You denied ${
      appLabel(app)
    } access. You can close this page.</div>`;
  return layout(
    approved ? "Device connected" : "Access denied",
    `<h1>Activate your device</h1>${body}`,
  );
}

/**
 * An error page, e.g. for an unknown client or an unregistered redirect URI
 * (Twitch's `redirect_mismatch`): Twitch shows such a page and does not send
 * the user back to the app.
 *
 * @example
 * ```ts
 * import { renderErrorPage } from "./_mock_pages.ts";
 * const html = renderErrorPage("redirect_mismatch", "Parameter redirect_uri does not match registered URI");
 * ```
 */
export function renderErrorPage(error: string, description: string): string {
  return layout(
    "Error",
    `<h1>Something went wrong</h1>
<div class="error"><strong>${escapeHtml(error)}</strong><br>${
      escapeHtml(description)
    }</div>
<p class="muted">The app sent you here with a request Twitch could not accept. Close this page and try again from the app.</p>`,
  );
}
