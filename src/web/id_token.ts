/**
 * Verifies the OpenID Connect ID token Twitch returns for the `openid` scope.
 *
 * @module
 */

import type { RemoteJWKSet } from "jose";
import { backoffDelay } from "./_backoff.ts";
import { endpointUrl, readLimited } from "./_request.ts";
import { requireString } from "./_token_endpoint.ts";
import {
  InvalidResponseError,
  NetworkError,
  TimeoutError,
  TwitchApiError,
  TwitchAuthError,
} from "./errors.ts";
import { type IdTokenFailure, InvalidIdTokenError } from "./errors_id_token.ts";
import type { UserInfo } from "./user_info.ts";

/**
 * The issuer (`iss`) of every Twitch ID token. Twitch's mock, served on
 * another base URL, keeps it too, so it does not follow `authBaseUrl`.
 */
const TWITCH_ISSUER = "https://id.twitch.tv/oauth2";
/** Clock skew allowed on `exp` and `iat`, in seconds. */
const CLOCK_TOLERANCE = 60;
/** How long the key set is trusted before it is fetched again (ms). */
const KEYS_MAX_AGE = 10 * 60_000;
/** The shortest time between two fetches of the key set for an unknown `kid` (ms). */
const KEYS_COOLDOWN = 30_000;
// After a failed fetch of the key set, the next waits out a backoff (about
// 1 s, doubling up to about 60 s): verifications meanwhile fail at once with
// the same error. Its answer is read up to MAX_RESPONSE_BYTES (1 MiB).
/** How long one fetch of the key set may take (ms). */
const KEYS_TIMEOUT = 10_000;
/** Key sets kept at once per `fetch` (one per `authBaseUrl`). */
const KEY_SETS_KEPT = 8;

/**
 * The claims of a verified Twitch ID token: the {@linkcode UserInfo} claims
 * plus `nonce` and `azp`.
 *
 * @example Greet the user from the ID token of a sign-in
 * ```ts ignore
 * import { exchangeCode, verifyIdToken } from "@x/twitch-auth/web";
 *
 * const token = await exchangeCode("my_app_id", "my_app_secret", "the-code", "https://example.com/callback");
 * // Only a sign-in with the openid scope brings an ID token.
 * const claims = await verifyIdToken(token.idToken!, { clientId: "my_app_id" });
 * console.log(`Hello ${claims.preferred_username} (user id ${claims.sub})`);
 * ```
 */
export interface IdTokenClaims extends UserInfo {
  /** The `nonce` the sign-in sent, copied by Twitch. */
  nonce?: string;
  /** The client id the token was issued to. */
  azp?: string;
}

/**
 * Options of {@linkcode verifyIdToken}.
 *
 * @example Accept the ID token only for the login that asked for it
 * ```ts ignore
 * import { verifyIdToken } from "@x/twitch-auth/web";
 *
 * declare const idToken: string; // from the code exchange
 * declare const nonceFromCookie: string; // what /login put in the authorize URL
 * const claims = await verifyIdToken(idToken, {
 *   clientId: "my_app_id",
 *   nonce: nonceFromCookie, // another login's ID token is refused
 * });
 * console.log(claims.sub);
 * ```
 */
export interface VerifyIdTokenOptions {
  /** The app's client id: the token's `aud` must be it. */
  clientId: string;
  /** The `nonce` this sign-in sent; when given, the token's must equal it. */
  nonce?: string;
  /** Twitch's OAuth base URL; the key set is at `{authBaseUrl}/keys`. Default `https://id.twitch.tv/oauth2`. */
  authBaseUrl?: string;
  /** The `fetch` that gets the key set. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

// One cached key set per base URL, per fetch function (the global one under
// the `fetch` key itself), so a test's or app's own fetch never shares keys.
const keySets = new WeakMap<typeof fetch, Map<string, RemoteJWKSet>>();

/** The parts of `jose` used here. */
type Jose = typeof import("./_jose.ts");

/**
 * `jose`, loaded on the first verification rather than with this module:
 * everything that imports the package (the CLI's `--help` included) would
 * otherwise load jose's 46 modules at start. Bundlers inline it, keeping only
 * the parts `./_jose.ts` names.
 */
function loadJose(): Promise<Jose> {
  return import("./_jose.ts");
}

/**
 * Verifies a Twitch ID token and returns its claims: the RS256 signature
 * against Twitch's key set (`{authBaseUrl}/keys`, cached for ten minutes and
 * fetched again when a token names a key it lacks), the issuer
 * (`https://id.twitch.tv/oauth2`), the audience (your client id, also in `azp`
 * when present), the
 * expiry, the issue time, and the `nonce` when you pass one. The checks run
 * in the `jose` library.
 *
 * @param idToken The `idToken` of an {@linkcode AccessToken} from a sign-in
 * with the `openid` scope.
 * @param options The client id, the expected nonce, base URL and `fetch`.
 * @returns The token's claims: `sub` is the user's id.
 * @throws {InvalidIdTokenError} when a check fails (`reason` says which);
 * {@linkcode NetworkError} or {@linkcode TwitchApiError} when the key set
 * cannot be fetched.
 *
 * @example Verify the ID token of a sign-in
 * ```ts ignore
 * import { exchangeCode, verifyIdToken } from "@x/twitch-auth/web";
 *
 * const token = await exchangeCode("my_app_id", "my_app_secret", code, "https://example.com/callback");
 * const claims = await verifyIdToken(token.idToken!, { clientId: "my_app_id", nonce });
 * console.log(`signed in: ${claims.sub}`);
 * ```
 */
export async function verifyIdToken(
  idToken: string,
  options: VerifyIdTokenOptions,
): Promise<IdTokenClaims> {
  requireString(options?.clientId, "clientId");
  if (typeof idToken !== "string" || idToken === "") {
    throw new InvalidIdTokenError("malformed");
  }
  const keysUrl = endpointUrl("keys", options.authBaseUrl);
  const jose = await loadJose();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jose.jwtVerify(
      idToken,
      keySet(jose, keysUrl, options.fetch),
      {
        algorithms: ["RS256"],
        issuer: TWITCH_ISSUER,
        audience: options.clientId,
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: ["iss", "aud", "exp", "iat", "sub"],
      },
    ));
  } catch (error) {
    throw failure(jose.errors, error, keysUrl);
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== "number" || payload.iat > now + CLOCK_TOLERANCE) {
    throw new InvalidIdTokenError("issued-at");
  }
  if (options.nonce !== undefined && payload.nonce !== options.nonce) {
    throw new InvalidIdTokenError("nonce");
  }
  // `azp` (authorized party), when present, must be this app too.
  if (payload.azp !== undefined && payload.azp !== options.clientId) {
    throw new InvalidIdTokenError("audience");
  }
  if (typeof payload.sub !== "string" || typeof payload.aud !== "string") {
    throw new InvalidIdTokenError("malformed");
  }
  return payload as IdTokenClaims;
}

/** The cached key set of `url` for `fetchFn`, created on first use. */
function keySet(
  jose: Jose,
  url: URL,
  fetchFn: typeof fetch = fetch,
): RemoteJWKSet {
  let sets = keySets.get(fetchFn);
  if (!sets) keySets.set(fetchFn, sets = new Map());
  let set = sets.get(url.href);
  if (!set) {
    if (sets.size >= KEY_SETS_KEPT) sets.delete(sets.keys().next().value!);
    set = jose.createRemoteJWKSet(url, {
      cacheMaxAge: KEYS_MAX_AGE,
      cooldownDuration: KEYS_COOLDOWN,
      timeoutDuration: KEYS_TIMEOUT,
      [jose.customFetch]: keysFetch(url, fetchFn),
    });
    sets.set(url.href, set);
  }
  return set;
}

/**
 * A fetch for jose that turns transport and status failures into ours,
 * reads at most 1 MiB, checks the answer is a key set, and after a failure
 * fails at once (with the same error) until a backoff has passed.
 */
function keysFetch(url: URL, fetchFn: typeof fetch) {
  let failures = 0;
  let retryAt = 0;
  let last: unknown;
  const fetchKeys = (input: string, init: RequestInit): Promise<Response> =>
    fetchKeySet(url, fetchFn, input, init);
  return async (input: string, init: RequestInit): Promise<Response> => {
    if (failures > 0 && Date.now() < retryAt) throw last;
    try {
      const response = await fetchKeys(input, init);
      failures = 0;
      return response;
    } catch (error) {
      failures++;
      retryAt = Date.now() + backoffDelay(failures);
      last = error;
      throw error;
    }
  };
}

/** One fetch of the key set, its answer read whole (at most 1 MiB) and checked. */
async function fetchKeySet(
  url: URL,
  fetchFn: typeof fetch,
  input: string,
  init: RequestInit,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(input, init);
  } catch (error) {
    if ((error as Error)?.name === "TimeoutError") throw error; // jose's
    throw new NetworkError(`${url.origin}${url.pathname}`, { cause: error });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new TwitchApiError(
      `Twitch's ${url.pathname} answered HTTP ${response.status} instead of its key set: try again in a minute`,
      response.status,
    );
  }
  const deadline = new AbortController();
  const text = await readLimited(response, url.pathname, deadline).catch(
    (error) => {
      if (error instanceof InvalidResponseError) throw error;
      if ((error as Error)?.name === "TimeoutError") throw error; // jose's
      throw new NetworkError(`${url.origin}${url.pathname}`, { cause: error });
    },
  );
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch (cause) {
    throw new InvalidResponseError(url.pathname, 200, { cause });
  }
  if (!Array.isArray((keys as { keys?: unknown } | null)?.keys)) {
    throw new InvalidResponseError(url.pathname, 200);
  }
  return new Response(text, {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });
}

/** The typed error for what jose threw. */
function failure(
  errors: Jose["errors"],
  error: unknown,
  keysUrl: URL,
): Error {
  if (error instanceof TwitchAuthError) return error;
  if (error instanceof errors.JWKSTimeout) {
    return new TimeoutError("Fetching Twitch's key set", KEYS_TIMEOUT);
  }
  if (
    error instanceof errors.JWKSInvalid ||
    (error instanceof errors.JOSEError &&
      error.constructor === errors.JOSEError)
  ) {
    // A key set that is not JSON or not a JWKS.
    return new InvalidResponseError(keysUrl.pathname, 200, { cause: error });
  }
  return new InvalidIdTokenError(reasonOf(errors, error), { cause: error });
}

function reasonOf(errors: Jose["errors"], error: unknown): IdTokenFailure {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    const byClaim: Record<string, IdTokenFailure> = {
      iss: "issuer",
      aud: "audience",
      exp: "expired",
      iat: "issued-at",
    };
    return byClaim[error.claim] ?? "malformed";
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return "signature";
  }
  return "malformed";
}
