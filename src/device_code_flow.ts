/**
 * The device code flow: sign in on another device by typing a short code.
 * The only flow Twitch allows public clients (apps without a secret), and
 * the one for machines without a browser.
 *
 * @module
 */

import type { AccessToken } from "./access_token.ts";
import {
  callTwitch,
  endpointUrl,
  errorMessageOf,
  type RequestOptions,
  sleep,
  twitchError,
} from "./_request.ts";
import { requireString, toAccessToken } from "./_token_endpoint.ts";
import {
  AccessDeniedError,
  CancelledError,
  InvalidResponseError,
  TimeoutError,
  TwitchApiError,
} from "./errors.ts";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * What Twitch's `/device` answers: the code to show the user and where to type it.
 *
 * @example Use it
 * ```ts ignore
 * import { type DeviceAuthorization, startDeviceAuthorization } from "@x/twitch-auth";
 *
 * const device: DeviceAuthorization = await startDeviceAuthorization("my_app_id", ["chat:read"]);
 * console.log(`Enter ${device.userCode} at ${device.verificationUri}`);
 * ```
 */
export interface DeviceAuthorization {
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
  return {
    deviceCode: body.device_code,
    userCode: body.user_code,
    verificationUri: body.verification_uri,
    expiresIn: typeof body.expires_in === "number" ? body.expires_in : 1800,
    interval: typeof body.interval === "number" ? body.interval : 5,
    scopes: [...scopes],
    obtainedAt,
  };
}

/**
 * Polls Twitch until the user has entered the code, at the `interval`
 * Twitch asked for, slowing down by five seconds whenever Twitch says
 * `slow_down` (RFC 8628). Gives up when the codes expire.
 *
 * @param clientId The app's client id.
 * @param device What {@linkcode startDeviceAuthorization} returned.
 * @param options Base URL, `fetch`, `signal`, and `timeout` for the whole
 * wait (default: until the codes expire).
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
  device: DeviceAuthorization,
  options: RequestOptions = {},
): Promise<AccessToken> {
  const expiresAt = device.obtainedAt + device.expiresIn * 1000;
  const deadline = Math.min(
    expiresAt,
    options.timeout === undefined ? Infinity : Date.now() + options.timeout,
  );
  const url = endpointUrl("token", options.authBaseUrl);
  let interval = device.interval * 1000;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TimeoutError(
        "The device sign-in",
        options.timeout ?? device.expiresIn * 1000,
      );
    }
    const obtainedAt = Date.now();
    const response = await callTwitch(url, {
      method: "POST",
      form: {
        client_id: requireString(clientId, "clientId"),
        scopes: device.scopes.join(" "),
        device_code: device.deviceCode,
        grant_type: DEVICE_GRANT,
      },
    }, { ...options, timeout: Math.min(left, options.timeout ?? left) });
    if (response.status === 200) {
      return toAccessToken(response.body, url.pathname, obtainedAt);
    }
    const message = errorMessageOf(response.body);
    if (message === "slow_down") interval += 5000;
    else if (
      message === "access_denied" || message === "authorization_denied"
    ) {
      throw new AccessDeniedError("the user declined the device code");
    } else if (message.toLowerCase() === "invalid device code") {
      throw new TwitchApiError(
        "The device code was already used or has expired: start the device sign-in again",
        response.status,
        message,
      );
    } else if (message !== "authorization_pending") {
      throw twitchError(response, url.pathname);
    }
    await sleep(
      Math.min(interval, Math.max(0, deadline - Date.now())),
      options.signal,
    ).catch((reason) => {
      throw new CancelledError("The device sign-in", { cause: reason });
    });
  }
}
