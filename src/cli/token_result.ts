/**
 * Prints a user token the way every command that gets one does: the chosen
 * `--format`, to stdout or `--output`, with its owner named in text.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { validateToken } from "../web/validate_token.ts";
import type { CliOptions } from "./options.ts";
import { formatToken, type TokenReport } from "./output.ts";
import {
  emit,
  remember,
  requestOptions,
  type Run,
  type Target,
} from "./run.ts";

/**
 * Prints a user token; the text format names its owner (one `/validate`).
 *
 * @param token The tokens.
 * @param clientId The app's client id.
 * @param options The command line (`--format`, `--output`).
 * @param target Where Twitch is.
 * @param run The run.
 * @param signal Ctrl+C.
 */
export async function emitToken(
  token: AccessToken,
  clientId: string,
  options: CliOptions,
  target: Target,
  run: Run,
  signal: AbortSignal,
): Promise<void> {
  remember(run, token.accessToken, token.refreshToken);
  const report: TokenReport = { token, clientId };
  if (options.format === "text") {
    report.user = await lookUpUser(token, options, target, signal);
  }
  await emit(formatToken(report, options.format), options, run);
}

/** The token's owner, or `undefined` when Twitch cannot say. */
async function lookUpUser(
  token: AccessToken,
  options: CliOptions,
  target: Target,
  signal: AbortSignal,
): Promise<TokenReport["user"]> {
  try {
    const result = await validateToken(
      token.accessToken,
      requestOptions(options, target, signal),
    );
    if ("status" in result || !result.login || !result.user_id) {
      return undefined;
    }
    return { login: result.login, userId: result.user_id };
  } catch {
    return undefined; // the tokens are still worth printing
  }
}
