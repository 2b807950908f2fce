// Where the real-browser tests find Chromium, and the script that drives it
// (tests/_chromium_browser.ts, run as the sign-in's `browser` command).

/** The Chromium binary: TWITCH_AUTH_CHROMIUM, else /usr/bin/chromium. */
export const CHROMIUM: string = Deno.env.get("TWITCH_AUTH_CHROMIUM") ||
  "/usr/bin/chromium";

/** Whether {@linkcode CHROMIUM} is there; the tests that need it skip otherwise. */
export const chromiumAvailable: boolean = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

/** The path of the script that drives Chromium like a user. */
export const CHROMIUM_SCRIPT: string = decodeURIComponent(
  new URL("./_chromium_browser.ts", import.meta.url).pathname,
);
