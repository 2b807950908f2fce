/**
 * Reads the secrets the command line needs (a token argument, the client
 * secret) from where they are safe: stdin, the environment, or a prompt
 * that does not echo. None of them needs to appear in the shell history.
 *
 * @module
 */

import type { CliIo } from "./_io.ts";
import { UsageError } from "./_options.ts";

/**
 * The token argument of `validate`, `refresh` or `revoke`: as given, or from
 * stdin for `-` or when it is left out and stdin is a pipe, or asked for
 * with a hidden prompt on a terminal.
 *
 * @param argument The argument as typed, `"-"` or `undefined`.
 * @param what What the token is, such as `"access token"`.
 * @param io Stdin and the terminal.
 * @returns The token, trimmed.
 * @throws {UsageError} when no token was given anywhere.
 */
export async function readTokenArgument(
  argument: string | undefined,
  what: string,
  io: CliIo,
): Promise<string> {
  const token = argument !== undefined && argument !== "-"
    ? argument
    : io.stdinIsTerminal()
    ? await askSecret(`${capitalize(what)} (hidden):`, io)
    : await io.readIn();
  const trimmed = token?.trim() ?? "";
  if (trimmed === "" && token !== null && !io.stdinIsTerminal()) {
    throw new UsageError(
      `No ${what} given: stdin was empty (if you piped a variable, such as printenv TWITCH_ACCESS_TOKEN, it is not set in this shell)`,
    );
  }
  if (trimmed === "") {
    throw new UsageError(
      `No ${what} given: pass it as an argument, or "-" and pipe it on stdin`,
    );
  }
  return trimmed;
}

/**
 * Asks for a secret on the terminal without echoing it; when stdout is
 * redirected the prompt goes to stderr instead, so it never ends up in the
 * result.
 *
 * @param message The prompt.
 * @param io The terminal.
 * @returns What was typed, or `null` when nobody can be asked.
 */
export async function askSecret(
  message: string,
  io: CliIo,
): Promise<string | null> {
  if (!io.stdinIsTerminal()) return null;
  if (!io.stdoutIsTerminal() && !io.stderrIsTerminal()) return null;
  return await io.promptSecret(message);
}

/** How the client secret is needed. */
export type SecretNeed = "required" | "optional";

/** The flags and environment a missing secret is explained with. */
const SECRET_HINT =
  "set TWITCH_CLIENT_SECRET (or pass --client-secret); on a terminal it is asked for";

/**
 * The client secret: given (flag or environment), else asked for on the
 * terminal. An optional secret (a public client refreshing) may be left
 * empty.
 *
 * @param given The secret from `--client-secret` or `TWITCH_CLIENT_SECRET`.
 * @param clientId The client id, named in the prompt.
 * @param need Whether the command cannot work without it.
 * @param io The terminal.
 * @returns The secret, or `undefined` for none.
 * @throws {UsageError} when a required secret is missing.
 */
export async function resolveClientSecret(
  given: string | undefined,
  clientId: string,
  need: SecretNeed,
  io: CliIo,
): Promise<string | undefined> {
  if (given) return given;
  const prompt = need === "required"
    ? `Client secret of ${clientId} (hidden):`
    : `Client secret of ${clientId} (hidden; leave empty for a public client):`;
  const typed = (await askSecret(prompt, io))?.trim();
  if (typed) return typed;
  if (need === "optional") return undefined;
  throw new UsageError(`The client secret is missing: ${SECRET_HINT}`);
}

/**
 * The client id, or a usage error that says where to get one.
 *
 * @param clientId The client id from `--client-id` or `TWITCH_CLIENT_ID`.
 * @returns The client id.
 * @throws {UsageError} when there is none.
 */
export function requireClientId(clientId: string | undefined): string {
  if (clientId) return clientId;
  throw new UsageError(
    "The client id is missing: set TWITCH_CLIENT_ID or pass --client-id; create an app at https://dev.twitch.tv/console/apps and add http://localhost:17563 as OAuth Redirect URL (or try --demo, or twitch-auth mock)",
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
