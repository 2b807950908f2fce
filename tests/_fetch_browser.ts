// A stand-in for a browser, run as a program: `deno run -A _fetch_browser.ts URL`.
// It follows the redirects over real HTTP and exits 0 when it got a page.
import { visit } from "./_browser.ts";

const page = await visit(Deno.args.at(-1)!);
Deno.exit(page.status === 200 ? 0 : 1);
