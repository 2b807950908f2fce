/**
 * Builds the URL of Twitch's consent page.
 *
 * @module
 */

import { DEFAULT_AUTH_BASE_URL, endpointUrl } from "./_request.ts";
import { InvalidArgumentError } from "./errors.ts";
import { toBase64Url } from "./_base64url.ts";

/**
 * What goes into the authorize URL.
 *
 * @example Send the user to Twitch, and check the state when they come back
 * ```ts
 * import { buildAuthorizeUrl, generateState } from "@x/twitch-auth";
 *
 * const state = generateState(); // keep it in the user's session
 * const url = buildAuthorizeUrl({
 *   clientId: "my_app_id",
 *   redirectUri: "http://localhost:17563",
 *   scopes: ["chat:read"],
 *   state,
 *   forceVerify: true, // show the consent page even if they approved before
 * });
 * // ... after the redirect back, refuse a callback whose state differs:
 * const callback = new URL("http://localhost:17563/?code=xyz&state=" + state);
 * if (callback.searchParams.get("state") !== state) throw new Error("forged");
 * console.log(url.href);
 * ```
 */
export interface AuthorizeUrlOptions {
  /** The app's client id. */
  clientId: string;
  /** The redirect URL registered in the Twitch developer console. */
  redirectUri: string;
  /** The scopes to ask for. */
  scopes: readonly string[];
  /** The flow's unguessable `state`; see {@linkcode generateState}. */
  state: string;
  /** Make Twitch ask the user again even if they consented before. */
  forceVerify?: boolean;
  /** Twitch's OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /**
   * The OpenID Connect `nonce` (with the `openid` scope): Twitch copies it
   * into the ID token, which ties that token to this sign-in (checked by
   * `verifyIdToken`).
   */
  nonce?: string;
  /**
   * The OpenID Connect `claims` to ask for, such as
   * `{ id_token: { preferred_username: null } }` (sent as JSON).
   */
  claims?: Record<string, unknown>;
}

/**
 * Builds the authorize URL for the authorization code flow, with the scopes
 * as one space-separated, percent-encoded string as Twitch documents
 * (`scope=user%3Aedit%20user%3Aread%3Aemail`). No secret goes into it.
 *
 * @param options Client id, redirect URL, scopes, state and options.
 * @returns The URL to open in the user's browser.
 *
 * @example Build the URL for a web app's own redirect
 * ```ts
 * import { buildAuthorizeUrl, generateState } from "@x/twitch-auth";
 *
 * const url = buildAuthorizeUrl({
 *   clientId: "my_app_id",
 *   redirectUri: "http://localhost:17563",
 *   scopes: ["chat:read", "chat:edit"],
 *   state: generateState(),
 * });
 * console.log(url.href);
 * ```
 */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): URL {
  if (!options.clientId) {
    throw new InvalidArgumentError(
      "clientId is required: copy it from the Twitch developer console",
    );
  }
  const url = endpointUrl(
    "authorize",
    options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL,
  );
  const params: [string, string][] = [
    ["response_type", "code"],
    ["client_id", options.clientId],
    ["redirect_uri", options.redirectUri],
    ["scope", options.scopes.join(" ")],
    ["state", options.state],
    ["force_verify", String(options.forceVerify ?? false)],
  ];
  if (options.nonce !== undefined) params.push(["nonce", options.nonce]);
  if (options.claims !== undefined) {
    params.push(["claims", JSON.stringify(options.claims)]);
  }
  url.search = params
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("&");
  return url;
}

/**
 * Makes a fresh, unguessable `state` for one sign-in: 32 random bytes from
 * `crypto.getRandomValues`, base64url-encoded.
 *
 * @returns A 43-character state string.
 *
 * @example Two states differ
 * ```ts
 * import { generateState } from "@x/twitch-auth";
 * import { assertNotEquals } from "@std/assert";
 *
 * assertNotEquals(generateState(), generateState());
 * ```
 */
export function generateState(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}
