/**
 * The small pages the callback server shows in the user's browser.
 *
 * @module
 */

/**
 * Escapes text for HTML, so nothing from a URL can become markup.
 *
 * @param text Any text, such as Twitch's `error_description`.
 * @returns The text with `& < > " '` escaped.
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#0e0e10;background:#f7f7f8}" +
  "h1{font-size:1.4rem}.ok{color:#00875a}.err{color:#c4001a}" +
  "@media(prefers-color-scheme:dark){body{color:#efeff1;background:#18181b}}";

/**
 * A whole HTML page with a title and a paragraph; both are escaped here.
 *
 * @param title The heading, also the page title.
 * @param message The explanation under it.
 * @param ok Whether it reports a success (shown in green) or a failure.
 * @returns The HTML text.
 */
export function renderPage(
  title: string,
  message: string,
  ok: boolean,
): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><h1 class="${ok ? "ok" : "err"}">${escapeHtml(title)}</h1>` +
    `<p>${escapeHtml(message)}</p></body></html>`;
}

/** The default page shown after a successful sign-in. */
export const SUCCESS_DOCUMENT: string = /* @__PURE__ */ renderPage(
  "Signed in with Twitch",
  "The app has its token. You can close this tab and go back to it.",
  true,
);

/**
 * A response holding an HTML page, with headers that keep it private: no
 * caching, no referrer (the callback URL holds the code), no external
 * content.
 *
 * @param html The page.
 * @param status The HTTP status.
 * @returns The response.
 */
export function htmlResponse(html: string, status: number): Response {
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    },
  });
}
