/**
 * `--output`: checked before anything else happens, so that a path that
 * cannot be written fails at once instead of after the sign-in; written so
 * that nothing is lost: an `.env` file keeps its other lines, a file that is
 * not a token file is not replaced without `--force`, and a write that
 * fails after all leaves the result in a file beside it, or on stdout.
 *
 * @module
 */

import { TwitchAuthError } from "../web/errors.ts";
import { UnsafeFileError } from "../web/errors_token_store.ts";
import { checkFolder, checkOwnFile } from "../deno/_files.ts";
import { hasTokenFields, isObject } from "../web/_token_record.ts";
import { writeSecretFile } from "../deno/token_file.ts";
import { type CliOptions, type Format, UsageError } from "./_options.ts";
import type { CliContext } from "./_run.ts";

/**
 * Makes sure `path` can be written: its folder exists and is a folder, a
 * file can be created in it, `path` itself is not a folder, no other user
 * can steer it (a folder others can write, a link), and with
 * `--format json` (without `--force`) it is missing, empty or a token file.
 * Leaves nothing behind.
 *
 * @param path The `--output` path.
 * @param options `--format` and `--force`.
 * @throws {UsageError} naming the path and what is wrong with it.
 */
export async function checkOutputPath(
  path: string,
  options: Pick<CliOptions, "format" | "force">,
): Promise<void> {
  const folder = folderOf(path);
  const here = await statOf(path);
  if (here?.isDirectory) {
    throw new UsageError(
      `--output ${path} is a folder: give a file name, such as ${
        path.replace(/\/+$/, "")
      }/token.json`,
    );
  }
  const parent = await statOf(folder);
  if (!parent) {
    throw new UsageError(
      `--output ${path}: the folder ${folder} does not exist; create it first`,
    );
  }
  if (!parent.isDirectory) {
    throw new UsageError(`--output ${path}: ${folder} is not a folder`);
  }
  await checkSafe(path);
  await probeWrite(path, folder);
  if (here && !options.force) {
    await checkReplaceable(path, options.format, await readExisting(path));
  }
}

/**
 * Writes the result to `--output`: `env` lines merged into the file's
 * other lines, `json` and `text` replacing it (a `json` one only when it
 * is a token file, unless `--force`). When that fails, the result goes to
 * a 0600 file beside it, or to stdout, and the error says where.
 *
 * @param cli The command (`--output`, `--format`, `--force`).
 * @param text The result.
 * @throws {TwitchAuthError} when `--output` could not be written, saying
 * where the result went instead.
 */
export async function writeOutput(
  cli: CliContext,
  text: string,
): Promise<void> {
  const { output: path, format, force } = cli.options;
  try {
    const existing = await readExisting(path!);
    if (!force) await checkReplaceable(path!, format, existing);
    const merged = format === "env" && existing
      ? mergeEnv(existing, text)
      : text;
    await writeSecretFile(path!, merged);
  } catch (error) {
    const where = await saveElsewhere(cli, path!, text);
    throw new TwitchAuthError(
      `Could not write ${path} (${reasonOf(error)}); ${where}`,
      { cause: error },
    );
  }
  cli.io.writeErr(`Wrote the result to ${path} (readable by you only).\n`);
}

/** Saves the result beside `path`, else on stdout; says where it went. */
async function saveElsewhere(
  cli: CliContext,
  path: string,
  text: string,
): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, "");
  const random = crypto.getRandomValues(new Uint16Array(1))[0].toString(16);
  const fallback = `${path}.${stamp}-${random}.saved`;
  try {
    await writeSecretFile(fallback, text);
    return `the result was saved to ${fallback} instead (readable by you only): move it where it belongs`;
  } catch {
    await cli.io.writeOut(text);
    return "the result was printed on stdout instead: keep it before closing this window";
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof UsageError || error instanceof TwitchAuthError) {
    return error.message.split("\n")[0];
  }
  return error instanceof Error ? error.name : "error";
}

/** The text of an existing `--output` file, `undefined` when there is none. */
async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Refuses to replace, with `--format json`, a file that is not a token file. */
function checkReplaceable(
  path: string,
  format: Format,
  existing: string | undefined,
): void {
  if (format !== "json" || existing === undefined || existing.trim() === "") {
    return;
  }
  if (isTokenFile(existing)) return;
  throw new UsageError(
    `--output ${path} already exists and is not a token file: pick another path, or pass --force to replace it`,
  );
}

/** A JSON object this tool or the token store wrote: a token, users, or a validation. */
function isTokenFile(text: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  return isObject(data) &&
    (hasTokenFields(data) || "users" in data || "client_id" in data ||
      "revoked" in data);
}

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

/**
 * `existing` with the `NAME=` lines of `update` in place of its own lines
 * of those names (the first one of each; later repeats are dropped), every
 * other line kept as it was, and the names it did not have appended.
 *
 * @param existing The file's text.
 * @param update The lines to write.
 * @returns The merged text.
 */
export function mergeEnv(existing: string, update: string): string {
  const updates = new Map<string, string>();
  const others: string[] = [];
  for (const line of update.split("\n").filter((l) => l !== "")) {
    const name = ENV_LINE.exec(line)?.[1];
    if (name) updates.set(name, line);
    else others.push(line);
  }
  const placed = new Set<string>();
  const lines = existing.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const kept: string[] = [];
  for (const line of lines) {
    const name = ENV_LINE.exec(line)?.[1];
    if (name === undefined || !updates.has(name)) {
      kept.push(line);
    } else if (!placed.has(name)) {
      kept.push(updates.get(name)!);
      placed.add(name);
    }
  }
  for (const [name, line] of updates) if (!placed.has(name)) kept.push(line);
  for (const line of others) if (!kept.includes(line)) kept.push(line);
  return `${kept.join("\n")}\n`;
}

/** Refuses a path another user could steer (see `writeSecretFile`). */
async function checkSafe(path: string): Promise<void> {
  try {
    await checkOwnFile(path, await checkFolder(path));
  } catch (error) {
    if (!(error instanceof UnsafeFileError)) throw error;
    throw new UsageError(`--output ${path}: ${error.message}`);
  }
}

/** Creates and removes a file beside `path`: the only sure test of writing. */
async function probeWrite(path: string, folder: string): Promise<void> {
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(16);
  const probe = `${path}.${random}.probe.tmp`;
  try {
    const file = await Deno.open(probe, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    file.close();
  } catch (error) {
    throw new UsageError(
      `--output ${path}: cannot create a file in ${folder} (${
        error instanceof Error ? error.name : "error"
      }); pick a folder you can write to`,
    );
  }
  await Deno.remove(probe).catch(() => {});
}

async function statOf(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.NotADirectory) return undefined;
    throw new UsageError(
      `--output: cannot look at ${path} (${
        error instanceof Error ? error.name : "error"
      })`,
    );
  }
}

function folderOf(path: string): string {
  const cut = path.replace(/\/+$/, "").lastIndexOf("/");
  if (cut < 0) return ".";
  return cut === 0 ? "/" : path.slice(0, cut);
}
