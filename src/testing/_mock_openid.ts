/**
 * OpenID Connect on the mock Twitch: the RS256 ID token, `/userinfo`, the
 * discovery document and the keys (JWKS) that verify ID tokens.
 *
 * @module
 */

import {
  type Context,
  credentials,
  idError,
  jsonResponse,
  randomToken,
} from "./_mock_http.ts";
import type {
  AccessTokenRecord,
  MockState,
  SigningKey,
} from "./_mock_state.ts";
import { liveAccessToken } from "./_mock_token_store.ts";
import type { MockUser } from "./mock_types.ts";

/** The `iss` of Twitch's ID tokens, whatever URL the mock listens on. */
export const ISSUER = "https://id.twitch.tv/oauth2";

function base64Url(data: ArrayBuffer | Uint8Array | string): string {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data instanceof Uint8Array
    ? data
    : new Uint8Array(data);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

async function createSigningKey(): Promise<SigningKey> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const { kty, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return {
    privateKey: pair.privateKey,
    jwk: { kty, n, e, alg: "RS256", use: "sig", kid: randomToken(12) },
  };
}

/** The mock's signing key, made on first use. */
function signingKey(state: MockState): Promise<SigningKey> {
  state.signingKey ??= createSigningKey();
  return state.signingKey;
}

async function signJwt(
  key: SigningKey,
  claims: Record<string, unknown>,
): Promise<string> {
  const header = base64Url(
    JSON.stringify({ alg: "RS256", typ: "JWT", kid: key.jwk.kid }),
  );
  const payload = base64Url(JSON.stringify(claims));
  const signature = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    key.privateKey,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64Url(signature)}`;
}

/**
 * The claims about the user, the same in the ID token and in `/userinfo`:
 * `preferred_username` is the display name (Twitch's docs: "the user's display
 * name"), and the e-mail comes with `user:read:email` when the user has one.
 */
function userClaims(
  user: MockUser,
  token: AccessTokenRecord,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    preferred_username: user.displayName ?? user.login,
  };
  if (token.scopes.includes("user:read:email") && user.email) {
    claims.email = user.email;
    claims.email_verified = true;
  }
  return claims;
}

/** The signed ID token of a user token that has the `openid` scope. */
export async function idToken(
  state: MockState,
  clientId: string,
  user: MockUser,
  token: AccessTokenRecord,
  nonce: string | null,
): Promise<string> {
  const claims: Record<string, unknown> = {
    aud: clientId,
    exp: Math.floor(token.expiresAt / 1000),
    iat: Math.floor(token.issuedAt / 1000),
    iss: ISSUER,
    sub: user.id,
    azp: clientId,
    ...userClaims(user, token),
  };
  if (nonce !== null) claims.nonce = nonce;
  return signJwt(await signingKey(state), claims);
}

/** `GET|POST /oauth2/userinfo`: the claims of a Bearer token's user. */
export function userinfo(state: MockState, ctx: Context): Response {
  const token = credentials(ctx.req.headers, "Bearer");
  if (!token) return idError(401, "missing authorization token");
  const record = liveAccessToken(state, token);
  if (!record || !record.user) return idError(401, "invalid access token");
  if (!record.scopes.includes("openid")) {
    return idError(401, "the access token is missing the openid scope");
  }
  const user = record.user;
  return jsonResponse(200, {
    aud: record.clientId,
    exp: Math.floor(record.expiresAt / 1000),
    iat: Math.floor(record.issuedAt / 1000),
    iss: ISSUER,
    sub: user.id,
    ...userClaims(user, record),
  });
}

/** `GET /oauth2/.well-known/openid-configuration`, with the mock's URLs. */
export function discovery(ctx: Context): Response {
  const base = `${ctx.origin}/oauth2`;
  return jsonResponse(200, {
    authorization_endpoint: `${base}/authorize`,
    claims_parameter_supported: true,
    claims_supported: [
      "aud",
      "exp",
      "iat",
      "iss",
      "sub",
      "email",
      "email_verified",
      "picture",
      "preferred_username",
      "updated_at",
    ],
    id_token_signing_alg_values_supported: ["RS256"],
    issuer: ISSUER,
    jwks_uri: `${base}/keys`,
    response_types_supported: [
      "id_token",
      "code",
      "token",
      "code id_token",
      "token id_token",
    ],
    scopes_supported: ["openid"],
    subject_types_supported: ["public"],
    token_endpoint: `${base}/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post"],
    userinfo_endpoint: `${base}/userinfo`,
  });
}

/** `GET /oauth2/keys`: the JWKS with the public key of the ID tokens. */
export async function keys(state: MockState): Promise<Response> {
  const key = await signingKey(state);
  return jsonResponse(200, { keys: [key.jwk] });
}
