// Keys and secrets for the tests of encryptTokens (encrypt_tokens_test.ts,
// cloudflare_test.ts).

import { AccessToken } from "../mod.ts";

/** A fresh random key, as `openssl rand -base64 32` makes one. */
export function newKey(id: string): { id: string; secret: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return { id, secret: btoa(String.fromCharCode(...bytes)) };
}

/** The secrets of a token, which must appear nowhere at rest. */
export function secretsOf(token: AccessToken): string[] {
  return [token.accessToken, token.refreshToken, token.idToken]
    .filter((s): s is string => typeof s === "string");
}

/** A token whose secrets are random, so no other test wrote them anywhere. */
export function randomToken(): AccessToken {
  const random = () => crypto.randomUUID().replaceAll("-", "");
  return new AccessToken({
    accessToken: random(),
    refreshToken: `${random()}${random()}`,
    expiresIn: 14_400,
    scopes: ["chat:read"],
    tokenType: "bearer",
    obtainedAt: Date.now(),
  });
}
