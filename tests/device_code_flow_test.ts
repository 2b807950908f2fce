import {
  assert,
  assertEquals,
  assertFalse,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import {
  AccessDeniedError,
  CancelledError,
  startDeviceAuthorization,
  TimeoutError,
  TwitchApiError,
  validateToken,
  waitForDeviceToken,
} from "../mod.ts";
import { startMockTwitch } from "../testing.ts";
import { startStrictFake } from "./_strict_fake_twitch.ts";
import { assertValid, lastRequest } from "./_util.ts";

const PUBLIC_CLIENT = {
  clientId: "public0device0client0000000000",
  redirectUris: [],
};

/** A mock with a public client, and a device sign-in started on it. */
async function startDevice(deviceInterval = 0) {
  const mock = await startMockTwitch({
    clients: [PUBLIC_CLIENT],
    deviceInterval,
  });
  const options = { authBaseUrl: mock.authBaseUrl };
  const device = await startDeviceAuthorization(
    mock.clientId,
    ["chat:read"],
    options,
  );
  return { mock, options, device };
}

Deno.test("device flow: a public client signs in once the user approves", async () => {
  const { mock, options, device } = await startDevice();
  await using _ = mock;
  assertEquals(device.userCode.length, 8);
  assert(device.verificationUri.includes(device.userCode));
  assertEquals(device.expiresIn, 1800);
  const printed = Deno.inspect(device);
  assertFalse(printed.includes(device.deviceCode), printed); // with the client id it gets the token
  assertStringIncludes(printed, device.userCode);
  const waiting = waitForDeviceToken(mock.clientId, device, options);
  await new Promise((resolve) => setTimeout(resolve, 30));
  mock.approveDevice(device.userCode);
  const token = await waiting;
  assertEquals(token.scopes, ["chat:read"]);
  assert(token.refreshToken);
  assert(
    mock.countRequests({
      grantType: "urn:ietf:params:oauth:grant-type:device_code",
    }) >= 2,
  );
  const poll = lastRequest(mock, "/oauth2/token");
  assertEquals(poll.form?.get("device_code"), device.deviceCode);
  assertEquals([...poll.query.keys()], []);
});

Deno.test("device flow: a declined code is an AccessDeniedError, a bad one a TwitchApiError", async () => {
  const { mock, options, device } = await startDevice();
  await using _ = mock;
  mock.denyDevice(device.userCode);
  await assertRejects(
    () => waitForDeviceToken(mock.clientId, device, options),
    AccessDeniedError,
  );
  const error = await assertRejects(
    () =>
      waitForDeviceToken(
        mock.clientId,
        { ...device, deviceCode: "nope" },
        options,
      ),
    TwitchApiError,
  );
  assertEquals(error.twitchMessage, "invalid device code");
});

Deno.test("device flow: slow_down makes the next poll wait five seconds more", async () => {
  const { mock, options, device } = await startDevice();
  await using _ = mock;
  mock.approveDevice(device.userCode);
  mock.injectFault({
    path: "/oauth2/token",
    status: 400,
    body: '{"status":400,"message":"slow_down"}',
  });
  // approved already: a client that ignored slow_down would poll again at once and succeed
  await assertRejects(
    () =>
      waitForDeviceToken(mock.clientId, device, { ...options, timeout: 800 }),
    TimeoutError,
  );
  assertEquals(mock.countRequests({ pathname: "/oauth2/token" }), 1);
});

Deno.test("device flow: a signal cancels the wait", async () => {
  const { mock, options, device } = await startDevice(1);
  await using _ = mock;
  const controller = new AbortController();
  const waiting = waitForDeviceToken(mock.clientId, device, {
    ...options,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await assertRejects(() => waiting, CancelledError);
});

Deno.test("device flow against the strict fake: interval honoured, no violation", async () => {
  await using fake = await startStrictFake({ deviceInterval: 1 });
  const options = { authBaseUrl: fake.authBaseUrl };
  const device = await startDeviceAuthorization(
    fake.clientId,
    ["chat:read"],
    options,
  );
  assertEquals(device.interval, 1);
  const token = await waitForDeviceToken(fake.clientId, device, options);
  assertValid(await validateToken(token.accessToken, options));
  assertEquals(fake.violations, []);
});
