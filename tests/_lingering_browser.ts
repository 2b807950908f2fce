// A browser that stays open, like one started directly rather than through
// xdg-open: `_lingering_browser.ts PIDFILE URL` follows the URL, writes its
// pid, then keeps running until killed.
import { visit } from "./_browser.ts";

const [pidFile, url] = Deno.args;
await visit(url);
await Deno.writeTextFile(pidFile, String(Deno.pid));
setInterval(() => {}, 60_000);
