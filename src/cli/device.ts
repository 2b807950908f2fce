/**
 * `device`: the sign-in for machines without a browser (servers, a Raspberry
 * Pi, containers) and for public clients: the user opens a URL on any other
 * device (a QR code on a terminal) and types a short code, while the CLI
 * polls Twitch with a progress line. The model is `gh auth login`.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import {
  type DeviceAuthorization,
  startDeviceAuthorization,
  waitForDeviceToken,
} from "../web/device_code_flow.ts";
import { TimeoutError, TwitchAuthError } from "../web/errors.ts";
import { requireClientId } from "./input.ts";
import { type CliOptions, UsageError } from "./options.ts";
import { ProgressLine } from "./progress.ts";
import {
  interruptible,
  remember,
  requestOptions,
  type Run,
  type Target,
  withTarget,
} from "./run.ts";
import { DEMO_SCOPES, seconds } from "./sign_in.ts";
import { emitToken } from "./token_result.ts";
import { EXIT_OK } from "./exit_codes.ts";

/**
 * Runs `device`: asks Twitch for a code, shows it, waits for the user, prints
 * the tokens. Needs no client secret.
 *
 * @param options The command line.
 * @param run The run.
 * @returns The exit code.
 */
export async function runDevice(
  options: CliOptions,
  run: Run,
): Promise<number> {
  return await withTarget(options, run, async (target) => {
    const clientId = requireClientId(target.clientId);
    const scopes = options.scopes.length === 0 && target.demo
      ? DEMO_SCOPES
      : options.scopes;
    if (scopes.length === 0) {
      throw new UsageError(
        "device needs the scopes to ask for: pass -s, such as -s chat:read,chat:edit (the scopes command lists them all; on a machine with a browser, token without -s shows a page to pick them)",
      );
    }
    return await interruptible(run, async (signal) => {
      const device = await startDeviceAuthorization(
        clientId,
        scopes,
        requestOptions(options, target, signal),
      );
      remember(run, device.deviceCode);
      await showCode(device, run);
      if (target.demo) {
        run.io.writeErr("Demo: the mock Twitch approves by itself.\n");
        target.demo.approveDevice(device.userCode);
      }
      const token = await poll(clientId, device, options, target, run, signal);
      await emitToken(token, clientId, options, target, run, signal);
      return EXIT_OK;
    });
  });
}

/** The URL and the code on stderr, and a QR code of the URL on a terminal. */
async function showCode(device: DeviceAuthorization, run: Run): Promise<void> {
  run.io.writeErr(
    `To sign in, open this URL on any device (a phone will do):\n  ${device.verificationUri}\nand enter the code: ${
      formatUserCode(device.userCode)
    }\n`,
  );
  if (!run.io.stderrIsTerminal()) return;
  const { renderUnicodeCompact } = await import("uqr");
  run.io.writeErr(
    `Or scan this with the phone's camera:\n${
      renderUnicodeCompact(device.verificationUri, { border: 2 })
    }\n`,
  );
}

/**
 * A user code as it is easiest to read: `ABCD-EFGH` (Twitch accepts it with
 * or without the dash).
 *
 * @param code The user code.
 * @returns The code, split in two halves when it has eight letters.
 */
export function formatUserCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

async function poll(
  clientId: string,
  device: DeviceAuthorization,
  options: CliOptions,
  target: Target,
  run: Run,
  signal: AbortSignal,
): Promise<AccessToken> {
  const progress = new ProgressLine({
    write: run.io.writeErr,
    enabled: run.io.stderrIsTerminal(),
    color: run.io.env("NO_COLOR") === undefined,
    message: "Waiting for you to enter the code on Twitch…",
  });
  progress.start();
  try {
    const token = await waitForDeviceToken(clientId, device, {
      authBaseUrl: target.authBaseUrl,
      timeout: options.timeout,
      signal,
    });
    remember(run, token.accessToken, token.refreshToken);
    return token;
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new TwitchAuthError(
        options.timeout !== undefined &&
          options.timeout < device.expiresIn * 1000
          ? `The device sign-in timed out after ${
            seconds(options.timeout)
          } seconds (--timeout): run device again, or allow more time with --timeout SECONDS`
          : `The code expired after ${
            seconds(device.expiresIn * 1000)
          } seconds without being entered: run device again for a new one`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    progress.stop();
  }
}
