// A fake browser in the test process: it follows Twitch's redirects to the
// callback server over real HTTP, as a browser would, without rendering.

/** What the browser ended up showing. */
export interface Visit {
  status: number;
  url: string;
  text: string;
}

/** Opens `url` and follows redirects (manually, so each hop is real HTTP). */
export async function visit(
  url: string,
  init: RequestInit = {},
): Promise<Visit> {
  let current = url;
  for (let hops = 0; hops < 5; hops++) {
    const response = await fetch(current, { ...init, redirect: "manual" });
    const location = response.headers.get("Location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      init = {};
      continue;
    }
    return {
      status: response.status,
      url: current,
      text: await response.text(),
    };
  }
  throw new Error(`too many redirects from ${url}`);
}
