/**
 * The apps registered with the mock Twitch, and how a request proves it comes
 * from one. A public client (no secret) may use only the device code flow and
 * refresh its tokens, as on Twitch.
 *
 * @module
 */

import { idError, type Result } from "./_mock_http.ts";
import type { PageApp } from "./_mock_pages.ts";
import type { MockState } from "./_mock_state.ts";
import type { MockClient } from "./mock_types.ts";

/** Whether `client` is a public client: one without a secret. */
export function isPublicClient(client: MockClient): boolean {
  return client.clientSecret === undefined;
}

/**
 * How a grant treats `client_secret`: `"required"` for the confidential-only
 * grants (public clients fail), `"optional"` (checked when sent), and
 * `"public-ok"` (required of confidential clients, none for public ones).
 */
export type SecretRule = "required" | "optional" | "public-ok";

/** Finds the client of `client_id` and checks `client_secret` by `rule`. */
export function authenticateClient(
  state: MockState,
  params: URLSearchParams,
  rule: SecretRule,
): Result<MockClient> {
  const clientId = params.get("client_id");
  if (!clientId) return { response: idError(400, "missing client id") };
  const client = state.clients.get(clientId);
  if (!client) return { response: idError(400, "invalid client") };
  const given = params.get("client_secret");
  if (isPublicClient(client)) {
    // A public client has no secret: it may not use the confidential-only grants.
    return rule === "required"
      ? { response: idError(403, "invalid client secret") }
      : { ok: client };
  }
  if (!given) {
    return rule === "optional"
      ? { ok: client }
      : { response: idError(400, "missing client secret") };
  }
  if (given !== client.clientSecret) {
    return { response: idError(403, "invalid client secret") };
  }
  return { ok: client };
}

/** What the consent and activation pages show of `client` (never its secret). */
export function pageApp(client: MockClient): PageApp {
  return { name: client.name, clientId: client.clientId };
}
