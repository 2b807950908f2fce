/**
 * Helix on the mock Twitch: `GET /helix/users` and `GET /helix/chat/chatters`,
 * with Helix's token, `Client-Id` and scope checks, error shape and
 * rate-limit headers.
 *
 * @module
 */

import {
  apiError,
  type Context,
  credentials,
  jsonResponse,
} from "./_mock_http.ts";
import type { MockState } from "./_mock_state.ts";
import { liveAccessToken } from "./_mock_token_store.ts";
import type { AccessTokenRecord } from "./_mock_state.ts";
import type { MockUser } from "./mock_types.ts";

const HELIX_RATE_LIMIT = 800;
const HELIX_RATE_WINDOW_MS = 60 * 1000;
const MAX_LOOKUPS = 100;

/**
 * Helix's checks of every call, in Twitch's order and wording: the token,
 * the `Client-Id`, the scope the endpoint needs (401 `Missing scope: X`,
 * as Twitch answers), then the rate limit.
 */
function authorize(
  state: MockState,
  ctx: Context,
  scope?: string,
):
  | { response: Response }
  | { record: AccessTokenRecord; headers: Record<string, string> } {
  const token = credentials(ctx.req.headers, "Bearer");
  if (!token) return { response: apiError(401, "OAuth token is missing") };
  const record = liveAccessToken(state, token);
  if (!record) return { response: apiError(401, "Invalid OAuth token") };
  const clientId = ctx.req.headers.get("client-id");
  if (!clientId) {
    return { response: apiError(401, "Client-Id header required") };
  }
  if (clientId !== record.clientId) {
    return {
      response: apiError(401, "Client ID and OAuth token do not match"),
    };
  }
  if (scope !== undefined && !record.scopes.includes(scope)) {
    return { response: apiError(401, `Missing scope: ${scope}`) };
  }
  const rate = takeRateLimit(state, clientId);
  if (rate.limited) {
    return { response: apiError(429, "Too Many Requests", rate.headers) };
  }
  return { record, headers: rate.headers };
}

/**
 * `GET /helix/chat/chatters?broadcaster_id=&moderator_id=`: needs
 * `moderator:read:chatters` (401 `Missing scope: moderator:read:chatters`
 * without it) and `moderator_id` the token's user; lists the mock's users
 * as the chatters.
 */
export function helixChatters(state: MockState, ctx: Context): Response {
  const checked = authorize(state, ctx, "moderator:read:chatters");
  if ("response" in checked) return checked.response;
  const { record, headers } = checked;
  for (const name of ["broadcaster_id", "moderator_id"]) {
    if (!ctx.url.searchParams.get(name)) {
      return apiError(400, `Missing required parameter "${name}"`, headers);
    }
  }
  if (ctx.url.searchParams.get("moderator_id") !== record.user?.id) {
    return apiError(
      403,
      "The ID in moderator_id must match the user ID in the access token.",
      headers,
    );
  }
  const data = state.users.map((u) => ({
    user_id: u.id,
    user_login: u.login,
    user_name: u.displayName ?? u.login,
  }));
  return jsonResponse(
    200,
    { data, pagination: {}, total: data.length },
    headers,
  );
}

/** `GET /helix/users`: the token's user, or the users of `id` and `login`. */
export function helixUsers(state: MockState, ctx: Context): Response {
  const checked = authorize(state, ctx);
  if ("response" in checked) return checked.response;
  const { record } = checked;
  const rate = { headers: checked.headers };
  const ids = ctx.url.searchParams.getAll("id");
  const logins = ctx.url.searchParams.getAll("login").map((login) =>
    login.toLowerCase()
  );
  if (ids.length + logins.length > MAX_LOOKUPS) {
    return apiError(
      400,
      "The request exceeds the maximum allowed number of 'id' and/or 'login' query parameters.",
      rate.headers,
    );
  }
  let users: MockUser[];
  if (ids.length + logins.length === 0) {
    if (!record.user) {
      return apiError(
        400,
        "Must provide an ID, Login or OAuth Token",
        rate.headers,
      );
    }
    users = [record.user];
  } else {
    users = state.users.filter((u) =>
      ids.includes(u.id) || logins.includes(u.login.toLowerCase())
    );
  }
  const canSeeEmail = record.user !== undefined &&
    record.scopes.includes("user:read:email");
  const data = users.map((u) =>
    helixUser(u, canSeeEmail && u.id === record.user?.id)
  );
  return jsonResponse(200, { data }, rate.headers);
}

/** Takes one request from the client's bucket; `limited` when it is empty. */
function takeRateLimit(
  state: MockState,
  clientId: string,
): { limited: boolean; headers: Record<string, string> } {
  const now = state.now();
  let bucket = state.rateLimits.get(clientId);
  if (!bucket || bucket.resetAt <= now) {
    bucket = {
      remaining: HELIX_RATE_LIMIT,
      resetAt: now + HELIX_RATE_WINDOW_MS,
    };
    state.rateLimits.set(clientId, bucket);
  }
  const limited = bucket.remaining === 0;
  if (!limited) bucket.remaining--;
  return {
    limited,
    headers: {
      "Ratelimit-Limit": String(HELIX_RATE_LIMIT),
      "Ratelimit-Remaining": String(bucket.remaining),
      "Ratelimit-Reset": String(Math.ceil(bucket.resetAt / 1000)),
    },
  };
}

function helixUser(
  user: MockUser,
  withEmail: boolean,
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: user.id,
    login: user.login,
    display_name: user.displayName ?? user.login,
    type: "",
    broadcaster_type: "",
    description: "",
    profile_image_url:
      `https://static-cdn.jtvnw.net/user-default-pictures-uv/ebe4cd89-b4f4-4cd9-adac-2f30151b4209-profile_image-300x300.png`,
    offline_image_url: "",
    view_count: 0,
    created_at: "2016-12-14T20:32:28Z",
  };
  if (withEmail && user.email) data.email = user.email;
  return data;
}
