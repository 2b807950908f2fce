/**
 * Reads a token that a store or a file holds, in either spelling: this
 * module's own JSON (`accessToken`, `refreshToken`, `expiresIn`, `scopes`,
 * `tokenType`, `obtainedAt`) or Twitch's, as the CLI writes it
 * (`access_token`, `refresh_token`, `expires_in`, `scope`, `token_type`,
 * `obtained_at`).
 *
 * @module
 */

import { AccessToken } from "../web/access_token.ts";
import { CorruptTokenStoreError } from "../web/errors_token_store.ts";

/** Whether `value` is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `data` carries a token at its top level (either spelling). */
export function hasTokenFields(data: Record<string, unknown>): boolean {
  return "accessToken" in data || "access_token" in data;
}

/**
 * Builds an {@linkcode AccessToken} from stored JSON, in either spelling.
 * A token without an obtained time (Twitch's answer as older CLIs wrote it)
 * counts as obtained at epoch 0, that is expired: it is refreshed before use.
 *
 * @param data The stored object.
 * @param where The file or key it came from, for the error message.
 * @returns The token.
 * @throws {CorruptTokenStoreError} naming the missing or malformed field.
 */
export function tokenFromRecord(
  data: Record<string, unknown>,
  where: string,
): AccessToken {
  const field = (camel: string, snake: string): [string, unknown] =>
    camel in data ? [camel, data[camel]] : [snake, data[snake]];
  const bad = (name: string, wanted: string) =>
    new CorruptTokenStoreError(where, `the field ${name} is not ${wanted}`);

  const [accessName, accessToken] = field("accessToken", "access_token");
  if (typeof accessToken !== "string" || accessToken === "") {
    throw bad(accessName, "a non-empty string");
  }
  const [refreshName, refreshToken] = field("refreshToken", "refresh_token");
  if (refreshToken !== undefined && typeof refreshToken !== "string") {
    throw bad(refreshName, "a string");
  }
  const [expiresName, expiresIn] = field("expiresIn", "expires_in");
  if (typeof expiresIn !== "number" || !(expiresIn >= 0)) {
    throw bad(expiresName, "a number of seconds");
  }
  const [scopesName, scopes] = field("scopes", "scope");
  const scopeList = scopes === undefined ? [] : scopes;
  if (
    !Array.isArray(scopeList) || scopeList.some((s) => typeof s !== "string")
  ) {
    throw bad(scopesName, "a list of strings");
  }
  const [typeName, tokenType] = field("tokenType", "token_type");
  if (tokenType !== undefined && typeof tokenType !== "string") {
    throw bad(typeName, "a string");
  }
  const [obtainedName, obtained] = field("obtainedAt", "obtained_at");
  const obtainedAt = epochMilliseconds(obtained);
  if (obtainedAt === undefined) {
    throw bad(obtainedName, "a time (epoch milliseconds or an ISO date)");
  }
  return new AccessToken({
    accessToken,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    expiresIn,
    scopes: scopeList,
    tokenType: tokenType ?? "bearer",
    obtainedAt,
  });
}

/**
 * Reads a time: epoch milliseconds, epoch seconds (numbers below 1e11, that
 * is before 1973 in milliseconds), or an ISO 8601 date; absent is 0.
 */
function epochMilliseconds(value: unknown): number | undefined {
  if (value === undefined) return 0;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    return value < 1e11 ? value * 1000 : value;
  }
  if (typeof value === "string") {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}
