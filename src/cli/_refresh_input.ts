/**
 * What `refresh` takes: a bare refresh token, or a whole token file (JSON,
 * as `--format json` and `FileTokenStore` write it), whose grant says
 * whether refreshing needs the client secret and whose fields the new token
 * keeps.
 *
 * @module
 */

import { AccessToken } from "../web/access_token.ts";
import { InvalidArgumentError } from "../web/errors.ts";
import { UsageError } from "./_options.ts";

/** The refresh token to use, and the token file it came from, if any. */
export interface RefreshInput {
  /** The refresh token. */
  refreshToken: string;
  /** The token it belongs to, when a token file was given. */
  token?: AccessToken;
}

/**
 * Reads `refresh`'s argument: JSON (starting with `{`) is a token file,
 * anything else the refresh token itself.
 *
 * @param input The argument or stdin, trimmed.
 * @returns The refresh token and, for a token file, its token.
 * @throws {UsageError} when a token file is not one, or has no refresh token.
 */
export function readRefreshInput(input: string): RefreshInput {
  if (!input.startsWith("{")) return { refreshToken: input };
  let token: AccessToken;
  try {
    token = AccessToken.fromJSON(input);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new UsageError(`The token file given to refresh: ${error.message}`);
  }
  if (!token.refreshToken) {
    throw new UsageError(
      "The token file given to refresh has no refresh_token: app tokens are not refreshed; get a new one (twitch-auth app) or sign in again",
    );
  }
  return { refreshToken: token.refreshToken, token };
}
