// Internal: calls to Helix with the app's Client-Id and a Bearer token,
// retried once with a new token after a 401 when the body can be sent again.

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
 * Sends the request; on a 401, runs the refresh rule and sends it once more
 * with the token it gives. A streamed body over 1 MiB cannot be sent twice:
 * then the token is renewed all the same (for the caller's next attempt)
 * and the 401 response returned as it is.
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
  if (!request.retry) {
    await token.renew();
    return response;
  }
  await response.body?.cancel();
  return await send(await token.renew(), request.retry);
}
