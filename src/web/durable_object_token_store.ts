/**
 * A `TokenStore` for Cloudflare Workers, on the `TwitchTokenObject`
 * Durable Object.
 *
 * @module
 */

import { AccessToken } from "./access_token.ts";
import { InvalidArgumentError, TwitchAuthError } from "./errors.ts";
import { CorruptTokenStoreError } from "./errors_token_store.ts";
import type { StoredToken, TokenLease, TokenStore } from "./token_store.ts";
import { checkClaim } from "./_claim.ts";
import { checkUserId } from "./_store_checks.ts";

/**
 * A Durable Object namespace binding (Cloudflare's
 * `DurableObjectNamespace`), as far as {@linkcode DurableObjectTokenStore}
 * uses it.
 *
 * @example The binding from the Worker's `env`
 * ```ts ignore
 * import type { TokenObjectNamespace } from "@x/twitch-auth/cloudflare";
 *
 * declare const env: { TOKENS: TokenObjectNamespace };
 * const stub = env.TOKENS.get(env.TOKENS.idFromName("twitch-auth"));
 * ```
 */
export interface TokenObjectNamespace {
  /** The id of the object with this name. */
  idFromName(name: string): unknown;
  /** A stub that sends requests to the object. */
  get(id: never): { fetch(request: Request): Promise<Response> };
}

/**
 * Options of a {@linkcode DurableObjectTokenStore}.
 *
 * @example Keep two apps' tokens in two objects
 * ```ts ignore
 * import { DurableObjectTokenStore } from "@x/twitch-auth/cloudflare";
 *
 * declare const env: { TOKENS: import("@x/twitch-auth/cloudflare").TokenObjectNamespace };
 * const store = new DurableObjectTokenStore(env.TOKENS, { name: "my-second-app" });
 * ```
 */
export interface DurableObjectTokenStoreOptions {
  /** The object's name: one object per name. Default `"twitch-auth"`. */
  name?: string;
}

/**
 * A {@linkcode TokenStore} for Cloudflare Workers: every call goes to one
 * `TwitchTokenObject` (one per app, by `name`), which runs each
 * compare-and-set, lease and claim atomically, so a `TokenProvider` in any
 * isolate of any location refreshes a user's token once per expiry with all
 * the others, and validates each user once per interval between them. Unlike
 * Workers KV (no compare-and-set, writes seen elsewhere after up to a
 * minute), nothing is lost when two isolates refresh a public client's
 * token at once.
 *
 * @example Helix as a user from a Worker
 * ```ts ignore
 * import { DurableObjectTokenStore, TwitchTokenObject } from "@x/twitch-auth/cloudflare";
 * import { TokenProvider } from "@x/twitch-auth/web";
 *
 * export { TwitchTokenObject };
 * export default {
 *   async fetch(request: Request, env: { TOKENS: DurableObjectNamespace }) {
 *     using provider = new TokenProvider({
 *       clientId: "my_app_id",
 *       clientSecret: "my_app_secret",
 *       store: new DurableObjectTokenStore(env.TOKENS),
 *     });
 *     return await provider.fetch("141981764", "users");
 *   },
 * };
 * ```
 */
export class DurableObjectTokenStore implements TokenStore {
  readonly #stub: { fetch(request: Request): Promise<Response> };
  readonly #name: string;

  /**
   * Creates the store on the namespace binding of `TwitchTokenObject`.
   *
   * @param namespace The Durable Object namespace (`env.TOKENS`).
   * @param options The object's name.
   * @throws {InvalidArgumentError} when `namespace` is not a Durable Object
   * namespace.
   */
  constructor(
    namespace: TokenObjectNamespace,
    options: DurableObjectTokenStoreOptions = {},
  ) {
    if (typeof namespace?.idFromName !== "function") {
      throw new InvalidArgumentError(
        "DurableObjectTokenStore needs the Durable Object namespace bound to TwitchTokenObject (env.TOKENS): check the binding in wrangler.toml",
      );
    }
    this.#name = options.name ?? "twitch-auth";
    this.#stub = namespace.get(namespace.idFromName(this.#name) as never);
  }

  /**
   * Reads a user's token.
   *
   * @param userId The Twitch user id.
   * @returns The token and its version, or `null` when none is stored.
   */
  async get(userId: string): Promise<StoredToken | null> {
    checkUserId(userId);
    const record = await this.#call({ op: "get", userId });
    return record === null ? null : this.#stored(record, userId);
  }

  /**
   * Writes a user's token if nobody wrote since `expected`.
   *
   * @param userId The Twitch user id.
   * @param token The token to store.
   * @param expected The version read before (`null`: expect no token).
   * @returns The new record, or `null` when the stored version was not
   * `expected`.
   */
  async set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    checkUserId(userId);
    if (!(token instanceof AccessToken) || token.accessToken === "") {
      throw new InvalidArgumentError(
        "token must be an AccessToken with a non-empty accessToken",
      );
    }
    const record = await this.#call({
      op: "set",
      userId,
      token: token.toJSON(),
      expected,
    });
    return record === null ? null : { token, version: versionOf(record) };
  }

  /**
   * Removes a user's token and lease.
   *
   * @param userId The Twitch user id.
   */
  async delete(userId: string): Promise<void> {
    checkUserId(userId);
    await this.#call({ op: "delete", userId });
  }

  /**
   * Lists the users that have a token stored.
   *
   * @returns Their Twitch user ids.
   */
  async list(): Promise<string[]> {
    return await this.#call({ op: "list" }) as string[];
  }

  /**
   * Takes the lease to refresh `userId`'s token at `version`.
   *
   * @param userId The Twitch user id.
   * @param version The version the caller found expired or refused.
   * @param ttl How long the lease lasts unless released, in milliseconds.
   * @returns The lease, or `null` when another live lease is held or the
   * stored version is no longer `version`.
   */
  async acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    checkUserId(userId);
    const leaseId = await this.#call({ op: "lease", userId, version, ttl });
    if (typeof leaseId !== "string") return null;
    return {
      release: async () => {
        await this.#call({ op: "release", userId, leaseId });
      },
    };
  }

  /**
   * Claims `key` for `ttl` milliseconds, unless a live claim holds it.
   *
   * @param key What is claimed, such as `validate:141981764`.
   * @param ttl How long the claim lasts, in milliseconds.
   * @returns Whether this caller got the claim.
   */
  async claim(key: string, ttl: number): Promise<boolean> {
    checkClaim(key, ttl);
    return await this.#call({ op: "claim", key, ttl }) === true;
  }

  async #call(operation: Record<string, unknown>): Promise<unknown> {
    const response = await this.#stub.fetch(
      new Request("https://twitch-token-object/", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(operation),
      }),
    );
    const body = await response.json().catch(() => undefined) as
      | { result?: unknown; error?: string }
      | undefined;
    if (response.status === 400 && typeof body?.error === "string") {
      throw new InvalidArgumentError(body.error);
    }
    if (!response.ok || !body || !("result" in body)) {
      throw new TwitchAuthError(
        `The Durable Object ${this.#name} answered ${response.status}: check that TOKENS is bound to TwitchTokenObject from @x/twitch-auth/cloudflare`,
      );
    }
    return body.result;
  }

  #stored(record: unknown, userId: string): StoredToken {
    const where = `Durable Object ${this.#name} (user ${userId})`;
    const token = (record as { token?: unknown })?.token;
    try {
      return { token: AccessToken.fromJSON(token), version: versionOf(record) };
    } catch (error) {
      throw new CorruptTokenStoreError(where, "the record is not a token", {
        cause: error,
      });
    }
  }
}

function versionOf(record: unknown): string {
  return String((record as { version: unknown }).version);
}
