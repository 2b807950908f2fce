/**
 * A token store in one JSON file, shared safely by every process that opens
 * the same path.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { InvalidArgumentError } from "../web/errors.ts";
import {
  CorruptTokenStoreError,
  UnsafeFileError,
} from "../web/errors_token_store.ts";
import {
  isUserKey,
  type StoredToken,
  type TokenLease,
  type TokenStore,
} from "../web/token_store.ts";
import { checkClaim } from "../web/_claim.ts";
import {
  checkToken,
  checkTtl,
  checkUserId,
  randomHex,
} from "../web/_store_checks.ts";
import {
  checkFolder,
  checkOwnFile,
  checkStillOurs,
  lockWithin,
  openLockFile,
  syncFolderOf,
  writeAll,
} from "./_files.ts";
import {
  hasTokenFields,
  isObject,
  tokenFromRecord,
} from "../web/_token_record.ts";
import { TOKEN_FIELDS, toTwitchJson } from "../web/_token_json.ts";

/** The key of the token a file holds at its top level (no user id). */
const TOP_LEVEL_KEY = "default";

interface Lease {
  id: string;
  version: string;
  expiresAt: number;
}

/** A read-modify-write: changes `contents` in place, says if it did. */
type Change<T> = (contents: Contents) => { result: T; changed?: boolean };

interface Pending {
  change: Change<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Contents {
  tokens: Map<string, StoredToken>;
  leases: Map<string, Lease>;
  /** Live claims: key to the time they end. */
  claims: Map<string, number>;
  /** The fields this store does not know, by key (`""`: the top level). */
  unknown: Map<string, Record<string, unknown>>;
}

/** This store's own fields beside the tokens, at the top level. */
const OWN_FIELDS = ["version", "users", "leases", "claims"];

/**
 * A {@linkcode TokenStore} in one JSON file holding one or many users'
 * tokens, for bots and services on one machine: every process that opens
 * the same path shares the tokens and one refresh per expiry.
 *
 * **Guarantees.** Every read-modify-write (`set`, `delete`, `acquireLease`,
 * a lease's `release`) runs under an exclusive OS lock (`Deno.FsFile`'s
 * `tryLock`) on the sidecar file `path + ".lock"` (created beside it, never
 * removed: leave it there), so two processes can never lose each other's
 * writes. A process waits at most 10 seconds for a lock another process
 * holds (a write holds it for milliseconds; a holder stopped with Ctrl+Z or
 * a debugger, or hung, holds it longer), then the call throws
 * {@linkcode FileLockTimeoutError} naming the lock file; a holder that dies
 * lets it go at once. The file is replaced atomically, never rewritten in
 * place: the new content goes to `path + ".tmp"` (created new, mode 0600),
 * is synced, renamed over `path`, and the folder is synced. A crash leaves
 * the old file or the new one, never a torn one; a temporary file a killed
 * writer left behind is replaced by the next write. `get` and `list` read
 * without the lock.
 *
 * **Only the owner steers the files.** Every call refuses, with
 * {@linkcode UnsafeFileError} saying why and what to do, a folder other
 * users can write unless it is sticky (like `/tmp`; then the token file,
 * the lock and the temporary must be this user's own, which needs
 * `--allow-sys=uid` to check), and a token, lock or temporary path that is
 * a symbolic link.
 *
 * **Format.** A JSON object; every token in it is written in Twitch's field
 * names (`access_token`, `refresh_token`, `expires_in`, `scope`,
 * `token_type`, `id_token`) plus `obtained_at` (epoch milliseconds), before
 * and after any number of refreshes, so `jq -r .access_token` keeps
 * working. The token at the top level is the token of the key `"default"`
 * (the key `Twitch` and `UserTokenStorage` use): the file `twitch-auth
 * --format json --output tokens.json` writes is such a file. Other keys'
 * tokens (user ids) are under `users`, one record each in the same
 * spelling. Beside the token fields sit the store's own: the record's
 * `version`, and the live refresh leases under `leases` at the top level.
 * Fields the store does not know, at the top level or in a record, are
 * kept through every rewrite. Tokens in this module's own spelling
 * (`accessToken`, what `JSON.stringify(token)` writes) are read too, and
 * rewritten in Twitch's on the next write. A token without an obtained
 * time counts as expired, so it is refreshed before use.
 *
 * ```json
 * {
 *   "access_token": "…", "refresh_token": "…", "expires_in": 14400,
 *   "scope": ["chat:read"], "token_type": "bearer",
 *   "obtained_at": 1764600000000, "version": "3.9f2c41d07a5be618",
 *   "users": {
 *     "141981764": { "access_token": "…", "…": "…", "version": "1.…" }
 *   },
 *   "leases": { "141981764": { "id": "…", "version": "1.…", "expiresAt": 1764600009000 } }
 * }
 * ```
 *
 * Versions are a per-user counter and 64 random bits: never reused, even
 * after a delete. A `set` also ends the user's lease (it was for the old
 * version). The folder must exist; a file that is not such JSON makes every
 * call throw {@linkcode CorruptTokenStoreError}.
 *
 * @example A bot's tokens, shared by every process on the machine
 * ```ts
 * import { AccessToken, FileTokenStore } from "@x/twitch-auth";
 *
 * const path = `${await Deno.makeTempDir()}/tokens.json`;
 * const store = new FileTokenStore(path);
 * const token = new AccessToken({
 *   accessToken: "0123456789abcdefghijklmnopqrst",
 *   refreshToken: "refresh-token-of-fifty-characters-0123456789abcdef",
 *   expiresIn: 14_400,
 *   scopes: ["chat:read"],
 *   tokenType: "bearer",
 *   obtainedAt: Date.now(),
 * });
 * const stored = await store.set("141981764", token, null);
 * console.log(await store.list()); // ["141981764"]
 * console.log((await store.get("141981764"))?.version === stored?.version); // true
 * ```
 */
export class FileTokenStore implements TokenStore {
  /** The token file. */
  readonly path: string;
  #pending: Pending[] = [];
  #flushing = false;
  #reading: Promise<Contents> | undefined;
  #nextRead: Promise<Contents> | undefined;

  /**
   * Opens the store; nothing is read or created until the first call.
   *
   * @param path The token file; its folder must exist (writes throw
   * {@linkcode InvalidArgumentError} otherwise).
   * @throws {InvalidArgumentError} when `path` is empty.
   */
  constructor(path: string) {
    if (typeof path !== "string" || path === "") {
      throw new InvalidArgumentError(
        "FileTokenStore needs the path of its token file",
      );
    }
    this.path = path;
  }

  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id (`"default"` for a top-level token).
   * @returns The token and its version, or `null` when none is stored.
   * @throws {CorruptTokenStoreError} when the file is damaged.
   */
  async get(userId: string): Promise<StoredToken | null> {
    checkUserId(userId);
    return (await this.#sharedRead()).tokens.get(userId) ?? null;
  }

  /**
   * Writes a user's token if nobody wrote since `expected`; durable (synced
   * and renamed into place) when it resolves. It ends the user's lease.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when the stored version was not
   * `expected`.
   * @throws {CorruptTokenStoreError} when the file is damaged.
   * @throws {FileLockTimeoutError} when another process held the lock for
   * 10 seconds.
   * @throws {UnsafeFileError} when another user could steer the files.
   */
  async set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    checkUserId(userId);
    checkToken(token);
    return await this.#update((contents) => {
      const current = contents.tokens.get(userId);
      if ((current?.version ?? null) !== expected) return { result: null };
      const stored = { token, version: nextVersion(current?.version) };
      contents.tokens.set(userId, stored);
      contents.leases.delete(userId);
      return { result: stored, changed: true };
    });
  }

  /**
   * Removes a user's token and lease; removing a user that is not stored
   * does nothing.
   *
   * @param userId The Twitch user id.
   * @throws {CorruptTokenStoreError} when the file is damaged.
   */
  async delete(userId: string): Promise<void> {
    checkUserId(userId);
    await this.#update((contents) => {
      contents.unknown.delete(userId);
      const hadToken = contents.tokens.delete(userId);
      const hadLease = contents.leases.delete(userId);
      return { result: undefined, changed: hadToken || hadLease };
    });
  }

  /**
   * Lists the users that have a token stored.
   *
   * @returns Their user ids (`"default"` for a top-level token).
   * @throws {CorruptTokenStoreError} when the file is damaged.
   */
  async list(): Promise<string[]> {
    return [...(await this.#sharedRead()).tokens.keys()].filter(isUserKey);
  }

  /**
   * Claims `key` for `ttl` milliseconds under the file lock, unless a live
   * claim holds it; the claim is in the file, so every process sharing it
   * sees it.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   * @throws {CorruptTokenStoreError} when the file is damaged.
   */
  async claim(key: string, ttl: number): Promise<boolean> {
    checkClaim(key, ttl);
    return await this.#update((contents) => {
      const now = Date.now();
      if ((contents.claims.get(key) ?? 0) > now) return { result: false };
      contents.claims.set(key, now + ttl);
      return { result: true, changed: true };
    });
  }

  /**
   * Takes the lease to refresh `userId`'s token at `version`, under the file
   * lock, so one process in all those sharing the file calls Twitch.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held or the
   * stored version is no longer `version`.
   * @throws {CorruptTokenStoreError} when the file is damaged.
   */
  async acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    checkUserId(userId);
    checkTtl(ttl);
    return await this.#update((contents) => {
      const now = Date.now();
      const held = contents.leases.get(userId);
      if (
        contents.tokens.get(userId)?.version !== version ||
        (held && held.expiresAt > now)
      ) {
        return { result: null };
      }
      const id = randomHex(8);
      contents.leases.set(userId, { id, version, expiresAt: now + ttl });
      const lease: TokenLease = { release: () => this.#release(userId, id) };
      return { result: lease, changed: true };
    });
  }

  #release(userId: string, id: string): Promise<void> {
    return this.#update((contents) => {
      if (contents.leases.get(userId)?.id !== id) return { result: undefined };
      contents.leases.delete(userId);
      return { result: undefined, changed: true };
    });
  }

  /**
   * Queues one read-modify-write. The changes queued while a write is under
   * way run together next, in order, under one lock and one write (a group
   * commit): each still sees the ones before it, and each call resolves only
   * once the file holding its change is durable.
   */
  #update<T>(change: Change<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({
        change,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.#flushing) this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        const results = await this.#locked(async () => {
          const contents = await this.#read();
          const outcomes = batch.map(({ change }) => change(contents));
          if (outcomes.some((o) => o.changed)) await this.#write(contents);
          return outcomes.map((o) => o.result);
        });
        batch.forEach(({ resolve }, i) => resolve(results[i]));
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
    this.#flushing = false;
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    const lockPath = `${this.path}.lock`;
    const folder = await checkFolder(this.path);
    const lock = await openLockFile(lockPath, folder).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new InvalidArgumentError(
        `The folder of the token file ${this.path} does not exist: create it, or pass another path`,
        { cause: error },
      );
    });
    try {
      await lockWithin(lock, lockPath);
      return await work();
    } finally {
      lock.close(); // closing the file releases the lock
    }
  }

  /**
   * A read for `get` and `list`, shared by the calls made while one is under
   * way: they all join the next read, which starts when the current one
   * ends, so each caller still sees every write finished before it called.
   */
  #sharedRead(): Promise<Contents> {
    if (!this.#reading) {
      this.#reading = this.#read().finally(() => this.#reading = undefined);
      return this.#reading;
    }
    this.#nextRead ??= this.#reading.catch(() => {}).then(() => {
      this.#nextRead = undefined;
      return this.#sharedRead();
    });
    return this.#nextRead;
  }

  async #read(): Promise<Contents> {
    await checkOwnFile(this.path, await checkFolder(this.path));
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return {
          tokens: new Map(),
          leases: new Map(),
          claims: new Map(),
          unknown: new Map(),
        };
      }
      throw error;
    }
    return await parseContents(text, this.path);
  }

  /** Replaces the file atomically: temporary file, sync, rename, folder sync. */
  async #write(contents: Contents): Promise<void> {
    const temporary = `${this.path}.tmp`;
    // Under the lock no other writer exists: a temporary file there is a
    // killed writer's. Remove it rather than reuse it (fresh inode, 0600:
    // created here, never opened through a link, never chmod-ed by path).
    await checkOwnFile(temporary, await checkFolder(this.path));
    await Deno.remove(temporary).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
    const file = await Deno.open(temporary, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    try {
      await writeAll(file, new TextEncoder().encode(serialize(contents)));
      await file.sync();
      if (await checkStillOurs(temporary, file) === "gone") {
        throw new UnsafeFileError(
          temporary,
          "the temporary file was removed or replaced while it was being written, under the store's lock",
          "Find out who else writes to this folder, and keep tokens in a folder only you can write",
        );
      }
    } finally {
      file.close();
    }
    await Deno.rename(temporary, this.path);
    await syncFolderOf(this.path);
  }
}

/** Parses the file's text into tokens and live leases. */
async function parseContents(text: string, path: string): Promise<Contents> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CorruptTokenStoreError(path, "it is not JSON", { cause: error });
  }
  if (!isObject(data)) {
    throw new CorruptTokenStoreError(path, "it is not a JSON object");
  }
  const tokens = new Map<string, StoredToken>();
  const unknown = new Map<string, Record<string, unknown>>();
  unknown.set("", unknownFields(data, [...TOKEN_FIELDS, ...OWN_FIELDS]));
  if (hasTokenFields(data)) {
    tokens.set(TOP_LEVEL_KEY, await storedFrom(data, path));
  }
  const users = data.users ?? {};
  if (!isObject(users)) {
    throw new CorruptTokenStoreError(path, "the field users is not an object");
  }
  for (const [userId, record] of Object.entries(users)) {
    const where = `${path} (user ${userId})`;
    if (!isObject(record)) {
      throw new CorruptTokenStoreError(where, "the record is not an object");
    }
    tokens.set(userId, await storedFrom(record, where));
    unknown.set(userId, unknownFields(record, [...TOKEN_FIELDS, "version"]));
  }
  return {
    tokens,
    leases: liveLeases(data.leases),
    claims: liveClaims(data.claims),
    unknown,
  };
}

/** The fields of `record` not named in `known`. */
function unknownFields(
  record: Record<string, unknown>,
  known: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => !known.includes(name)),
  );
}

/** A record's token and version; a record without one gets a stable one. */
async function storedFrom(
  record: Record<string, unknown>,
  where: string,
): Promise<StoredToken> {
  const token = tokenFromRecord(record, where);
  if (record.version === undefined) {
    // Written by someone else (the CLI, JSON.stringify): a version derived
    // from the tokens themselves, so a new token there is a new version.
    return { token, version: `0.${await digest(token)}` };
  }
  if (typeof record.version !== "string" || record.version === "") {
    throw new CorruptTokenStoreError(
      where,
      "the field version is not a string",
    );
  }
  return { token, version: record.version };
}

/** The leases still running; malformed ones count as none. */
function liveLeases(data: unknown): Map<string, Lease> {
  const leases = new Map<string, Lease>();
  if (!isObject(data)) return leases;
  const now = Date.now();
  for (const [userId, lease] of Object.entries(data)) {
    if (
      isObject(lease) && typeof lease.id === "string" &&
      typeof lease.version === "string" &&
      typeof lease.expiresAt === "number" && lease.expiresAt > now
    ) {
      leases.set(userId, {
        id: lease.id,
        version: lease.version,
        expiresAt: lease.expiresAt,
      });
    }
  }
  return leases;
}

/** The claims still running; malformed ones count as none. */
function liveClaims(data: unknown): Map<string, number> {
  const claims = new Map<string, number>();
  if (!isObject(data)) return claims;
  const now = Date.now();
  for (const [key, until] of Object.entries(data)) {
    if (typeof until === "number" && until > now) claims.set(key, until);
  }
  return claims;
}

/**
 * The file's text: the `"default"` token at the top, then users, leases,
 * claims; each token in Twitch's spelling, with the fields no one here knows.
 */
function serialize({ tokens, leases, claims, unknown }: Contents): string {
  const record = (key: string, { token, version }: StoredToken) => ({
    ...(key === TOP_LEVEL_KEY ? {} : unknown.get(key)),
    ...toTwitchJson(token),
    version,
  });
  const top = tokens.get(TOP_LEVEL_KEY);
  const users = [...tokens].filter(([key]) => key !== TOP_LEVEL_KEY);
  const data = {
    ...unknown.get(""),
    ...(top ? record(TOP_LEVEL_KEY, top) : {}),
    ...(users.length > 0
      ? {
        users: Object.fromEntries(users.map(([k, v]) => [k, record(k, v)])),
      }
      : {}),
    ...(leases.size > 0 ? { leases: Object.fromEntries(leases) } : {}),
    ...(claims.size > 0 ? { claims: Object.fromEntries(claims) } : {}),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The version after `previous`: the counter plus one, and random bits. */
function nextVersion(previous: string | undefined): string {
  const counter = Number.parseInt(previous ?? "0", 10);
  return `${(Number.isSafeInteger(counter) ? counter : 0) + 1}.${randomHex(8)}`;
}

/** 64 bits of the SHA-256 of a token's secrets (it shows neither). */
async function digest(token: AccessToken): Promise<string> {
  const bytes = new TextEncoder().encode(
    `${token.accessToken}\n${token.refreshToken ?? ""}\n${token.obtainedAt}`,
  );
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash.subarray(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}
