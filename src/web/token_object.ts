/**
 * A Cloudflare Durable Object that owns an app's users' tokens.
 *
 * @module
 */

import { AccessToken } from "./access_token.ts";
import { InvalidArgumentError } from "./errors.ts";
import { isUserKey } from "./token_store.ts";
import { checkClaim } from "./_claim.ts";
import { checkTtl, checkUserId } from "./_store_checks.ts";

/**
 * The part of a Durable Object's storage the {@linkcode TwitchTokenObject}
 * uses (Cloudflare's `DurableObjectStorage` has it).
 *
 * @example The storage of the object's state
 * ```ts ignore
 * import type { TokenObjectStorage } from "@x/twitch-auth/cloudflare";
 *
 * declare const state: { storage: TokenObjectStorage };
 * console.log(await state.storage.get("token:141981764"));
 * ```
 */
export interface TokenObjectStorage {
  /** Reads a value. */
  get(key: string): Promise<unknown>;
  /** Writes a value. */
  put(key: string, value: unknown): Promise<void>;
  /** Removes a value. */
  delete(key: string): Promise<boolean>;
  /** Lists the values under a prefix. */
  list(options: { prefix: string }): Promise<Map<string, unknown>>;
}

/**
 * The state a Durable Object is constructed with (Cloudflare's
 * `DurableObjectState`), as far as {@linkcode TwitchTokenObject} uses it.
 *
 * @example The state Cloudflare passes
 * ```ts ignore
 * import type { TokenObjectState } from "@x/twitch-auth/cloudflare";
 *
 * declare const state: TokenObjectState;
 * console.log(await state.storage.list({ prefix: "token:" }));
 * ```
 */
export interface TokenObjectState {
  /** The object's transactional storage. */
  readonly storage: TokenObjectStorage;
}

/** One operation the store facade asks the object for. */
interface Operation {
  op: "get" | "set" | "delete" | "list" | "lease" | "release" | "claim";
  userId?: string;
  token?: unknown;
  expected?: string | null;
  version?: string;
  ttl?: number;
  leaseId?: string;
  key?: string;
}

interface TokenRecord {
  token: unknown;
  version: string;
}

interface LeaseRecord {
  id: string;
  version: string;
  expiresAt: number;
}

/**
 * A Durable Object that owns an app's users' tokens: one object per app
 * (per `name` given to `DurableObjectTokenStore`), holding every user's
 * token, refresh lease and validation claim in its transactional storage.
 * The platform runs one instance of it worldwide and delivers no other
 * request while one of its storage operations runs, so each compare-and-set,
 * lease and claim is atomic, and a user's token is refreshed once per expiry
 * by all the Worker isolates that share it. Workers talk to it through
 * `DurableObjectTokenStore`, a `TokenStore` for `TokenProvider`.
 *
 * Export it from your Worker and bind it in `wrangler.toml`:
 * `[[durable_objects.bindings]] name = "TOKENS", class_name = "TwitchTokenObject"`
 * and a migration with `new_sqlite_classes = ["TwitchTokenObject"]`.
 *
 * @example A Worker that keeps tokens in the object
 * ```ts ignore
 * import { DurableObjectTokenStore, TwitchTokenObject } from "@x/twitch-auth/cloudflare";
 * import { TokenProvider } from "@x/twitch-auth/web";
 *
 * export { TwitchTokenObject };
 * export default {
 *   async fetch(request: Request, env: { TOKENS: DurableObjectNamespace }) {
 *     using provider = new TokenProvider({
 *       clientId: "my_app_id",
 *       store: new DurableObjectTokenStore(env.TOKENS),
 *     });
 *     const token = await provider.getAccessToken("141981764");
 *     return new Response(`valid until ${new Date(token.expiresAt)}`);
 *   },
 * };
 * ```
 */
export class TwitchTokenObject {
  readonly #storage: TokenObjectStorage;

  /**
   * Created by the Workers runtime.
   *
   * @param state The object's state; its storage keeps the tokens.
   * @param _env The Worker's bindings (unused).
   */
  constructor(state: TokenObjectState, _env?: unknown) {
    this.#storage = state.storage;
  }

  /**
   * Answers one operation of `DurableObjectTokenStore` (a JSON body);
   * anything else gets a 400.
   *
   * @param request The store's request.
   * @returns The operation's result as JSON, or `{ error }` with 400.
   */
  async fetch(request: Request): Promise<Response> {
    let operation: Operation;
    try {
      operation = await request.json();
    } catch {
      return Response.json({ error: "the body is not JSON" }, { status: 400 });
    }
    try {
      return Response.json({ result: await this.#run(operation) });
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      return Response.json({ error: error.message }, { status: 400 });
    }
  }

  #run(operation: Operation): Promise<unknown> {
    switch (operation.op) {
      case "get":
        return this.#get(userIdOf(operation));
      case "set":
        return this.#set(operation);
      case "delete":
        return this.#delete(userIdOf(operation));
      case "list":
        return this.#list();
      case "lease":
        return this.#lease(operation);
      case "release":
        return this.#release(operation);
      case "claim":
        return this.#claim(operation);
      default:
        throw new InvalidArgumentError(
          `unknown operation ${JSON.stringify(operation.op)}`,
        );
    }
  }

  async #get(userId: string): Promise<TokenRecord | null> {
    const record = await this.#storage.get(`token:${userId}`);
    return record === undefined ? null : record as TokenRecord;
  }

  async #set(operation: Operation): Promise<TokenRecord | null> {
    const userId = userIdOf(operation);
    const token = tokenOf(operation.token);
    const expected = operation.expected ?? null;
    const current = await this.#get(userId);
    if ((current?.version ?? null) !== expected) return null;
    const record = { token, version: await this.#nextVersion() };
    await this.#storage.put(`token:${userId}`, record);
    await this.#storage.delete(`lease:${userId}`);
    return record;
  }

  async #delete(userId: string): Promise<null> {
    await this.#storage.delete(`token:${userId}`);
    await this.#storage.delete(`lease:${userId}`);
    return null;
  }

  async #list(): Promise<string[]> {
    const records = await this.#storage.list({ prefix: "token:" });
    return [...records.keys()].map((key) => key.slice("token:".length))
      .filter(isUserKey);
  }

  async #lease(operation: Operation): Promise<string | null> {
    const userId = userIdOf(operation);
    const ttl = positive(operation.ttl);
    const current = await this.#get(userId);
    const held = await this.#storage.get(`lease:${userId}`) as
      | LeaseRecord
      | undefined;
    const now = Date.now();
    if (
      current?.version !== operation.version ||
      (held && held.expiresAt > now)
    ) {
      return null;
    }
    const id = crypto.randomUUID();
    const lease: LeaseRecord = {
      id,
      version: current!.version,
      expiresAt: now + ttl,
    };
    await this.#storage.put(`lease:${userId}`, lease);
    return id;
  }

  async #release(operation: Operation): Promise<null> {
    const userId = userIdOf(operation);
    const held = await this.#storage.get(`lease:${userId}`) as
      | LeaseRecord
      | undefined;
    if (held?.id === operation.leaseId) {
      await this.#storage.delete(`lease:${userId}`);
    }
    return null;
  }

  async #claim(operation: Operation): Promise<boolean> {
    const key = operation.key as string;
    const ttl = operation.ttl as number;
    checkClaim(key, ttl);
    const until = await this.#storage.get(`claim:${key}`);
    const now = Date.now();
    if (typeof until === "number" && until > now) return false;
    await this.#storage.put(`claim:${key}`, now + ttl);
    return true;
  }

  /** A counter kept in storage, so versions never repeat. */
  async #nextVersion(): Promise<string> {
    const last = await this.#storage.get("counter");
    const next = (typeof last === "number" ? last : 0) + 1;
    await this.#storage.put("counter", next);
    return String(next);
  }
}

function userIdOf(operation: Operation): string {
  checkUserId(operation.userId as string);
  return operation.userId as string;
}

function positive(ttl: unknown): number {
  checkTtl(ttl as number);
  return ttl as number;
}

/** The token's JSON, checked to be one (so nothing else is ever stored). */
function tokenOf(value: unknown): unknown {
  try {
    return AccessToken.fromJSON(value).toJSON();
  } catch (error) {
    throw new InvalidArgumentError(
      "token must be an AccessToken with a non-empty accessToken",
      { cause: error },
    );
  }
}
