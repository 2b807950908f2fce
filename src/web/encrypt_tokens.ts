/**
 * Tokens encrypted at rest: a `TokenStore` wrapper.
 *
 * @module
 */

import { AccessToken, type AccessTokenData } from "./access_token.ts";
import { InvalidArgumentError } from "./errors.ts";
import { TokenKeyError } from "./errors_token_store.ts";
import type { StoredToken, TokenLease, TokenStore } from "./token_store.ts";

/**
 * An encryption key for {@linkcode encryptTokens}: its id (stored beside
 * each encrypted token, so keys can be rotated) and its secret, 32 random
 * bytes in base64 (`openssl rand -base64 32`).
 *
 * @example A key from the environment
 * ```ts ignore
 * import type { TokenEncryptionKey } from "@x/twitch-auth";
 *
 * const key: TokenEncryptionKey = { id: "2025-01", secret: Deno.env.get("TOKEN_KEY")! };
 * ```
 */
export interface TokenEncryptionKey {
  /** The key's id: letters, digits, `.`, `_` and `-`. */
  id: string;
  /** 16, 24 or 32 bytes (AES-128/192/256), base64 or base64url. */
  secret: string;
}

/**
 * Options of {@linkcode encryptTokens}.
 *
 * @example Rotate to a new key
 * ```ts ignore
 * import { encryptTokens, type EncryptTokensOptions, MemoryTokenStore } from "@x/twitch-auth";
 *
 * const options: EncryptTokensOptions = {
 *   olderKeys: [{ id: "2024-12", secret: Deno.env.get("OLD_TOKEN_KEY")! }],
 * };
 * const store = encryptTokens(new MemoryTokenStore(), { id: "2025-01", secret: Deno.env.get("TOKEN_KEY")! }, options);
 * ```
 */
export interface EncryptTokensOptions {
  /**
   * Keys that only decrypt: tokens written with them are read, and written
   * again with the current key on their next refresh.
   */
  olderKeys?: readonly TokenEncryptionKey[];
}

/** The start of an encrypted field: `enc:v1:<key id>:<base64url(iv ‖ ciphertext)>`. */
const PREFIX = "enc:v1:";
const FIELDS = ["accessToken", "refreshToken", "idToken"] as const;
type Field = typeof FIELDS[number];

/**
 * Wraps a token store so that the tokens in it are encrypted at rest: the
 * access token, refresh token and ID token of every token it writes are
 * encrypted with AES-GCM (WebCrypto, so on every runtime) under the current
 * key, each bound to its user and field (a ciphertext moved to another user
 * or field does not decrypt); what it reads is decrypted with the key whose
 * id is stored beside it. Lifetimes, scopes and versions stay readable, so
 * the store's compare-and-set, leases and claims work as before. A database
 * dump, a shared Redis or a copied token file then holds no usable token.
 *
 * Tokens stored before encryption was turned on are read as they are and
 * encrypted on their next write. To rotate keys, make the new key current
 * and pass the old one in `olderKeys` until every token has been refreshed
 * (within Twitch's 4-hour token lifetime for users that are active).
 *
 * @example Encrypt the tokens in a file store
 * ```ts ignore
 * import { encryptTokens, FileTokenStore, TokenProvider } from "@x/twitch-auth";
 *
 * const store = encryptTokens(new FileTokenStore("tokens.json"), {
 *   id: "2025-01",
 *   secret: Deno.env.get("TOKEN_KEY")!, // openssl rand -base64 32
 * });
 * const provider = new TokenProvider({ clientId: "my_app_id", store });
 * ```
 *
 * @param store The store that keeps the encrypted tokens.
 * @param key The key that encrypts (and decrypts).
 * @param options Older keys that only decrypt.
 * @returns A store with the same contract that encrypts and decrypts.
 * @throws {InvalidArgumentError} when a key's id or secret is malformed, or
 * two keys share an id.
 */
export function encryptTokens(
  store: TokenStore,
  key: TokenEncryptionKey,
  options: EncryptTokensOptions = {},
): TokenStore {
  return new EncryptedTokenStore(store, key, options.olderKeys ?? []);
}

class EncryptedTokenStore implements TokenStore {
  readonly #store: TokenStore;
  readonly #currentId: string;
  readonly #keys = new Map<string, Promise<CryptoKey>>();
  claim?: (key: string, ttl: number) => Promise<boolean>;

  constructor(
    store: TokenStore,
    current: TokenEncryptionKey,
    older: readonly TokenEncryptionKey[],
  ) {
    if (typeof store?.get !== "function") {
      throw new InvalidArgumentError(
        "encryptTokens needs a TokenStore to wrap, such as new FileTokenStore(path)",
      );
    }
    this.#store = store;
    for (const key of [current, ...older]) {
      const bytes = checkKey(key);
      if (this.#keys.has(key.id)) {
        throw new InvalidArgumentError(
          `Two encryption keys have the id "${key.id}": give each key its own id`,
        );
      }
      this.#keys.set(
        key.id,
        crypto.subtle.importKey("raw", bytes, "AES-GCM", false, [
          "encrypt",
          "decrypt",
        ]),
      );
    }
    this.#currentId = current.id;
    if (store.claim) this.claim = (key, ttl) => store.claim!(key, ttl);
  }

  async get(userId: string): Promise<StoredToken | null> {
    const stored = await this.#store.get(userId);
    if (!stored) return null;
    return {
      token: await this.#decrypt(userId, stored.token),
      version: stored.version,
    };
  }

  async set(
    userId: string,
    token: AccessToken,
    expected: string | null,
  ): Promise<StoredToken | null> {
    if (!(token instanceof AccessToken)) {
      throw new InvalidArgumentError(
        "token must be an AccessToken: read stored JSON with AccessToken.fromJSON()",
      );
    }
    const written = await this.#store.set(
      userId,
      await this.#encrypt(userId, token),
      expected,
    );
    return written && { token, version: written.version };
  }

  delete(userId: string): Promise<void> {
    return this.#store.delete(userId);
  }

  list(): Promise<string[]> {
    return this.#store.list();
  }

  acquireLease(
    userId: string,
    version: string,
    ttl: number,
  ): Promise<TokenLease | null> {
    return this.#store.acquireLease(userId, version, ttl);
  }

  async #encrypt(userId: string, token: AccessToken): Promise<AccessToken> {
    const key = await this.#keys.get(this.#currentId)!;
    const data: AccessTokenData = token.toJSON();
    for (const field of FIELDS) {
      const plain = data[field];
      if (plain === undefined) continue;
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: "AES-GCM", iv, additionalData: bound(userId, field) },
          key,
          new TextEncoder().encode(plain),
        ),
      );
      const joined = new Uint8Array(iv.length + sealed.length);
      joined.set(iv);
      joined.set(sealed, iv.length);
      data[field] = `${PREFIX}${this.#currentId}:${toBase64Url(joined)}`;
    }
    return new AccessToken(data);
  }

  async #decrypt(userId: string, token: AccessToken): Promise<AccessToken> {
    const data: AccessTokenData = token.toJSON();
    for (const field of FIELDS) {
      const value = data[field];
      if (value === undefined || !value.startsWith(PREFIX)) continue;
      const rest = value.slice(PREFIX.length);
      const colon = rest.indexOf(":");
      const keyId = colon < 0 ? "" : rest.slice(0, colon);
      const key = this.#keys.get(keyId);
      if (!key) {
        throw new TokenKeyError(userId, keyId, "no key with that id was given");
      }
      try {
        const joined = fromBase64Url(rest.slice(colon + 1));
        const plain = await crypto.subtle.decrypt(
          {
            name: "AES-GCM",
            iv: joined.subarray(0, 12),
            additionalData: bound(userId, field),
          },
          await key,
          joined.subarray(12),
        );
        data[field] = new TextDecoder().decode(plain);
      } catch (error) {
        throw new TokenKeyError(
          userId,
          keyId,
          `the key given as "${keyId}" is not the one that encrypted its ${field}, or the stored value was changed`,
          { cause: error },
        );
      }
    }
    return new AccessToken(data);
  }
}

/** What a ciphertext is bound to: its user and its field. */
function bound(userId: string, field: Field): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`twitch-auth token\n${userId}\n${field}`);
}

/** The key's bytes; throws when its id or secret is malformed. */
function checkKey(key: TokenEncryptionKey): Uint8Array<ArrayBuffer> {
  if (typeof key?.id !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(key.id)) {
    throw new InvalidArgumentError(
      "An encryption key needs an id of letters, digits, '.', '_' or '-' (such as \"2025-01\"), stored beside each token to find its key",
    );
  }
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    bytes = fromBase64Url(key.secret);
  } catch {
    bytes = undefined;
  }
  if (!bytes || ![16, 24, 32].includes(bytes.length)) {
    throw new InvalidArgumentError(
      `The secret of encryption key "${key.id}" must be 16, 24 or 32 bytes in base64: make one with \`openssl rand -base64 32\``,
    );
  }
  return bytes;
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-")
    .replace(/\//g, "_").replace(/=+$/, "");
}

/** Reads base64 or base64url; throws on anything else. */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
    throw new Error("not base64");
  }
  const standard = text.replace(/-/g, "+").replace(/_/g, "/").replace(
    /=+$/,
    "",
  );
  const padded = standard + "=".repeat((4 - standard.length % 4) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}
