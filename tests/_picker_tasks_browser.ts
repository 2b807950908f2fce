// Drives the scope picker's tasks in headless Chromium like a person:
//
//   deno run -A --lock=tests/deno.lock tests/_picker_tasks_browser.ts URL REPORT
//
// Opens URL (the picker), ticks the "moderate chat" task, records which scope
// boxes are ticked and whether the wide-selection warning shows, ticks three
// more scopes by hand, records again, unticks the task, records, ticks it
// again and presses "Sign in with Twitch". Writes the records as JSON to
// REPORT, then waits for the browser to reach the next page and exits.
// PICKER_SCREENSHOT=FILE saves a screenshot with the warning showing.

// deno-lint-ignore no-import-prefix
import { chromium } from "npm:playwright-core@1.65.1";

const [url, report] = Deno.args;
const browser = await chromium.launch({
  executablePath: Deno.env.get("TWITCH_AUTH_CHROMIUM") || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  timeout: 20_000,
});
try {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  const snapshot = async () => ({
    ticked: await page.$$eval(
      "input[name=scope]:checked",
      (boxes) =>
        boxes.map((box) => (box as unknown as { value: string }).value),
    ),
    warning: await page.locator("#wide").isVisible()
      ? await page.locator("#wide").textContent()
      : null,
  });
  const records: unknown[] = [];
  records.push({ step: "start", ...(await snapshot()) });
  await page.getByRole("checkbox", { name: /moderate chat/ }).check();
  records.push({ step: "task", ...(await snapshot()) });
  for (const scope of ["bits:read", "clips:edit"]) {
    await page.locator(`input[name=scope][value="${scope}"]`).check();
  }
  records.push({ step: "two extra", ...(await snapshot()) });
  await page.locator(`input[name=scope][value="channel:read:ads"]`).check();
  records.push({ step: "three extra", ...(await snapshot()) });
  const screenshot = Deno.env.get("PICKER_SCREENSHOT");
  if (screenshot) {
    await page.screenshot({ path: screenshot });
    await page.evaluate("scrollTo(0, 0)");
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-top.png") });
  }
  await page.getByRole("checkbox", { name: /moderate chat/ }).uncheck();
  records.push({ step: "task off", ...(await snapshot()) });
  for (const scope of ["bits:read", "clips:edit", "channel:read:ads"]) {
    await page.locator(`input[name=scope][value="${scope}"]`).uncheck();
  }
  await page.getByRole("checkbox", { name: /moderate chat/ }).check();
  records.push({ step: "task again", ...(await snapshot()), errors });
  await Deno.writeTextFile(report, JSON.stringify(records));
  await Promise.all([
    page.waitForURL((next) => !next.pathname.startsWith("/twitch-auth/")),
    page.getByRole("button", { name: "Sign in with Twitch" }).click(),
  ]);
} finally {
  await browser.close();
}
