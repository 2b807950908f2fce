import { assertEquals } from "@std/assert";
import {
  browserCommands,
  openBrowser,
  splitCommand,
} from "../src/deno/_open_browser.ts";
import { escapeHtml } from "../src/web/_pages.ts";

const URL_WITH_SHELL_CHARACTERS =
  "http://127.0.0.1:1/oauth2/authorize?a=1&b=$(touch /tmp/x)&c='q'; echo `id`";

Deno.test("splitCommand splits like a shell without running one", () => {
  assertEquals(splitCommand(`firefox --new-tab`), ["firefox", "--new-tab"]);
  assertEquals(splitCommand(`"/Applications/My Browser" -a 'x y' %s`), [
    "/Applications/My Browser",
    "-a",
    "x y",
    "%s",
  ]);
  assertEquals(splitCommand(String.raw`a\ b "c\"d" ''`), ["a b", 'c"d', ""]);
  assertEquals(splitCommand("   "), []);
});

Deno.test("browserCommands puts the URL where %s stands, or last", () => {
  const url = "http://x/?a=1&b=2";
  assertEquals(browserCommands(url, "chromium %s --incognito")[0], [
    "chromium",
    url,
    "--incognito",
  ]);
  assertEquals(browserCommands(url, "open %s -g")[0], ["open", url, "-g"]);
  assertEquals(browserCommands(url, "chromium --app=%s")[0], [
    "chromium",
    `--app=${url}`,
  ]);
  assertEquals(browserCommands(url, "firefox")[0], ["firefox", url]);
  assertEquals(browserCommands(url, "firefox").length, 1); // an explicit choice is the only one
});

Deno.test("openBrowser hands the URL over whole, shell characters and all, with no shell", async () => {
  const file = await Deno.makeTempFile();
  try {
    const script = new URL("./_record_args.ts", import.meta.url).pathname;
    const opened = await openBrowser(
      URL_WITH_SHELL_CHARACTERS,
      `"${Deno.execPath()}" run -A ${script} ${file}`,
    );
    await opened?.release();
    assertEquals(JSON.parse(await Deno.readTextFile(file)), [
      URL_WITH_SHELL_CHARACTERS,
    ]);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("openBrowser says undefined when the command is missing or fails at once", async () => {
  assertEquals(
    await openBrowser("http://x/", "no-such-browser-command-here"),
    undefined,
  );
  assertEquals(await openBrowser("http://x/", "false"), undefined);
});

Deno.test("escapeHtml escapes everything that could become markup", () => {
  assertEquals(
    escapeHtml(`<a href="x" onclick='y'>&</a>`),
    "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});
