// A stand-in for a browser, run as a program by the CLI's `--browser`:
//   deno run -A tests/_fake_browser.ts URL
// It GETs the URL (the URL is the last argument) and follows the redirects
// itself, as a browser would (authorize -> 302 Location -> the callback),
// reads the last page, and exits 0 when that page answered 200.

const MAX_REDIRECTS = 5;

let url = new URL(Deno.args.at(-1) ?? "");
let response = await fetch(url, { redirect: "manual" });
for (let hop = 0; hop < MAX_REDIRECTS && isRedirect(response.status); hop++) {
  await response.body?.cancel();
  url = new URL(response.headers.get("Location")!, url);
  response = await fetch(url, { redirect: "manual" });
}
await response.text();
Deno.exit(response.status === 200 ? 0 : 1);

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}
