// README.md stays true: every TypeScript block type-checks; the quick starts
// (the mock walkthrough, the bot, the web login, the mock in tests) run as
// written against the mock; the install line, the bundling recipes and the
// test command are the ones that work here and that CI runs.

import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import denoJson from "../deno.json" with { type: "json" };
import { startMockTwitch } from "../testing.ts";
import { answerPage } from "./_consent_page.ts";
import { CookieClient } from "./_cookie_client.ts";
import {
  readmeBlock,
  readmeBlocks,
  readmeCommand,
  readmeText,
  shellLines,
} from "./_readme.ts";
import { closedPort, TEST_LOCK_FLAG } from "./_util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const DENO = Deno.execPath();
const decoder = new TextDecoder();

/** A folder under the repository (so `jsr:@x/twitch-auth` resolves to this clone), removed after `fn`. */
async function inScratchDir(fn: (dir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir(`${ROOT}.tmp`, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: `${ROOT}.tmp`, prefix: "readme-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Saves a README sample as `dir/name`, runs it with `deno run -A`, returns its stdout. */
async function runSample(
  dir: string,
  name: string,
  code: string,
): Promise<string> {
  await Deno.writeTextFile(`${dir}/${name}`, code);
  const ran = await new Deno.Command(DENO, {
    args: ["run", "-A", name],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(ran.code, 0, decoder.decode(ran.stderr));
  return decoder.decode(ran.stdout);
}

/** A process started from a README line, its output collected as it comes. */
class Running {
  stdout = "";
  stderr = "";
  ended = false;
  readonly #child: Deno.ChildProcess;
  readonly #done: Promise<void>;

  constructor(child: Deno.ChildProcess) {
    this.#child = child;
    const collect = async (
      stream: ReadableStream<Uint8Array>,
      into: "stdout" | "stderr",
    ) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        this[into] += text;
      }
    };
    this.#done = Promise.all([
      collect(child.stdout, "stdout"),
      collect(child.stderr, "stderr"),
    ]).then(() => {});
  }

  /** Waits until `pattern` appears in stdout or stderr (30 s at most). */
  async waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const match = pattern.exec(this.stdout) ?? pattern.exec(this.stderr);
      if (match) return match;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `no ${pattern} within 30 s.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
    );
  }

  /** Waits for the end; returns the exit code. */
  async finish(): Promise<number> {
    const { code } = await this.#child.status;
    await this.#done;
    this.ended = true;
    return code;
  }

  /** Sends `signal` (if still running) and waits for the end. */
  async stop(signal: Deno.Signal = "SIGINT"): Promise<number> {
    try {
      this.#child.kill(signal);
    } catch {
      // already ended
    }
    return await this.finish();
  }
}

/**
 * A terminal a user follows the README in: bash in `cwd`, where
 * `twitch-auth` is this clone's CLI (`deno run -A mod.ts`), exported
 * variables carry over from line to line, and nothing of the test runner's
 * environment (such as a TWITCH_CLIENT_ID) leaks in.
 */
class Terminal {
  readonly #started: Running[] = [];
  env: Record<string, string> = {
    PATH: `${DENO.slice(0, DENO.lastIndexOf("/"))}:${Deno.env.get("PATH")}`,
    NO_COLOR: "1",
  };

  constructor(readonly cwd: string) {
    for (const name of ["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
      const value = Deno.env.get(name);
      if (value) this.env[name] = value;
    }
  }

  /** Starts `line`; with `exec`, the command replaces bash (so a signal reaches it). */
  start(line: string, { exec = true } = {}): Running {
    const cli = `${exec ? "exec " : ""}deno run -A ${ROOT}mod.ts "$@"`;
    const script = `set -o pipefail
twitch-auth() { ${cli}; }
${exec && line.startsWith("deno ") ? "exec " : ""}${line}`;
    const running = new Running(
      new Deno.Command("bash", {
        args: ["-c", script],
        cwd: this.cwd,
        clearEnv: true,
        env: this.env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn(),
    );
    this.#started.push(running);
    return running;
  }

  /** Stops whatever a failed test left running. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const running of this.#started) {
      if (!running.ended) await running.stop("SIGKILL");
    }
  }

  /** Runs `line` to its end; variables it exports stay set for later lines. */
  async run(line: string): Promise<Running & { code: number }> {
    const envFile = `${this.cwd}/.env-after`;
    const running = this.start(
      `${line}\nstatus=$?; env -0 > ${envFile}; exit $status`,
      { exec: false },
    );
    const code = await running.finish();
    try {
      for (const entry of (await Deno.readTextFile(envFile)).split("\0")) {
        const at = entry.indexOf("=");
        const name = entry.slice(0, at);
        if (
          at > 0 && !["_", "SHLVL", "PWD", "OLDPWD", "status"].includes(name)
        ) {
          this.env[name] = entry.slice(at + 1);
        }
      }
      await Deno.remove(envFile);
    } catch {
      // the line ended the shell before the dump (exit): nothing exported
    }
    return Object.assign(running, { code });
  }
}

/**
 * Starts the README's `twitch-auth mock ...` line (its redirect port moved
 * to `port`) and pastes the export lines it prints into `terminal`.
 */
async function startReadmeMock(
  terminal: Terminal,
  port: number,
): Promise<Running> {
  const [line] = shellLines(readmeBlock("Try everything offline", "sh", 0));
  assertStringIncludes(line, "localhost:8000");
  const mock = terminal.start(
    line.replaceAll("localhost:8000", `localhost:${port}`),
  );
  await mock.waitFor(/^export TWITCH_AUTH_BASE_URL=.*\n/m);
  const exports = mock.stdout.split("\n").filter((l) =>
    l.startsWith("export ")
  );
  assertEquals(exports.length, 2, mock.stdout);
  for (const pasted of exports) {
    assertEquals((await terminal.run(pasted)).code, 0);
  }
  return mock;
}

Deno.test("README: every TypeScript block type-checks", async () => {
  const blocks = readmeBlocks().filter((block) => block.lang === "ts");
  assert(blocks.length >= 8, `only ${blocks.length} TypeScript blocks`);
  const ignored = blocks.filter((block) => /\bignore\b/.test(block.meta));
  assertEquals(
    ignored.map((block) => block.line),
    [],
    "no block is exempt: each one compiles standalone",
  );
  await inScratchDir(async (dir) => {
    const files = blocks.map((block) => {
      const file = `${dir}/readme_line_${block.line}.ts`;
      Deno.writeTextFileSync(file, block.code);
      return file;
    });
    const checked = await new Deno.Command(DENO, {
      args: ["check", "--quiet", TEST_LOCK_FLAG, ...files],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    // The file names carry the README line of each block's fence.
    assertEquals(checked.code, 0, decoder.decode(checked.stderr));
  });
});

Deno.test("README: the mock walkthrough runs as written, the bot refreshing after 'mock expire --all' and stopping after 'mock revoke --all'", async () => {
  const steps = shellLines(readmeBlock("Try everything offline", "sh", 1));
  const bot = readmeBlock("I am writing a bot", "ts", 0);
  await inScratchDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bot.ts`, bot.code);
    await using terminal = new Terminal(dir);
    const mock = await startReadmeMock(terminal, closedPort());
    const file = `${dir}/bot_token.json`;
    const stored = async () => JSON.parse(await Deno.readTextFile(file));
    let before = "";
    let bots = 0;
    /** What each README line must do; a line without one fails the test. */
    const expect: Record<
      string,
      (r: Running & { code: number }) => void | Promise<void>
    > = {
      "jq -r .access_token bot_token.json | twitch-auth validate -": async (
        r,
      ) => {
        assertEquals(r.code, 0, r.stderr);
        assertStringIncludes(r.stdout, "twitchdev");
        assertStringIncludes(r.stdout, "chat:read chat:edit");
        before = (await stored()).access_token;
      },
      "twitch-auth mock expire --all": (r) => {
        assertEquals(r.code, 0, r.stderr);
        assertMatch(r.stdout + r.stderr, /Expired [1-9]\d* token/);
      },
      "twitch-auth mock revoke --all": (r) => {
        assertEquals(r.code, 0, r.stderr);
        assertMatch(r.stdout + r.stderr, /Revoked [1-9]\d* token/);
      },
      "deno run -A bot.ts": async (r) => {
        bots++;
        const refreshes = () =>
          mock.stderr.match(/POST \/oauth2\/token \(refresh_token\) -> 200/g)
            ?.length ?? 0;
        if (bots === 1) {
          assertEquals(r.code, 0, r.stderr);
          assertEquals(r.stdout, "Bot ready as twitchdev\n");
          assertEquals((await stored()).access_token, before, "no refresh yet");
          assertEquals(refreshes(), 0);
        } else if (bots === 2) {
          // after expire --all: one refresh, written back in Twitch's spelling
          assertEquals(r.code, 0, r.stderr);
          assertEquals(r.stdout, "Bot ready as twitchdev\n");
          const now = await stored();
          assert(now.access_token !== before, "the file holds the new token");
          assertEquals(refreshes(), 1, mock.stderr);
        } else {
          // after revoke --all: told to sign in again, no stack trace
          assertEquals(r.code, 1, r.stdout);
          assertStringIncludes(r.stderr, "sign in again");
          assert(!/\n\s+at /.test(r.stderr), r.stderr);
        }
      },
    };
    try {
      for (const line of steps) {
        if (line.startsWith("twitch-auth device ")) {
          // the user opens the activation page it prints and presses Authorize
          const device = terminal.start(line);
          const [url] = await device.waitFor(/http:\/\/\S+\/activate\S+/);
          assertEquals(await answerPage(url), 200);
          assertEquals(await device.finish(), 0, device.stderr);
          assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
          continue;
        }
        const check = expect[line];
        assert(check, `README step without an expectation here: ${line}`);
        await check(await terminal.run(line));
      }
      assertEquals(bots, 3, "the walkthrough starts the bot three times");
      assert(steps.includes("twitch-auth mock expire --all"));
    } finally {
      assertEquals(await mock.stop(), 0, mock.stderr);
    }
  });
});

Deno.test("README: the web login quick start signs a user in through the mock's consent page", async () => {
  const sample = readmeBlock("I am adding", "ts", 0);
  const run = shellLines(readmeBlock("I am adding", "sh", 0));
  const port = closedPort();
  assertEquals(sample.code.match(/8000/g)?.length, 2, "redirect and port");
  await inScratchDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/login.ts`,
      sample.code.replaceAll("8000", String(port)),
    );
    await using terminal = new Terminal(dir);
    const mock = await startReadmeMock(terminal, port);
    let server: Running | undefined;
    try {
      for (const line of run.slice(0, -1)) {
        assertEquals((await terminal.run(line)).code, 0, line);
      }
      assert(terminal.env.COOKIE_SECRET?.length >= 32, "a cookie secret");
      assertEquals(run.at(-1), "deno run -A login.ts");
      server = terminal.start(run.at(-1)!);
      await server.waitFor(/Listening on/);

      // a browser: /login, Twitch's (the mock's) consent page, Authorize, back
      const browser = new CookieClient();
      const consent = await browser.visit(`http://localhost:${port}/login`);
      assertEquals(consent.status, 200, consent.text);
      assertStringIncludes(
        consent.url,
        mock.stdout.match(/Auth base URL:\s+(\S+)/)![1],
      );
      const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/
        .exec(consent.text)!;
      const fields = new URLSearchParams();
      for (
        const [, name, value] of form[2].matchAll(
          /<input type="hidden" name="([^"]*)" value="([^"]*)"/g,
        )
      ) fields.append(name, value.replaceAll("&amp;", "&"));
      fields.set("action", "authorize");
      const answered = await fetch(new URL(form[1], consent.url), {
        method: "POST",
        body: fields,
        redirect: "manual",
      });
      await answered.body?.cancel();
      const back = await browser.visit(answered.headers.get("Location")!);
      const promised = /the page says `([^`]+)`/.exec(readmeText())![1];
      assertEquals(back.status, 200, back.text);
      assertEquals(back.text, promised);
    } finally {
      await server?.stop("SIGTERM");
      await mock.stop();
    }
  });
});

Deno.test("README: the mock sample for tests runs and refreshes once", async () => {
  const sample = readmeBlock("The mock Twitch in your tests", "ts", 0);
  await inScratchDir(async (dir) => {
    assertEquals(
      await runSample(dir, "mock_sample.ts", sample.code),
      "200\n1\n",
    );
  });
});

Deno.test("README: the install line from a clone is the task tests/install_test.ts runs", () => {
  const [line] = shellLines(readmeBlock("I want a token now", "sh", 1));
  assertEquals(line, "deno task install");
  const task = denoJson.tasks.install;
  assertStringIncludes(
    readmeText().replace(/\s+/g, " "),
    `That is \`${task}\``,
  );
  assertEquals(
    task,
    "deno install -g -A -f -n twitch-auth --config deno.json ./mod.ts",
  );
  const test = Deno.readTextFileSync(`${ROOT}tests/install_test.ts`);
  assertStringIncludes(test, `args: ["task", "install"]`);
});

Deno.test("README: the test command is the one .ci/run runs and deno.json defines", () => {
  const command = readmeCommand("npx -y deno@2.9.6 task test");
  assertEquals(command, "npx -y deno@2.9.6 task test");
  const ci = Deno.readTextFileSync(`${ROOT}.ci/run`).split("\n")
    .filter((line) => !line.trim().startsWith("#"));
  assert(
    ci.some((line) =>
      line.trim().startsWith(`${command} `) || line.trim() === command
    ),
    ".ci/run runs the README's test command",
  );
  assert(denoJson.tasks.test.startsWith("deno test -A"), denoJson.tasks.test);
});

Deno.test("README: the esbuild recipe installs the versions the module imports", () => {
  const install = readmeCommand("npm i ").split(" ").slice(2);
  const imports = Object.values(denoJson.imports).join(" ");
  assertEquals(install[0], "esbuild");
  for (const pkg of install.slice(1)) {
    assertStringIncludes(
      imports,
      `npm:${pkg}`,
      `${pkg} is what deno.json maps`,
    );
  }
  // The esbuild line itself is what tests/esbuild_recipe_test.ts runs.
  assertMatch(
    readmeCommand("npx esbuild "),
    / --alias:jose=\.\/node_modules\/jose /,
  );
});

Deno.test("README: the Node recipe's bundle line and import run in Node against the mock", async () => {
  const line = readmeCommand(
    "deno bundle --platform browser -o twitch-auth.mjs",
  );
  const usage = readmeBlock("Recipes per runtime", "js", 0);
  await using mock = await startMockTwitch();
  await inScratchDir(async (dir) => {
    const args = line.split(" ").slice(1);
    const entry = args.pop()!;
    const built = await new Deno.Command(DENO, {
      args: [...args, `${ROOT}${entry}`],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(built.code, 0, decoder.decode(built.stderr));
    const { accessToken } = mock.issueUserToken({ scopes: ["chat:read"] });
    await Deno.writeTextFile(
      `${dir}/app.mjs`,
      `${usage.code}
const [token, authBaseUrl] = process.argv.slice(2);
console.log((await validateToken(token, { authBaseUrl })).login, typeof createTwitchLoginHandler);
`,
    );
    const ran = await new Deno.Command("node", {
      args: ["app.mjs", accessToken, mock.authBaseUrl],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(ran.code, 0, decoder.decode(ran.stderr));
    assertEquals(decoder.decode(ran.stdout), "twitchdev function\n");
  });
});

Deno.test("README: 'Which scopes do I need?' prints what its comments say, from the CLI and the library", async () => {
  const cli = readmeBlock("Which scopes do I need?", "sh", 0);
  const [command, said] = cli.code.split("\n");
  const promised = /^# (Scopes: [^,]+),/.exec(said)?.[1];
  assert(promised, said);
  await inScratchDir(async (dir) => {
    await using terminal = new Terminal(dir);
    const result = await terminal.run(command);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout.split("\n")[0], promised);

    const sample = readmeBlock("Which scopes do I need?", "ts", 0);
    const comment = (marker: string) =>
      new RegExp(`${marker}.*// (.*)$`, "m").exec(sample.code)![1];
    const lines = (await runSample(dir, "scopes.ts", sample.code)).trim()
      .split("\n");
    assertEquals(lines[0], comment("advice.scopes"));
    assertEquals(lines.at(-1), comment("eventSub.token"));
    const tasks = comment("tasks.join").replace(/^.*: /, "").replace(
      ", ...",
      "",
    );
    assert(lines.at(-2)!.startsWith(tasks), lines.at(-2));
  });
});

Deno.test("README: the workerd recipe's lines are the ones examples/workerd/config.capnp states and tests/workerd_recipe_test.ts follows", () => {
  const readme = shellLines(readmeBlock("Recipes per runtime", "sh", 2));
  const config = Deno.readTextFileSync(`${ROOT}examples/workerd/config.capnp`)
    .split("\n").filter((line) => line.startsWith("#   "))
    .map((line) => line.slice(4).trim());
  assertEquals(readme, config);
  assertEquals(readme.length, 3);
  const test = Deno.readTextFileSync(`${ROOT}tests/workerd_recipe_test.ts`);
  for (const needed of ["config.capnp", "--directory-path", "do-disk="]) {
    assertStringIncludes(test, needed);
  }
});

Deno.test("README: the Deno Deploy recipe's local line is the one tests/edge_examples_test.ts runs", () => {
  const line = readmeCommand(
    "deno run -A --unstable-kv examples/edge_login.ts",
  );
  const args = line.split(" ").slice(1).map((arg) => JSON.stringify(arg));
  const test = Deno.readTextFileSync(`${ROOT}tests/edge_examples_test.ts`);
  assert(
    test.replace(/\s+/g, " ").includes(`args: [${args.join(", ")}]`),
    `tests/edge_examples_test.ts does not run: ${line}`,
  );
});

Deno.test("README: the command line reference names every command and option the CLI's --help lists", async () => {
  const help = await new Deno.Command(DENO, {
    args: ["run", "-A", `${ROOT}mod.ts`, "--help"],
    stdout: "piped",
  }).output();
  const text = decoder.decode(help.stdout);
  const part = (from: string, to: string) =>
    text.slice(text.indexOf(from), text.indexOf(to));
  const commands = [
    ...part("Commands:", "Options:").matchAll(
      /^ {2}([a-z]+(?: expire| revoke)?)(?= {2}| \[| TOKEN)/gm,
    ),
  ].map(([, command]) =>
    command.replace(/ (expire|revoke)$/, " expire\\|revoke")
  );
  const options = [
    ...part("Options:", "Examples:").matchAll(/^ {2}(?:(-\w), )?(--[a-z-]+)/gm),
  ].map(([, short, long]) => short ? `${short}/${long}` : long);
  assert(commands.length >= 10 && options.length >= 18, text);
  const readme = readmeText();
  const reference = readme.slice(
    readme.indexOf("## Command line reference"),
    readme.indexOf("## Library reference"),
  );
  for (const command of commands) {
    assertStringIncludes(reference, `| \`${command}`, command);
  }
  for (const option of options) {
    assertStringIncludes(reference, `\`${option}\``, option);
  }
});
