// Redis and PostgreSQL servers a test starts for itself, on a free port with
// its data in a temporary folder, to stop and start them again (and to pick
// their persistence). Each is stopped by its own process id.

import { closedPort } from "./_util.ts";

const PG_BIN = "/usr/lib/postgresql/15/bin";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Why own servers cannot be started here, or undefined when they can. */
export async function ownServersMissing(): Promise<string | undefined> {
  const redis = await new Deno.Command("redis-server", { args: ["--version"] })
    .output().then((o) => o.success, () => false);
  if (!redis) {
    return "redis-server is not installed (apt-get install redis-server)";
  }
  if (!await exists(`${PG_BIN}/initdb`)) {
    return "PostgreSQL 15's initdb is not installed (apt-get install postgresql)";
  }
  return undefined;
}

async function waitForPort(port: number, what: string): Promise<void> {
  const giveUp = Date.now() + 20_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch (error) {
      if (Date.now() > giveUp) {
        throw new Error(`${what} did not start`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A redis-server of this test's own. */
export interface OwnRedis extends AsyncDisposable {
  url: string;
  /** Kills the server (SIGKILL: what a crash or power loss leaves). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
}

export async function startOwnRedis(
  { durable = true } = {},
): Promise<OwnRedis> {
  const dir = await Deno.makeTempDir({ prefix: "own_redis_" });
  const port = closedPort();
  const persistence = durable
    ? ["--appendonly", "yes", "--appendfsync", "always"]
    : ["--appendonly", "no"];
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    child = new Deno.Command("redis-server", {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        ...persistence,
        "--dir",
        dir,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForPort(port, "redis-server");
  };
  const kill = async () => {
    if (!child) return;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    child = undefined;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    async [Symbol.asyncDispose]() {
      await kill();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A PostgreSQL cluster of this test's own. */
export interface OwnPostgres extends AsyncDisposable {
  url: string;
  /** Stops it at once, as a crash would (`pg_ctl stop -m immediate`). */
  kill(): Promise<void>;
  start(): Promise<void>;
}

function asPostgres(args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("runuser", {
    args: ["-u", "postgres", "--", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

async function mustRun(args: string[]): Promise<void> {
  const out = await asPostgres(args);
  if (!out.success) {
    throw new Error(
      `${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

/** The postgres account's user (`-u`) or group (`-g`) id. */
async function idOf(flag: "-u" | "-g"): Promise<number> {
  const out = await new Deno.Command("id", { args: [flag, "postgres"] })
    .output();
  if (!out.success) throw new Error("there is no postgres account");
  return Number(new TextDecoder().decode(out.stdout));
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await Deno.makeTempDir({ prefix: "own_pg_" });
  await Deno.chown(dir, await idOf("-u"), await idOf("-g"));
  const data = `${dir}/data`;
  const port = closedPort();
  await mustRun([
    `${PG_BIN}/initdb`,
    "-D",
    data,
    "--auth=trust",
    "-U",
    "postgres",
    "--no-sync",
  ]);
  const start = async () => {
    await mustRun([
      `${PG_BIN}/pg_ctl`,
      "-D",
      data,
      "-l",
      `${dir}/log`,
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
      "start",
    ]);
    await waitForPort(port, "PostgreSQL");
  };
  const kill = async () => {
    await asPostgres([
      `${PG_BIN}/pg_ctl`,
      "-D",
      data,
      "-m",
      "immediate",
      "-w",
      "stop",
    ]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kill,
    start,
    async [Symbol.asyncDispose]() {
      await kill();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
