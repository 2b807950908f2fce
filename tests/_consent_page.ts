// A user on the mock's pages, over plain HTTP: reads the consent (or device
// activation) page, posts its form with Authorize or Cancel like the button
// would, and follows Twitch's redirect to the callback when there is one.

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
}

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : unescapeHtml(value);
}

/**
 * Opens `url` (a consent or activation page) and presses a button.
 *
 * @returns The HTTP status of the last page: the callback's after a
 * redirect, else the page the form answered.
 */
export async function answerPage(
  url: string,
  action: "authorize" | "cancel" = "authorize",
): Promise<number> {
  const page = await fetch(url);
  const html = await page.text();
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/i
    .exec(html);
  if (!form) throw new Error(`no form to post on ${url}: ${html}`);
  const fields = new URLSearchParams();
  for (const [input] of form[2].matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    fields.append(attribute(input, "name")!, attribute(input, "value") ?? "");
  }
  fields.set("action", action);
  const answered = await fetch(new URL(unescapeHtml(form[1]), url), {
    method: "POST",
    body: fields,
    redirect: "manual",
  });
  await answered.body?.cancel();
  const location = answered.headers.get("Location");
  if (!location) return answered.status;
  const callback = await fetch(location);
  await callback.body?.cancel();
  return callback.status;
}
