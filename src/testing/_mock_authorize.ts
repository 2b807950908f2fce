/**
 * `/oauth2/authorize` on the mock Twitch: checks the request, shows the
 * consent page (or answers at once, by the consent mode), takes its Authorize
 * or Cancel, and redirects with a code (or, for the implicit flow, a token in
 * the fragment) or with Twitch's `access_denied`. Public clients (no secret)
 * get an error page: Twitch allows them only the device code flow.
 *
 * @module
 */

import { isPublicClient, pageApp } from "./_mock_clients.ts";
import {
  type Context,
  htmlResponse,
  KNOWN_SCOPES,
  parseScopes,
  randomToken,
  redirect,
  type Result,
  withParams,
} from "./_mock_http.ts";
import { renderConsentPage, renderErrorPage } from "./_mock_pages.ts";
import {
  type AuthorizeRequest,
  type MockState,
  pruneExpired,
} from "./_mock_state.ts";
import { issueAccessToken } from "./_mock_token_store.ts";
import type { MockUser } from "./mock_types.ts";

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const PAGE_LIFETIME_MS = 30 * 60 * 1000;

function errorPage(error: string, description: string): Response {
  return htmlResponse(400, renderErrorPage(error, description));
}

function errorRedirect(
  redirectUri: string,
  inFragment: boolean,
  state: string | null,
  error: string,
  description: string,
): Response {
  const params = new URLSearchParams({
    error,
    error_description: description,
  });
  if (state !== null) params.set("state", state);
  return redirect(withParams(redirectUri, params.toString(), inFragment));
}

/**
 * Checks an authorize request. An unknown client, a public client or an
 * unregistered redirect URI gets the error page (the user is not sent back to
 * the app); other errors redirect.
 */
function parseAuthorize(
  state: MockState,
  params: URLSearchParams,
): Result<AuthorizeRequest> {
  const clientId = params.get("client_id");
  const client = clientId ? state.clients.get(clientId) : undefined;
  if (!client) {
    return {
      response: errorPage(
        "invalid_client",
        "The client_id is missing or unknown.",
      ),
    };
  }
  if (isPublicClient(client)) {
    // Twitch lets a public client (no secret) use only the device code flow.
    return {
      response: errorPage(
        "unauthorized_client",
        "This app is a public client: it may use only the device code flow.",
      ),
    };
  }
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!client.redirectUris.includes(redirectUri)) {
    return {
      response: errorPage(
        "redirect_mismatch",
        "Parameter redirect_uri does not match registered URI",
      ),
    };
  }
  const responseType = params.get("response_type");
  const requestState = params.get("state");
  if (responseType !== "code" && responseType !== "token") {
    return {
      response: errorRedirect(
        redirectUri,
        false,
        requestState,
        "unsupported_response_type",
        "response_type must be code or token",
      ),
    };
  }
  const scopes = parseScopes(params.get("scope"));
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
  if (unknown.length > 0) {
    return {
      response: errorRedirect(
        redirectUri,
        responseType === "token",
        requestState,
        "invalid_scope",
        `The requested scope is invalid: ${unknown.join(" ")}`,
      ),
    };
  }
  return {
    ok: {
      client,
      redirectUri,
      responseType,
      scopes,
      state: requestState,
      forceVerify: params.get("force_verify")?.toLowerCase() === "true",
      nonce: params.get("nonce"),
    },
  };
}

/** `GET /oauth2/authorize`: the consent page, or the answer the consent mode gives. */
export function authorize(state: MockState, ctx: Context): Response {
  const parsed = parseAuthorize(state, ctx.params);
  if (parsed.response) return parsed.response;
  const request = parsed.ok;
  const user = state.currentUser;
  if (state.consent === "approve") return approve(state, request, user);
  if (state.consent === "deny") return deny(request);
  if (
    !request.forceVerify &&
    hasConsented(state, request.client.clientId, user.id, request.scopes)
  ) {
    return approve(state, request, user);
  }
  return consentPage(state, request, user);
}

function consentPage(
  state: MockState,
  request: AuthorizeRequest,
  user: MockUser,
): Response {
  const csrfToken = randomToken(32);
  const now = state.now();
  pruneExpired(state.consentPages, now);
  state.consentPages.set(csrfToken, {
    request,
    user,
    expiresAt: now + PAGE_LIFETIME_MS,
  });
  const hiddenFields: Record<string, string> = {
    client_id: request.client.clientId,
    redirect_uri: request.redirectUri,
    response_type: request.responseType,
    scope: request.scopes.join(" "),
  };
  if (request.state !== null) hiddenFields.state = request.state;
  if (request.nonce !== null) hiddenFields.nonce = request.nonce;
  hiddenFields.csrf_token = csrfToken;
  return htmlResponse(
    200,
    renderConsentPage({
      app: pageApp(request.client),
      scopes: request.scopes,
      user,
      action: "/oauth2/authorize",
      hiddenFields,
      redirectUri: request.redirectUri,
    }),
  );
}

/** `POST /oauth2/authorize`: the consent page's Authorize or Cancel. */
export function authorizeAnswer(state: MockState, ctx: Context): Response {
  const csrfToken = ctx.params.get("csrf_token") ?? "";
  const page = state.consentPages.get(csrfToken);
  state.consentPages.delete(csrfToken);
  if (!page || page.expiresAt <= state.now()) {
    return errorPage(
      "invalid_request",
      "This page has expired or was not issued by Twitch. Start again from the app.",
    );
  }
  const { request, user } = page;
  const matches = ctx.params.get("client_id") === request.client.clientId &&
    ctx.params.get("redirect_uri") === request.redirectUri &&
    ctx.params.get("response_type") === request.responseType &&
    parseScopes(ctx.params.get("scope")).join(" ") ===
      request.scopes.join(" ") &&
    ctx.params.get("state") === request.state;
  if (!matches) {
    return errorPage(
      "invalid_request",
      "The form does not match the request it was made for.",
    );
  }
  const action = ctx.params.get("action");
  if (action === "authorize") return approve(state, request, user);
  if (action === "cancel") return deny(request);
  return errorPage("invalid_request", "Choose Authorize or Cancel.");
}

function hasConsented(
  state: MockState,
  clientId: string,
  userId: string,
  scopes: string[],
): boolean {
  const granted = state.consents.get(`${clientId}\n${userId}`);
  return granted !== undefined && scopes.every((scope) => granted.has(scope));
}

function rememberConsent(
  state: MockState,
  clientId: string,
  userId: string,
  scopes: string[],
): void {
  const key = `${clientId}\n${userId}`;
  const granted = state.consents.get(key) ?? new Set<string>();
  for (const scope of scopes) granted.add(scope);
  state.consents.set(key, granted);
}

/** The user said yes: redirect with a code, or with a token in the fragment. */
function approve(
  state: MockState,
  request: AuthorizeRequest,
  user: MockUser,
): Response {
  rememberConsent(state, request.client.clientId, user.id, request.scopes);
  const scope = encodeURIComponent(request.scopes.join(" "));
  const stateParam = request.state === null
    ? ""
    : `&state=${encodeURIComponent(request.state)}`;
  if (request.responseType === "token") {
    const accessToken = issueAccessToken(
      state,
      request.client.clientId,
      user,
      request.scopes,
    );
    return redirect(
      withParams(
        request.redirectUri,
        `access_token=${accessToken}&scope=${scope}${stateParam}&token_type=bearer`,
        true,
      ),
    );
  }
  const code = randomToken(30);
  const now = state.now();
  pruneExpired(state.codes, now);
  state.codes.set(code, {
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    user,
    nonce: request.nonce,
    expiresAt: now + CODE_LIFETIME_MS,
    used: false,
  });
  return redirect(
    withParams(
      request.redirectUri,
      `code=${code}&scope=${scope}${stateParam}`,
      false,
    ),
  );
}

function deny(request: AuthorizeRequest): Response {
  return errorRedirect(
    request.redirectUri,
    request.responseType === "token",
    request.state,
    "access_denied",
    "The user denied you access",
  );
}
