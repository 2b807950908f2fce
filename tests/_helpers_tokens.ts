// Set-up shared by the tests of the token machinery (`Twitch`,
// `TokenProvider`, the hourly validation and the concurrency tests): a
// `Twitch` on the mock holding one of the mock's user tokens, the token as a
// caller holds it, a revocation at the mock, and the Bearer a request carried.

import { assertEquals, assertNotEquals } from "@std/assert";
import {
  AccessToken,
  refreshAccessToken,
  type TokenStore,
  Twitch,
  type TwitchOptions,
} from "../mod.ts";
import type { IssuedUserToken, MockTwitch } from "../testing.ts";
import { lastRequest } from "./_util.ts";

/** What a test varies about the `Twitch` of {@linkcode signedInTwitch}. */
export interface SignedInOptions {
  /** A public client: `Twitch` gets no client secret. */
  publicClient?: boolean;
  /** Where Helix is (default: the mock's). */
  helixBaseUrl?: string;
  /** The scopes the token is issued with and `Twitch` is told to expect (default none). */
  scopes?: string[];
  /** Whether `setUserAuthentication` validates the token (default true). */
  validate?: boolean;
}

/** A `Twitch` holding a user token, and that token as the mock issued it. */
export interface SignedInTwitch extends Disposable {
  /** The `Twitch`, on the mock's endpoints. */
  twitch: Twitch;
  /** The token pair it was given. */
  issued: IssuedUserToken;
}

/**
 * A `Twitch` on the mock's endpoints given a fresh user token of the mock's
 * first client through `setUserAuthentication` (access and refresh token);
 * disposing of it disposes of the `Twitch`.
 */
export async function signedInTwitch(
  mock: MockTwitch,
  options: SignedInOptions = {},
): Promise<SignedInTwitch> {
  const twitch = new Twitch(
    mock.clientId,
    options.publicClient ? undefined : mock.clientSecret,
    {
      authBaseUrl: mock.authBaseUrl,
      helixBaseUrl: options.helixBaseUrl ?? mock.helixBaseUrl,
    },
  );
  const scopes = options.scopes ?? [];
  const issued = mock.issueUserToken({ scopes });
  await twitch.setUserAuthentication(
    issued.accessToken,
    scopes,
    issued.refreshToken,
    options.validate,
  );
  return { twitch, issued, [Symbol.dispose]: () => twitch[Symbol.dispose]() };
}

/** The mock's token as a caller holds it without asking its lifetime (unknown: 0). */
export function held(
  issued: IssuedUserToken,
  scopes: string[] = [],
): AccessToken {
  return new AccessToken({
    ...issued,
    expiresIn: 0,
    scopes,
    tokenType: "bearer",
    obtainedAt: 0,
  });
}

/** The mock's token as held 30 s before its 4-hour lifetime ends: due for a refresh. */
export function dueSoon(
  issued: IssuedUserToken,
  scopes: string[] = [],
): AccessToken {
  const obtainedAt = Date.now() - (14_400 - 30) * 1000;
  return new AccessToken({
    ...held(issued, scopes),
    expiresIn: 14_400,
    obtainedAt,
  });
}

/** Revokes `token` (access or refresh) at the mock, as Twitch's /revoke does; asserts 200. */
export async function revoke(mock: MockTwitch, token: string): Promise<void> {
  const response = await fetch(`${mock.authBaseUrl}/revoke`, {
    method: "POST",
    body: new URLSearchParams({ client_id: mock.clientId, token }),
  });
  await response.body?.cancel();
  assertEquals(response.status, 200);
}

/** Asserts that the last request the mock saw on `pathname` carried `Bearer accessToken`. */
export function assertBearer(
  mock: MockTwitch,
  pathname: string,
  accessToken: string,
): void {
  assertEquals(
    lastRequest(mock, pathname).headers.get("Authorization"),
    `Bearer ${accessToken}`,
  );
}

/**
 * Asserts that a public client's refresh token is the live one at the mock:
 * refreshing with it works, and Twitch rotates it (one-time refresh tokens).
 */
export async function assertRefreshTokenLive(
  mock: MockTwitch,
  refreshToken: string,
): Promise<void> {
  const next = await refreshAccessToken(
    refreshToken,
    mock.clientId,
    undefined,
    { authBaseUrl: mock.authBaseUrl },
  );
  assertNotEquals(next.refreshToken, refreshToken);
}

/**
 * Asserts Helix's 401 answer: the status, and the body Twitch sends,
 * `{ error: "Unauthorized", status: 401, message }` (the body is read).
 */
export async function assertHelixUnauthorized(
  response: Response,
  message: string,
): Promise<void> {
  assertEquals(response.status, 401);
  assertEquals(await response.json(), {
    error: "Unauthorized",
    status: 401,
    message,
  });
}

/** A `Twitch` for the mock's app on `store`, with `more` options. */
export function twitchOnStore(
  mock: MockTwitch,
  store: TokenStore,
  more: Partial<TwitchOptions> = {},
): Twitch {
  return new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
    store,
    ...more,
  });
}
