// Internal: calls to Helix with the app's Client-Id and a Bearer token,
// retried once with a new token after a 401 that says the token is invalid
// (not after one that says a scope is missing or the client id does not
// match: no new token fixes those).

import { InvalidArgumentError } from "./errors.ts";
import { prepareRequest } from "./_replayable_body.ts";

/** A token to send, and how to get the one to retry with after a 401. */
export interface HelixToken {
  accessToken: string;
  /** The token after the refresh rule ran for the one that failed. */
  renew(): Promise<string>;
}

/** Where and how to call Helix. */
export interface HelixCall {
  url: URL;
  init: RequestInit;
  clientId: string;
  fetch: typeof fetch | undefined;
  token(): Promise<HelixToken>;
}

/** The most of a 401 body read to learn why: Twitch's are about 100 bytes. */
const MAX_REFUSAL_BYTES = 4096;

/**
 * Resolves a Helix path (`"users?login=x"`) or URL under `base`; refuses
 * anything else, so that a token never goes to another host.
 */
export function helixUrl(base: string, input: string | URL): URL {
  const root = `${base}/`;
  const url = new URL(String(input).replace(/^\/+/, ""), root);
  if (!url.href.startsWith(root) && url.href !== base) {
    throw new InvalidArgumentError(
      `fetch only calls Helix (${base}); refused ${url.origin}${url.pathname} so the token is not sent elsewhere`,
    );
  }
  return url;
}

/**
 * Why Helix answered 401, from the `message` of its body:
 * `"scope"` (`Missing scope: X`), `"client"` (`Client ID and OAuth token do
 * not match`), `"token"` (the token is invalid or expired, or the body says
 * nothing: the only reason to refresh) or `"other"` (such as `OAuth token is
 * missing`).
 */
export function refusalKind(
  message: string,
): "scope" | "client" | "token" | "other" {
  const text = message.trim().toLowerCase();
  if (text.startsWith("missing scope")) return "scope";
  if (text.includes("client id and oauth token do not match")) return "client";
  if (
    text === "" || text.includes("invalid oauth token") ||
    text.includes("invalid access token") || text.includes("expired")
  ) {
    return "token";
  }
  return "other";
}

/**
 * Sends the request; on a 401 that says the token is invalid, runs the
 * refresh rule and sends it once more with the token it gives. Any other
 * 401 (a missing scope, another app's token) comes back as it is, and
 * refreshes nothing. A streamed body over 1 MiB cannot be sent twice: then
 * the token is renewed all the same (for the caller's next attempt) and the
 * 401 response returned as it is.
 */
export async function callHelix(call: HelixCall): Promise<Response> {
  const send = (token: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set("Client-Id", call.clientId);
    headers.set("Authorization", `Bearer ${token}`);
    return (call.fetch ?? fetch)(call.url, { ...init, headers });
  };
  const token = await call.token();
  const request = await prepareRequest(call.init);
  const response = await send(token.accessToken, request.first);
  if (response.status !== 401) return response;
  if (refusalKind(await refusalMessage(response)) !== "token") return response;
  if (!request.retry) {
    await token.renew();
    return response;
  }
  await response.body?.cancel();
  return await send(await token.renew(), request.retry);
}

/**
 * The `message` of a 401 body, read from a copy (the response stays whole
 * for the caller) and at most {@linkcode MAX_REFUSAL_BYTES}.
 */
async function refusalMessage(response: Response): Promise<string> {
  const copy = response.clone();
  if (!copy.body) return "";
  const reader = copy.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_REFUSAL_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    return "";
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes));
    return typeof body?.message === "string" ? body.message : "";
  } catch {
    return ""; // not Twitch's JSON: nothing says the token is fine
  }
}
