/**
 * The state every part of the mock Twitch shares: the registered apps, the
 * users, the issued codes and tokens, the pending consent and device
 * requests, and the settings tests may change at run time. Route modules are
 * functions that take this state.
 *
 * @module
 */

import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER } from "./mock_demo.ts";
import type {
  ConsentMode,
  MockClient,
  MockTwitchOptions,
  MockUser,
} from "./mock_types.ts";

const DEFAULT_ACCESS_TOKEN_LIFETIME = 14400;
const DEFAULT_DEVICE_INTERVAL = 5;
const DEFAULT_REDIRECT_URI = "http://localhost:17563";

/** A checked request to `/oauth2/authorize`. */
export interface AuthorizeRequest {
  client: MockClient;
  redirectUri: string;
  responseType: "code" | "token";
  scopes: string[];
  state: string | null;
  forceVerify: boolean;
  /** The OIDC `nonce`, copied into the ID token. */
  nonce: string | null;
}

/** A consent page handed out, awaiting its Authorize or Cancel. */
export interface ConsentPageRecord {
  request: AuthorizeRequest;
  user: MockUser;
  expiresAt: number;
}

/** An authorization code. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  user: MockUser;
  nonce: string | null;
  expiresAt: number;
  used: boolean;
}

/** An access token (user or app). */
export interface AccessTokenRecord {
  clientId: string;
  /** Absent for app tokens. */
  user?: MockUser;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

/** A refresh token and the access tokens made from it. */
export interface RefreshTokenRecord {
  clientId: string;
  user: MockUser;
  scopes: string[];
  revoked: boolean;
  accessTokens: Set<string>;
}

/** A device code request. */
export interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  status: "pending" | "approved" | "denied";
  user?: MockUser;
  lastPollAt?: number;
}

/** An activation page handed out, awaiting its Authorize or Cancel. */
export interface ActivatePageRecord {
  userCode: string;
  user: MockUser;
  expiresAt: number;
}

/** Helix's rate-limit bucket of one client. */
export interface RateLimitBucket {
  remaining: number;
  resetAt: number;
}

/** The key pair that signs ID tokens, with its public JWK. */
export interface SigningKey {
  privateKey: CryptoKey;
  jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

/** Everything the mock knows; see the module doc. */
export interface MockState {
  consent: ConsentMode;
  currentUser: MockUser;
  accessTokenLifetime: number;
  deviceInterval: number;
  /** The clock, in milliseconds since the epoch. */
  readonly now: () => number;
  readonly clients: Map<string, MockClient>;
  readonly firstClient: MockClient;
  readonly users: MockUser[];
  readonly codes: Map<string, CodeRecord>;
  readonly accessTokens: Map<string, AccessTokenRecord>;
  readonly refreshTokens: Map<string, RefreshTokenRecord>;
  /** `clientId \n userId` -> scopes the user agreed to. */
  readonly consents: Map<string, Set<string>>;
  readonly consentPages: Map<string, ConsentPageRecord>;
  readonly activatePages: Map<string, ActivatePageRecord>;
  readonly devices: Map<string, DeviceRecord>;
  readonly deviceByUserCode: Map<string, DeviceRecord>;
  readonly rateLimits: Map<string, RateLimitBucket>;
  signingKey?: Promise<SigningKey>;
}

/** The state for `options`, with the demo app and user as defaults. */
export function createMockState(
  options: Omit<MockTwitchOptions, "hostname" | "port">,
): MockState {
  const clients = options.clients ?? [{
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    redirectUris: [DEFAULT_REDIRECT_URI],
    name: "Twitch Auth Demo",
  }];
  if (clients.length === 0) throw new TypeError("clients must not be empty");
  const users = options.users ?? [DEMO_USER];
  if (users.length === 0) throw new TypeError("users must not be empty");
  const byId = new Map(
    clients.map((client) => [client.clientId, structuredClone(client)]),
  );
  return {
    consent: checkConsentMode(options.consent ?? "page"),
    currentUser: users[0],
    accessTokenLifetime: checkSeconds(
      "accessTokenLifetime",
      options.accessTokenLifetime ?? DEFAULT_ACCESS_TOKEN_LIFETIME,
    ),
    deviceInterval: checkSeconds(
      "deviceInterval",
      options.deviceInterval ?? DEFAULT_DEVICE_INTERVAL,
    ),
    now: options.now ?? Date.now,
    clients: byId,
    firstClient: byId.get(clients[0].clientId)!,
    users: [...users],
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    consents: new Map(),
    consentPages: new Map(),
    activatePages: new Map(),
    devices: new Map(),
    deviceByUserCode: new Map(),
    rateLimits: new Map(),
  };
}

/** `mode`, when it is a {@linkcode ConsentMode}; throws a `TypeError` otherwise. */
export function checkConsentMode(mode: string): ConsentMode {
  if (mode !== "page" && mode !== "approve" && mode !== "deny") {
    throw new TypeError(
      `consent must be "page", "approve" or "deny", got ${
        JSON.stringify(mode)
      }`,
    );
  }
  return mode;
}

/** `value`, when it is a number of seconds >= 0; throws a `RangeError` otherwise. */
export function checkSeconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `${name} must be a finite number of seconds >= 0, got ${value}`,
    );
  }
  return value;
}

/** Adds `user` to the known users unless one with its id is known. */
export function knowUser(state: MockState, user: MockUser): void {
  if (!state.users.some((u) => u.id === user.id)) state.users.push(user);
}

/** Drops the records of `map` that expired by `now`. */
export function pruneExpired(
  map: Map<string, { expiresAt: number }>,
  now: number,
): void {
  for (const [key, value] of map) {
    if (value.expiresAt <= now) map.delete(key);
  }
}
