/**
 * Prints a user token the way every command that gets one does: the chosen
 * `--format`, to stdout or `--output`, with its owner named in text.
 *
 * @module
 */

import type { AccessToken } from "../web/access_token.ts";
import { validateToken } from "../web/validate_token.ts";
import { formatToken, type TokenReport } from "./_output.ts";
import { emit, remember, requestOptions, type TargetContext } from "./_run.ts";

/**
 * Prints a user token; the text format names its owner (one `/validate`).
 *
 * @param cli The command at work (`--format`, `--output`, where Twitch is).
 * @param token The tokens.
 * @param clientId The app's client id.
 */
export async function emitToken(
  cli: TargetContext,
  token: AccessToken,
  clientId: string,
): Promise<void> {
  remember(cli, token.accessToken, token.refreshToken);
  const report: TokenReport = { token, clientId };
  if (cli.options.format === "text") report.user = await lookUpUser(cli, token);
  await emit(cli, formatToken(report, cli.options.format));
}

/** The token's owner, or `undefined` when Twitch cannot say. */
async function lookUpUser(
  cli: TargetContext,
  token: AccessToken,
): Promise<TokenReport["user"]> {
  try {
    const result = await validateToken(token.accessToken, requestOptions(cli));
    if ("status" in result || !result.login || !result.user_id) {
      return undefined;
    }
    return { login: result.login, userId: result.user_id };
  } catch {
    return undefined; // the tokens are still worth printing
  }
}
