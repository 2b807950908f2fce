/**
 * A token store on Redis, through the application's own Redis client.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import { InvalidArgumentError } from "./errors.ts";
import { type RedisCalls, redisCalls } from "./_redis_client.ts";
import {
  boundedCall,
  checkStoreTimeout,
  DEFAULT_STORE_TIMEOUT,
} from "./_store_call.ts";
import { checkClaim } from "./_claim.ts";
import {
  checkToken,
  checkTtl,
  checkUserId,
  randomHex,
  secretsOf,
} from "./_store_checks.ts";
import { storedFromRecord } from "./_token_record.ts";
import { toTwitchJson } from "./_token_json.ts";
import type { StoredToken, TokenLease, TokenStore } from "./token_store.ts";

/**
 * Options of a {@linkcode RedisTokenStore}.
 *
 * @example Keep two bots' tokens apart on one Redis
 * ```ts ignore
 * import type { RedisTokenStoreOptions } from "@x/twitch-auth/redis";
 *
 * const options: RedisTokenStoreOptions = {
 *   prefix: "my-bot:",
 *   timeout: 2_000,
 *   onWarning: (message) => logger.warn(message),
 * };
 * ```
 */
export interface RedisTokenStoreOptions {
  /**
   * What every key starts with, default `"twitch-auth:"`. A user's token is
   * the hash `<prefix>token:<userId>` (fields `version` and `token`, the
   * token as JSON in Twitch's spelling), its lease `<prefix>lease:<userId>`,
   * a claim `<prefix>claim:<key>`.
   */
  prefix?: string;
  /**
   * Milliseconds each call to Redis may take before it fails with
   * `TokenStoreUnavailableError`, default 5 000. (ioredis alone keeps a
   * command waiting for about 74 s while the server is down.)
   */
  timeout?: number;
  /**
   * Called once per client when Redis would lose tokens on a restart (no
   * append-only file), default `console.warn`. Pass `() => {}` to silence it.
   */
  onWarning?: (message: string) => void;
}

/** Writes the token when the stored version is `expected` (`""`: none); ends the lease. */
const SET_SCRIPT = `local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'token', ARGV[3])
redis.call('DEL', KEYS[2])
return 1`;

/** Takes the lease when the token is at ARGV[1] and no lease is live. */
const LEASE_SCRIPT = `if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then
  return 0
end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0`;

/** Ends the lease only when it is still the caller's. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const GET_SCRIPT = `return redis.call('HMGET', KEYS[1], 'version', 'token')`;

const DELETE_SCRIPT = `return redis.call('DEL', KEYS[1], KEYS[2])`;

/** Takes a claim unless a live one holds the key; Redis ends it after ARGV[1] ms. */
const CLAIM_SCRIPT =
  `if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return 0`;

/** The persistence check of each client, so that each warns once. */
const checks = new WeakMap<object, Promise<void>>();

/**
 * A {@linkcode TokenStore} on Redis, for bots and services on several
 * machines: they share users' tokens and one refresh per expiry.
 *
 * It takes the client the application already has, as it is: node-redis 4
 * or later (`createClient()` from `redis`, connected), ioredis (`new Redis()`
 * from `ioredis`), or Upstash's REST client (`new Redis({ url, token })` from
 * `@upstash/redis`) where TCP is not available; it imports none of them.
 * Closing the client stays the caller's job.
 *
 * Compare-and-set and the lease are Lua scripts, one round trip each: `set`
 * writes only when the stored version is the expected one, and ends the
 * user's lease; a lease is a key written with `SET NX PX`, so Redis expires
 * it by itself, and released only by its owner. Versions are random
 * 128-bit ids, never reused. Every call is bounded by `timeout` and fails
 * with `TokenStoreUnavailableError` when Redis is down.
 *
 * Redis keeps tokens only when it persists them: on first use the store
 * reads `CONFIG GET appendonly` and `save` (where the server allows it) and
 * warns when a restart would lose tokens. Refresh tokens of public clients
 * change on every refresh, so run Redis with `appendonly yes`.
 *
 * @example Share tokens between instances through Redis
 * ```ts ignore
 * import { createClient } from "npm:redis";
 * import { TokenProvider } from "@x/twitch-auth";
 * import { RedisTokenStore } from "@x/twitch-auth/redis";
 *
 * const redis = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const provider = new TokenProvider({
 *   clientId: "my_app_id",
 *   clientSecret: "my_app_secret",
 *   store: new RedisTokenStore(redis, { prefix: "my-bot:" }),
 * });
 * const token = await provider.getAccessToken("141981764");
 * ```
 */
export class RedisTokenStore implements TokenStore {
  #redis: RedisCalls;
  #client: object;
  #prefix: string;
  #timeout: number;
  #onWarning: (message: string) => void;

  /**
   * Creates the store on a Redis client.
   *
   * @param client A node-redis, ioredis or Upstash client.
   * @param options The key prefix, the call timeout, the warning hook.
   * @throws {InvalidArgumentError} when `client` is none of these clients,
   * or an option is malformed.
   */
  constructor(client: unknown, options: RedisTokenStoreOptions = {}) {
    this.#redis = redisCalls(client);
    this.#client = client as object;
    const prefix = options.prefix ?? "twitch-auth:";
    if (typeof prefix !== "string") {
      throw new InvalidArgumentError(
        'prefix must be a string, such as "my-bot:"',
      );
    }
    this.#prefix = prefix;
    this.#timeout = checkStoreTimeout(options.timeout ?? DEFAULT_STORE_TIMEOUT);
    this.#onWarning = options.onWarning ?? ((message) => console.warn(message));
  }

  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id.
   * @returns The token and its version, or `null` when none is stored.
   * @throws {TokenStoreUnavailableError} when Redis fails or does not answer.
   * @throws {CorruptTokenStoreError} when the key holds no token.
   */
  async get(userId: string): Promise<StoredToken | null> {
    checkUserId(userId);
    const key = this.#tokenKey(userId);
    const answer = await this.#eval("get", GET_SCRIPT, [key], []);
    const [version, token] = Array.isArray(answer) ? answer : [];
    if (version === null && token === null) return null;
    return storedFromRecord(
      version,
      token,
      `Redis key ${JSON.stringify(key)}`,
    );
  }

  /**
   * Writes a user's token if the stored version is still `expected`, and
   * ends the user's lease, in one script.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when the stored version was not
   * `expected`.
   * @throws {TokenStoreUnavailableError} when Redis fails or does not answer.
   */
  async set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    checkUserId(userId);
    checkToken(token);
    if (expected === "") return null; // "" stands for "nothing stored"
    const version = `v${randomHex(16)}`;
    const written = await this.#eval(
      "set",
      SET_SCRIPT,
      [this.#tokenKey(userId), this.#leaseKey(userId)],
      [expected ?? "", version, JSON.stringify(toTwitchJson(token))],
      secretsOf(token),
    );
    return Number(written) === 1 ? { token, version } : null;
  }

  /**
   * Removes a user's token and lease; removing a user that is not stored
   * does nothing.
   *
   * @param userId The Twitch user id.
   * @throws {TokenStoreUnavailableError} when Redis fails or does not answer.
   */
  async delete(userId: string): Promise<void> {
    checkUserId(userId);
    await this.#eval(
      "delete",
      DELETE_SCRIPT,
      [this.#tokenKey(userId), this.#leaseKey(userId)],
      [],
    );
  }

  /**
   * Lists the users that have a token under this prefix, with `SCAN` (it
   * walks the whole key space, so keep it for maintenance, not every call);
   * the reserved `app:` keys (app tokens) are left out.
   *
   * @returns Their user ids.
   * @throws {TokenStoreUnavailableError} when Redis fails or does not answer.
   */
  async list(): Promise<string[]> {
    await this.#checkPersistence();
    const head = `${this.#prefix}token:`;
    const match = `${escapeGlob(head)}*`;
    const users = new Set<string>();
    let cursor = "0";
    do {
      const [next, keys]: [string, unknown[]] = await boundedCall(
        "Redis",
        "list",
        this.#timeout,
        () => this.#redis.scan(cursor, match),
      );
      for (const key of keys) {
        if (typeof key !== "string" || !key.startsWith(head)) continue;
        const userId = key.slice(head.length);
        if (!userId.startsWith("app:")) users.add(userId); // app tokens' keys
      }
      cursor = next;
    } while (cursor !== "0");
    return [...users];
  }

  /**
   * Takes the lease to refresh `userId`'s token at `version`, in one script:
   * the token must still be at `version`, and the lease key is written with
   * `SET NX PX ttl`, so Redis ends it after `ttl` by itself.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held or the
   * stored version is no longer `version`.
   * @throws {TokenStoreUnavailableError} when Redis fails or does not answer.
   */
  async acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    checkUserId(userId);
    checkTtl(ttl);
    const owner = randomHex(16);
    const leaseKey = this.#leaseKey(userId);
    const taken = await this.#eval(
      "acquireLease",
      LEASE_SCRIPT,
      [this.#tokenKey(userId), leaseKey],
      [String(version), owner, String(Math.ceil(ttl))],
    );
    if (Number(taken) !== 1) return null;
    return {
      release: async () => {
        await this.#eval("release", RELEASE_SCRIPT, [leaseKey], [owner]);
      },
    };
  }

  /**
   * Claims `key` for `ttl` milliseconds across every process sharing this
   * Redis (`SET <prefix>claim:<key> NX PX ttl`): `true` for one caller,
   * `false` while that claim lives. Redis ends the claim by itself.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   * @throws {TokenStoreUnavailableError} when Redis fails or does not answer.
   */
  async claim(key: string, ttl: number): Promise<boolean> {
    checkClaim(key, ttl);
    const taken = await this.#eval(
      "claim",
      CLAIM_SCRIPT,
      [`${this.#prefix}claim:${key}`],
      [String(Math.ceil(ttl))],
    );
    return Number(taken) === 1;
  }

  async #eval(
    operation: string,
    script: string,
    keys: string[],
    args: string[],
    secrets: string[] = [],
  ): Promise<unknown> {
    await this.#checkPersistence();
    return await boundedCall(
      "Redis",
      operation,
      this.#timeout,
      () => this.#redis.eval(script, keys, args),
      secrets,
    );
  }

  /** Warns once per client when Redis would not keep tokens over a restart. */
  #checkPersistence(): Promise<void> {
    const config = this.#redis.config;
    if (!config) return Promise.resolve();
    let check = checks.get(this.#client);
    if (!check) {
      check = this.#readPersistence(config);
      checks.set(this.#client, check);
    }
    return check;
  }

  async #readPersistence(
    config: (name: string) => Promise<unknown>,
  ): Promise<void> {
    try {
      const [appendonly, save] = await boundedCall(
        "Redis",
        "CONFIG GET",
        this.#timeout,
        () => Promise.all([config("appendonly"), config("save")]),
      );
      const warning = persistenceWarning(appendonly, save);
      if (warning) this.#onWarning(warning);
    } catch (error) {
      // CONFIG refused (managed Redis, ACLs): nothing to tell. Redis down:
      // the call itself fails next; look again on the next call.
      const cause = error instanceof Error ? error.cause : undefined;
      const answered = cause instanceof Error &&
        /ReplyError|ErrorReply/.test(cause.name + cause.constructor.name);
      if (!answered) checks.delete(this.#client);
    }
  }

  #tokenKey(userId: string): string {
    return `${this.#prefix}token:${userId}`;
  }

  #leaseKey(userId: string): string {
    return `${this.#prefix}lease:${userId}`;
  }
}

/** What Redis's persistence settings would lose on a restart, if anything. */
function persistenceWarning(
  appendonly: unknown,
  save: unknown,
): string | undefined {
  if (appendonly === "yes") return undefined;
  if (typeof appendonly !== "string") return undefined; // not told
  return save === "" || save === undefined || save === null
    ? 'RedisTokenStore: this Redis keeps tokens in memory only (appendonly no, save ""), so a restart signs every user out. Run it with appendonly yes'
    : "RedisTokenStore: this Redis saves only snapshots (appendonly no), so a restart loses tokens refreshed since the last one, and public clients' rotated refresh tokens with them. Run it with appendonly yes";
}

/** `text` with Redis's glob characters escaped, for `SCAN MATCH`. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
