/**
 * The device code flow on the mock Twitch: `POST /oauth2/device` starts a
 * request, the `/activate` pages let the user approve or deny it, and the
 * device grant of `/oauth2/token` polls it.
 *
 * @module
 */

import { authenticateClient, pageApp } from "./_mock_clients.ts";
import {
  type Context,
  htmlResponse,
  idError,
  jsonResponse,
  KNOWN_SCOPES,
  parseScopes,
  randomString,
  randomToken,
  type Result,
} from "./_mock_http.ts";
import {
  renderActivatePage,
  renderActivateResultPage,
  renderErrorPage,
} from "./_mock_pages.ts";
import {
  type DeviceRecord,
  knowUser,
  type MockState,
  pruneExpired,
} from "./_mock_state.ts";
import type { MockClient, MockUser } from "./mock_types.ts";

const DEVICE_CODE_LIFETIME_S = 1800;
const PAGE_LIFETIME_MS = 30 * 60 * 1000;
const UPPER_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** What an approved device request grants: a user token for these. */
export interface DeviceGrant {
  client: MockClient;
  user: MockUser;
  scopes: string[];
}

function normalizeUserCode(userCode: string): string {
  return userCode.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** The unexpired device request of `userCode` that awaits an answer. */
function pendingDevice(
  state: MockState,
  userCode: string,
): DeviceRecord | undefined {
  const device = state.deviceByUserCode.get(normalizeUserCode(userCode));
  return device && device.status === "pending" &&
      device.expiresAt > state.now()
    ? device
    : undefined;
}

function forgetDevice(state: MockState, device: DeviceRecord): void {
  state.devices.delete(device.deviceCode);
  state.deviceByUserCode.delete(device.userCode);
}

function pruneDevices(state: MockState, now: number): void {
  for (const device of state.devices.values()) {
    if (device.expiresAt <= now) forgetDevice(state, device);
  }
}

/** `POST /oauth2/device`: a new device code and user code. */
export function startDevice(state: MockState, ctx: Context): Response {
  const clientId = ctx.params.get("client_id");
  if (!clientId) return idError(400, "missing client id");
  if (!state.clients.has(clientId)) return idError(400, "invalid client");
  const scopes = parseScopes(ctx.params.get("scopes"));
  const unknown = scopes.find((scope) => !KNOWN_SCOPES.has(scope));
  if (unknown !== undefined) {
    return idError(400, `invalid scope requested: '${unknown}'`);
  }
  const now = state.now();
  pruneDevices(state, now);
  let userCode = randomString(8, UPPER_ALPHA);
  while (state.deviceByUserCode.has(userCode)) {
    userCode = randomString(8, UPPER_ALPHA);
  }
  const device: DeviceRecord = {
    deviceCode: randomToken(40),
    userCode,
    clientId,
    scopes,
    expiresAt: now + DEVICE_CODE_LIFETIME_S * 1000,
    status: "pending",
  };
  state.devices.set(device.deviceCode, device);
  state.deviceByUserCode.set(userCode, device);
  return jsonResponse(200, {
    device_code: device.deviceCode,
    expires_in: DEVICE_CODE_LIFETIME_S,
    interval: state.deviceInterval,
    user_code: userCode,
    verification_uri: `${ctx.origin}/activate?device-code=${userCode}`,
  });
}

/**
 * The device grant's poll: what an approved request grants (the device code
 * is then used up), or Twitch's answer while it is pending, too soon
 * (`slow_down`), denied or unknown.
 */
export function pollDevice(
  state: MockState,
  params: URLSearchParams,
): Result<DeviceGrant> {
  const auth = authenticateClient(state, params, "optional");
  if (auth.response) return auth;
  const client = auth.ok;
  const now = state.now();
  const device = state.devices.get(params.get("device_code") ?? "");
  if (
    !device || device.clientId !== client.clientId || device.expiresAt <= now
  ) {
    return { response: idError(400, "invalid device code") };
  }
  if (device.status === "denied") {
    forgetDevice(state, device);
    return { response: idError(400, "access_denied") };
  }
  if (device.status === "approved") {
    forgetDevice(state, device);
    const user = device.user ?? state.currentUser;
    return { ok: { client, user, scopes: device.scopes } };
  }
  const tooSoon = device.lastPollAt !== undefined &&
    now - device.lastPollAt < state.deviceInterval * 1000;
  device.lastPollAt = now;
  return {
    response: idError(400, tooSoon ? "slow_down" : "authorization_pending"),
  };
}

/** Answers a pending request as `user` would on `/activate`; throws when none is pending. */
export function answerDevice(
  state: MockState,
  userCode: string,
  approved: boolean,
  user?: MockUser,
): void {
  const device = pendingDevice(state, userCode);
  if (!device) {
    throw new Error(
      `no pending device request with user code ${JSON.stringify(userCode)}`,
    );
  }
  if (user) knowUser(state, user);
  device.status = approved ? "approved" : "denied";
  if (approved) device.user = user ?? state.currentUser;
}

/** `GET /activate`: the code form, or the request of `device-code` to approve. */
export function activatePage(state: MockState, ctx: Context): Response {
  const user = state.currentUser;
  const given = ctx.params.get("device-code");
  if (!given) return htmlResponse(200, renderActivatePage({ user }));
  const device = pendingDevice(state, given);
  if (!device) {
    return htmlResponse(
      400,
      renderActivatePage({
        user,
        error:
          "This code is invalid or has expired. Check the code on your device.",
      }),
    );
  }
  if (state.consent !== "page") {
    return activateResult(state, device, state.consent === "approve", user);
  }
  const csrfToken = randomToken(32);
  const now = state.now();
  pruneExpired(state.activatePages, now);
  state.activatePages.set(csrfToken, {
    userCode: device.userCode,
    user,
    expiresAt: now + PAGE_LIFETIME_MS,
  });
  return htmlResponse(
    200,
    renderActivatePage({
      user,
      request: {
        app: pageApp(state.clients.get(device.clientId)!),
        scopes: device.scopes,
        userCode: device.userCode,
        csrfToken,
      },
    }),
  );
}

/** `POST /activate`: the activation page's Authorize or Cancel. */
export function activateAnswer(state: MockState, ctx: Context): Response {
  const csrfToken = ctx.params.get("csrf_token") ?? "";
  const page = state.activatePages.get(csrfToken);
  state.activatePages.delete(csrfToken);
  const device = page && page.expiresAt > state.now() &&
      normalizeUserCode(ctx.params.get("user_code") ?? "") === page.userCode
    ? pendingDevice(state, page.userCode)
    : undefined;
  if (!page || !device) {
    return htmlResponse(
      400,
      renderActivatePage({
        user: state.currentUser,
        error:
          "This page has expired or the code is no longer valid. Enter the code again.",
      }),
    );
  }
  const action = ctx.params.get("action");
  if (action !== "authorize" && action !== "cancel") {
    return htmlResponse(
      400,
      renderErrorPage("invalid_request", "Choose Authorize or Cancel."),
    );
  }
  return activateResult(state, device, action === "authorize", page.user);
}

function activateResult(
  state: MockState,
  device: DeviceRecord,
  approved: boolean,
  user: MockUser,
): Response {
  device.status = approved ? "approved" : "denied";
  if (approved) device.user = user;
  return htmlResponse(
    200,
    renderActivateResultPage(
      approved,
      pageApp(state.clients.get(device.clientId)!),
    ),
  );
}
