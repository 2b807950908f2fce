/**
 * The device code flow: sign in on another device by typing a short code.
 * The only flow Twitch allows public clients (apps without a secret), and
 * the one for machines without a browser.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import { redact } from "./redact.ts";
import { inspectAs } from "./_inspect.ts";
import {
  callTwitch,
  checkTimeout,
  DEFAULT_TIMEOUT,
  endpointUrl,
  errorMessageOf,
  sleep,
  twitchError,
  type TwitchResponse,
} from "./_request.ts";
import type { RequestOptions } from "./request_options.ts";
import { requireString, toAccessToken } from "./_token_endpoint.ts";
import {
  AccessDeniedError,
  CancelledError,
  InvalidResponseError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  TwitchApiError,
} from "./errors.ts";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** The fields of a {@linkcode DeviceAuthorization}. */
export interface DeviceAuthorizationData {
  /** The secret code this program polls with; never show it. */
  deviceCode: string;
  /** The short code the user types on Twitch, such as `"ABCDEFGH"`. */
  userCode: string;
  /** Where the user goes to type it (it already carries the code). */
  verificationUri: string;
  /** Seconds the codes stay valid (Twitch: 1800). */
  expiresIn: number;
  /** Seconds to wait between polls (Twitch: 5). */
  interval: number;
  /** The scopes asked for, sent again with every poll. */
  scopes: readonly string[];
  /** When the codes were issued, in epoch milliseconds. */
  obtainedAt: number;
}

/**
 * What Twitch's `/device` answers: the code to show the user and where to
 * type it. Printing it shows the device code redacted: with the client id it
 * is enough to collect the user's token.
 *
 * @example Show the user what to do
 * ```ts ignore
 * import { type DeviceAuthorization, startDeviceAuthorization } from "@x/twitch-auth";
 *
 * const device: DeviceAuthorization = await startDeviceAuthorization("my_app_id", ["chat:read"]);
 * console.log(`Enter ${device.userCode} at ${device.verificationUri}`);
 * console.log(device); // DeviceAuthorization { deviceCode: "abcd…", ... }
 * ```
 */
export class DeviceAuthorization implements DeviceAuthorizationData {
  /** The secret code this program polls with; never show it. */
  readonly deviceCode: string;
  /** The short code the user types on Twitch, such as `"ABCDEFGH"`. */
  readonly userCode: string;
  /** Where the user goes to type it (it already carries the code). */
  readonly verificationUri: string;
  /** Seconds the codes stay valid (Twitch: 1800). */
  readonly expiresIn: number;
  /** Seconds to wait between polls (Twitch: 5). */
  readonly interval: number;
  /** The scopes asked for, sent again with every poll. */
  readonly scopes: readonly string[];
  /** When the codes were issued, in epoch milliseconds. */
  readonly obtainedAt: number;

  /**
   * Creates it from its fields.
   *
   * @param data The fields.
   */
  constructor(data: DeviceAuthorizationData) {
    this.deviceCode = data.deviceCode;
    this.userCode = data.userCode;
    this.verificationUri = data.verificationUri;
    this.expiresIn = data.expiresIn;
    this.interval = data.interval;
    this.scopes = Object.freeze([...data.scopes]);
    this.obtainedAt = data.obtainedAt;
    inspectAs(
      this,
      (inspect, options) =>
        `DeviceAuthorization ${inspect(this.#redacted(), options)}`,
    );
  }

  #redacted(): DeviceAuthorizationData {
    return { ...this, deviceCode: redact(this.deviceCode) };
  }
}

/**
 * Starts the device code flow: asks Twitch for a user code to show.
 *
 * @param clientId The app's client id (public or confidential).
 * @param scopes The scopes to ask for.
 * @param options Base URL, `fetch`, `signal` and `timeout`.
 * @returns The codes; show `userCode` and `verificationUri` to the user, then
 * call {@linkcode waitForDeviceToken}.
 *
 * @example Sign in on a TV, a Raspberry Pi, a server
 * ```ts ignore
 * import { startDeviceAuthorization, waitForDeviceToken } from "@x/twitch-auth";
 *
 * const device = await startDeviceAuthorization("my_app_id", ["chat:read"]);
 * console.log(`Go to ${device.verificationUri} and enter ${device.userCode}`);
 * const token = await waitForDeviceToken("my_app_id", device);
 * console.log(token.scopes);
 * ```
 */
export async function startDeviceAuthorization(
  clientId: string,
  scopes: readonly string[],
  options?: RequestOptions,
): Promise<DeviceAuthorization> {
  const url = endpointUrl("device", options?.authBaseUrl);
  const obtainedAt = Date.now();
  const response = await callTwitch(url, {
    method: "POST",
    form: {
      client_id: requireString(clientId, "clientId"),
      scopes: scopes.join(" "),
    },
  }, options);
  if (response.status !== 200) throw twitchError(response, url.pathname);
  const body = (response.body ?? {}) as Record<string, unknown>;
  if (
    typeof body.device_code !== "string" ||
    typeof body.user_code !== "string" ||
    typeof body.verification_uri !== "string"
  ) {
    throw new InvalidResponseError(url.pathname, response.status);
  }
  return new DeviceAuthorization({
    deviceCode: body.device_code,
    userCode: body.user_code,
    verificationUri: body.verification_uri,
    expiresIn: typeof body.expires_in === "number" ? body.expires_in : 1800,
    interval: typeof body.interval === "number" ? body.interval : 5,
    scopes: [...scopes],
    obtainedAt,
  });
}

/**
 * Polls Twitch until the user has entered the code, at the `interval`
 * Twitch asked for, slowing down by five seconds whenever Twitch says
 * `slow_down` (RFC 8628). A poll that fails on the way (Twitch unreachable,
 * a 5xx, a poll timing out, a rate limit) is tried again, waiting twice as
 * long after each failure in a row (up to a minute). Gives up when the codes
 * expire.
 *
 * @param clientId The app's client id.
 * @param device What {@linkcode startDeviceAuthorization} returned.
 * @param options Base URL, `fetch`, `signal`, and `timeout` for the whole
 * wait (default: until the codes expire; as for every helper, from 1 to
 * 2 147 483 647 ms, or `Infinity`).
 * @returns The user's tokens.
 * @throws {AccessDeniedError} when the user declines.
 * @throws {TimeoutError} when the codes expire or `timeout` runs out.
 * @throws {CancelledError} on `signal`.
 *
 * @example Wait at most two minutes
 * ```ts ignore
 * import { startDeviceAuthorization, waitForDeviceToken } from "@x/twitch-auth";
 *
 * const device = await startDeviceAuthorization("my_app_id", ["chat:read"]);
 * console.log(`Enter ${device.userCode} at ${device.verificationUri}`);
 * const token = await waitForDeviceToken("my_app_id", device, { timeout: 120_000 });
 * ```
 */
export async function waitForDeviceToken(
  clientId: string,
  device: DeviceAuthorizationData,
  options: RequestOptions = {},
): Promise<AccessToken> {
  const timeout = checkTimeout(options.timeout, Infinity);
  const expiresAt = device.obtainedAt + device.expiresIn * 1000;
  const deadline = Math.min(expiresAt, Date.now() + timeout);
  const url = endpointUrl("token", options.authBaseUrl);
  let interval = device.interval * 1000;
  let failures = 0;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TimeoutError(
        "The device sign-in",
        options.timeout ?? device.expiresIn * 1000,
      );
    }
    const obtainedAt = Date.now();
    let response: TwitchResponse | undefined;
    try {
      response = await callTwitch(url, {
        method: "POST",
        form: {
          client_id: requireString(clientId, "clientId"),
          scopes: device.scopes.join(" "),
          device_code: device.deviceCode,
          grant_type: DEVICE_GRANT,
        },
      }, { ...options, timeout: Math.max(1, Math.min(left, DEFAULT_TIMEOUT)) });
    } catch (error) {
      if (!isTransient(error)) throw error;
      failures++;
    }
    if (response?.status === 200) {
      return toAccessToken(
        response.body,
        url.pathname,
        obtainedAt,
        "device_code",
      );
    }
    if (response) {
      failures = 0;
      interval = nextInterval(response, interval, url.pathname);
    }
    await sleep(
      Math.min(backoff(interval, failures), Math.max(0, deadline - Date.now())),
      options.signal,
    ).catch((reason) => {
      throw new CancelledError("The device sign-in", { cause: reason });
    });
  }
}

/** The longest wait between polls after failures, in milliseconds. */
const MAX_BACKOFF = 60_000;

/**
 * A failure worth polling again after: Twitch unreachable, a 5xx, a poll
 * that timed out, a long rate limit.
 */
function isTransient(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError ||
    error instanceof RateLimitError ||
    (error instanceof TwitchApiError && error.status >= 500);
}

/** The poll interval doubled for each failure in a row, up to {@linkcode MAX_BACKOFF}. */
function backoff(interval: number, failures: number): number {
  if (failures === 0) return interval;
  return Math.max(interval, Math.min(MAX_BACKOFF, interval * 2 ** failures));
}

/**
 * Reads a pending answer: the interval to poll at next, or the error that
 * ends the wait.
 */
function nextInterval(
  response: TwitchResponse,
  interval: number,
  endpoint: string,
): number {
  const message = errorMessageOf(response.body);
  if (message === "slow_down") return interval + 5000;
  if (message === "authorization_pending") return interval;
  if (message === "access_denied" || message === "authorization_denied") {
    throw new AccessDeniedError("the user declined the device code");
  }
  if (message.toLowerCase() === "invalid device code") {
    throw new TwitchApiError(
      "The device code was already used or has expired: start the device sign-in again",
      response.status,
      message,
    );
  }
  throw twitchError(response, endpoint);
}
