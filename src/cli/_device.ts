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
import { requireClientId } from "./_input.ts";
import { UsageError } from "./_options.ts";
import { ProgressLine } from "./_progress.ts";
import {
  type CliContext,
  interruptible,
  remember,
  requestOptions,
  type Run,
  type TargetContext,
  withTarget,
} from "./_run.ts";
import { DEMO_SCOPES, seconds } from "./_sign_in.ts";
import { emitToken } from "./_token_result.ts";
import { EXIT_OK } from "./_exit_codes.ts";

/**
 * Runs `device`: asks Twitch for a code, shows it, waits for the user, prints
 * the tokens. Needs no client secret.
 *
 * @param cli The command line.
 * @returns The exit code.
 */
export async function runDevice(cli: CliContext): Promise<number> {
  return await withTarget(cli, async (cli) => {
    const { options, target } = cli;
    const clientId = requireClientId(target.clientId);
    const scopes = options.scopes.length === 0 && target.demo
      ? DEMO_SCOPES
      : options.scopes;
    if (scopes.length === 0) {
      throw new UsageError(
        "device needs the scopes to ask for: pass -s, such as -s chat:read,chat:edit (the scopes command lists them all; on a machine with a browser, token without -s shows a page to pick them)",
      );
    }
    return await interruptible(cli, async () => {
      const device = await startDeviceAuthorization(
        clientId,
        scopes,
        requestOptions(cli),
      );
      remember(cli, device.deviceCode);
      await showCode(device, cli);
      if (target.demo) {
        cli.io.writeErr("Demo: the mock Twitch approves by itself.\n");
        target.demo.approveDevice(device.userCode);
      }
      const token = await poll(cli, clientId, device);
      await emitToken(cli, token, clientId);
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
  cli: TargetContext,
  clientId: string,
  device: DeviceAuthorization,
): Promise<AccessToken> {
  const { options } = cli;
  const progress = new ProgressLine({
    write: cli.io.writeErr,
    enabled: cli.io.stderrIsTerminal(),
    color: cli.io.env("NO_COLOR") === undefined,
    message: "Waiting for you to enter the code on Twitch…",
  });
  progress.start();
  try {
    const token = await waitForDeviceToken(
      clientId,
      device,
      requestOptions(cli),
    );
    remember(cli, token.accessToken, token.refreshToken);
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
