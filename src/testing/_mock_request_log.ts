/**
 * The mock Twitch's request log: every request it received, for tests to
 * inspect and count.
 *
 * @module
 */

import type { MockRequest, RequestFilter } from "./mock_types.ts";

/** The log entry of a request (its form is added once the body is read). */
export function logEntry(req: Request, url: URL): MockRequest {
  return {
    method: req.method,
    pathname: url.pathname,
    query: new URLSearchParams(url.searchParams),
    headers: new Headers(req.headers),
  };
}

/** How many of `requests` match `filter`. */
export function countMatching(
  requests: readonly MockRequest[],
  filter: RequestFilter,
): number {
  return requests.filter((req) =>
    (filter.pathname === undefined || req.pathname === filter.pathname) &&
    (filter.grantType === undefined ||
      grantTypeOf(req).grantType === filter.grantType)
  ).length;
}

/** `{ grantType }` of a token request, else nothing: for one-line summaries. */
export function grantTypeOf(req: MockRequest): { grantType?: string } {
  const grantType = req.form?.get("grant_type") ?? req.query.get("grant_type");
  return grantType ? { grantType } : {};
}
