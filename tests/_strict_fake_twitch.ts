/**
 * A deliberately STRICT fake of Twitch's ID service (`/oauth2/*`) and of
 * `GET /helix/users`, written from `shared/twitch-oauth.md` alone and
 * independently of `src/testing/mock_server.ts`. Test fixture only: not published.
 *
 * Where our own mock forgives, this one records a human-readable entry in
 * {@linkcode StrictFake.violations} AND answers with an error, so a test that
 * ends with `assertEquals(fake.violations, [])` catches client mistakes such as
 * secrets in a URL, JSON bodies, the wrong `Authorization` scheme, a comma
 * separated scope, a reused single-use code / rotated-out refresh token, or a
 * device-flow poll that ignores `interval`.
 *
 * Ordinary error outcomes (a wrong secret, an unknown code, an expired or
 * revoked token) are NOT violations: they answer exactly as Twitch does, so
 * tests can exercise those error paths and still expect `violations` empty.
 *
 * @module
 */

/** Options of {@linkcode startStrictFake}. */
export interface StrictFakeOptions {
  /** The registered redirect URI (exact string match). Default `http://localhost:17563`. */
  redirectUri?: string;
  /** The user every user token belongs to. Default `141981764`. */
  userId?: string;
  /** That user's login. Default `twitchdev`. */
  login?: string;
  /**
   * `interval` (whole seconds) announced by `POST /oauth2/device` and enforced
   * between device-code polls. Default 5, as Twitch; tests usually pass 1.
   */
  deviceInterval?: number;
}

/** A running strict fake. `await using fake = await startStrictFake()`. */
export interface StrictFake extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/oauth2` */
  readonly authBaseUrl: string;
  /** `http://127.0.0.1:PORT/helix` */
  readonly helixBaseUrl: string;
  /** The app's client id (30 chars, `[a-z0-9]`). */
  readonly clientId: string;
  /** The app's client secret (30 chars, `[a-z0-9]`). */
  readonly clientSecret: string;
  /** The registered redirect URI. */
  readonly redirectUri: string;
  /** The user id every user token belongs to. */
  readonly userId: string;
  /** The login every user token belongs to. */
  readonly login: string;
  /** Every protocol violation seen so far; tests assert it is empty. */
  readonly violations: string[];
  /** A valid, single-use authorization code for {@linkcode redirectUri}. */
  mintCode(scopes: string[]): string;
  /** A valid user token pair (confidential client; `expiresIn` default 14400, `<= 0` = already expired). */
  mintUserToken(
    scopes: string[],
    expiresIn?: number,
  ): { accessToken: string; refreshToken: string };
  /** The last `/oauth2/authorize` URL received (valid or not). */
  authorizeUrlSeen?: URL;
  /** Stops the server; idempotent. */
  close(): Promise<void>;
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const MIXED_ALNUM =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const USER_TOKEN_TTL = 14_400;
const APP_TOKEN_TTL = 5_011_271;
const CODE_TTL_MS = 10 * 60_000;
const DEVICE_TTL = 1_800;
const FORM_TYPE = "application/x-www-form-urlencoded";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Every scope in twitch-oauth.md (current, chat/IRC, legacy, OIDC). */
const KNOWN_SCOPES: ReadonlySet<string> = new Set(
  (
    "analytics:read:extensions analytics:read:games bits:read channel:bot " +
    "channel:edit:commercial channel:manage:ads channel:manage:broadcast " +
    "channel:manage:extensions channel:manage:guest_star " +
    "channel:manage:moderators channel:manage:polls channel:manage:predictions " +
    "channel:manage:raids channel:manage:redemptions channel:manage:schedule " +
    "channel:manage:videos channel:manage:vips channel:moderate " +
    "channel:read:ads channel:read:charity channel:read:editors " +
    "channel:read:goals channel:read:guest_star channel:read:hype_train " +
    "channel:read:polls channel:read:predictions channel:read:redemptions " +
    "channel:read:stream_key channel:read:subscriptions channel:read:vips " +
    "clips:edit moderation:read moderator:manage:announcements " +
    "moderator:manage:automod moderator:manage:automod_settings " +
    "moderator:manage:banned_users moderator:manage:blocked_terms " +
    "moderator:manage:chat_messages moderator:manage:chat_settings " +
    "moderator:manage:guest_star moderator:manage:shield_mode " +
    "moderator:manage:shoutouts moderator:manage:unban_requests " +
    "moderator:manage:warnings moderator:read:automod_settings " +
    "moderator:read:banned_users moderator:read:blocked_terms " +
    "moderator:read:chat_messages moderator:read:chat_settings " +
    "moderator:read:chatters moderator:read:followers " +
    "moderator:read:guest_star moderator:read:moderators " +
    "moderator:read:shield_mode moderator:read:shoutouts " +
    "moderator:read:suspicious_users moderator:read:unban_requests " +
    "moderator:read:vips moderator:read:warnings user:bot user:edit " +
    "user:edit:broadcast user:edit:follows user:manage:blocked_users " +
    "user:manage:chat_color user:manage:whispers user:read:blocked_users " +
    "user:read:broadcast user:read:chat user:read:email user:read:emotes " +
    "user:read:follows user:read:moderated_channels user:read:subscriptions " +
    "user:read:whispers user:write:chat whispers:edit whispers:read " +
    "chat:edit chat:read channel_subscriptions openid"
  ).split(" "),
);

function randomString(length: number, alphabet: string): string {
  // Rejection sampling keeps the distribution uniform.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < limit) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Twitch's `{"status","message"}` error, or `{"error","status","message"}` when `error` is given. */
function twitchError(
  status: number,
  message: string,
  error?: string,
): Response {
  return json(
    status,
    error === undefined ? { status, message } : { error, status, message },
  );
}

/** Thrown inside a handler to answer `response` right away. */
class Answer {
  constructor(readonly response: Response) {}
}

interface UserGrant {
  kind: "user";
  clientId: string;
  scopes: string[];
  /** The chain was started with the client secret: refreshes must send it too. */
  confidential: boolean;
}

interface AccessRecord {
  kind: "user" | "app";
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

interface RefreshRecord {
  grant: UserGrant;
  state: "active" | "superseded" | "revoked";
  accessToken: string;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

interface DeviceRecord {
  clientId: string;
  userCode: string;
  scopes: string[];
  expiresAt: number;
  interval: number;
  lastPollAt?: number;
  polls: number;
  used: boolean;
}

/** Starts the strict fake on `127.0.0.1`, a free port. */
export function startStrictFake(
  options: StrictFakeOptions = {},
): Promise<StrictFake> {
  const redirectUri = options.redirectUri ?? "http://localhost:17563";
  const userId = options.userId ?? "141981764";
  const login = options.login ?? "twitchdev";
  const deviceInterval = options.deviceInterval ?? 5;
  if (!Number.isInteger(deviceInterval) || deviceInterval < 0) {
    return Promise.reject(
      new RangeError("deviceInterval must be a whole number of seconds"),
    );
  }
  const clientId = randomString(30, LOWER_ALNUM);
  const clientSecret = randomString(30, LOWER_ALNUM);
  const violations: string[] = [];

  const accessTokens = new Map<string, AccessRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const codes = new Map<string, CodeRecord>();
  const devices = new Map<string, DeviceRecord>();
  let jwks: Promise<unknown> | undefined;

  const now = () => Date.now();
  const unique = (length: number, taken: Map<string, unknown>): string => {
    for (;;) {
      const s = randomString(length, LOWER_ALNUM);
      if (!taken.has(s)) return s;
    }
  };

  function issueUserToken(grant: UserGrant, expiresIn = USER_TOKEN_TTL) {
    const accessToken = unique(30, accessTokens);
    const refreshToken = unique(50, refreshTokens);
    const t = now();
    accessTokens.set(accessToken, {
      kind: "user",
      clientId: grant.clientId,
      scopes: [...grant.scopes],
      issuedAt: t,
      expiresAt: t + expiresIn * 1000,
      revoked: false,
      refreshToken,
    });
    refreshTokens.set(refreshToken, { grant, state: "active", accessToken });
    return { accessToken, refreshToken, expiresIn };
  }

  function userTokenBody(grant: UserGrant): Response {
    const t = issueUserToken(grant);
    return json(200, {
      access_token: t.accessToken,
      expires_in: t.expiresIn,
      refresh_token: t.refreshToken,
      scope: [...grant.scopes],
      token_type: "bearer",
    });
  }

  /** The token response of a new sign-in by the fake's user to the app. */
  function signInTokenBody(
    scopes: UserGrant["scopes"],
    confidential: boolean,
  ): Response {
    return userTokenBody({ kind: "user", clientId, scopes, confidential });
  }

  function liveAccess(token: string): AccessRecord | undefined {
    const rec = accessTokens.get(token);
    if (!rec || rec.revoked || rec.expiresAt <= now()) return undefined;
    return rec;
  }

  // ---------------------------------------------------------------- helpers

  /** Records a violation. */
  function violate(where: string, what: string): void {
    violations.push(`${where}: ${what}`);
  }

  /** Records a violation and answers `response`. */
  function reject(where: string, what: string, response: Response): never {
    return rejectAll(where, [what], response);
  }

  /** Records several violations (in order) and answers `response`. */
  function rejectAll(
    where: string,
    what: string[],
    response: Response,
  ): never {
    for (const w of what) violate(where, w);
    throw new Answer(response);
  }

  function duplicateKeys(params: URLSearchParams): string[] {
    const seen = new Map<string, number>();
    for (const k of params.keys()) seen.set(k, (seen.get(k) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }

  /**
   * Reads a POST form body strictly: no query string, the form content type,
   * no JSON, no repeated fields, no Authorization header.
   */
  async function readForm(
    req: Request,
    url: URL,
    where: string,
  ): Promise<URLSearchParams> {
    const body = await req.text();
    const problems: string[] = [];
    if (url.search !== "") {
      const names = [...new Set(url.searchParams.keys())].join(", ");
      problems.push(
        `parameters in the query string of a POST (${
          names || url.search
        }): secrets must never be in a URL; send an ${FORM_TYPE} body`,
      );
    }
    const contentType = req.headers.get("content-type");
    const [mediaType, ...ctParams] = (contentType ?? "").split(";").map((s) =>
      s.trim().toLowerCase()
    );
    if (contentType === null) {
      problems.push(`no Content-Type (expected ${FORM_TYPE})`);
    } else if (mediaType !== FORM_TYPE) {
      problems.push(
        `Content-Type is "${contentType}", expected ${FORM_TYPE}`,
      );
    } else if (
      ctParams.some((p) => p !== "" && p.replace(/\s/g, "") !== "charset=utf-8")
    ) {
      problems.push(
        `Content-Type "${contentType}" has parameters other than charset=utf-8`,
      );
    }
    const trimmed = body.trimStart();
    if (
      mediaType === "application/json" || trimmed.startsWith("{") ||
      trimmed.startsWith("[")
    ) {
      problems.push("JSON body: Twitch's ID service takes a form body");
    }
    if (req.headers.has("authorization")) {
      problems.push(
        "Authorization header on a form endpoint: credentials go in the form body only",
      );
    }
    const params = new URLSearchParams(
      mediaType === FORM_TYPE && !trimmed.startsWith("{") ? body : "",
    );
    for (const k of duplicateKeys(params)) {
      problems.push(`field "${k}" sent more than once`);
    }
    if (problems.length > 0) {
      rejectAll(where, problems, twitchError(400, problems[0]));
    }
    return params;
  }

  /**
   * Checks the field set: every `required` present (non-empty unless listed in
   * `mayBeEmpty`), nothing outside `required` + `optional`.
   */
  function checkFields(
    where: string,
    params: URLSearchParams,
    required: string[],
    optional: string[] = [],
    mayBeEmpty: string[] = [],
  ): void {
    const problems: string[] = [];
    let first: Response | undefined;
    for (const f of required) {
      const v = params.get(f);
      if (v === null || (v === "" && !mayBeEmpty.includes(f))) {
        problems.push(`missing required field "${f}"`);
        first ??= twitchError(400, `missing ${f}`);
      }
    }
    for (const k of new Set(params.keys())) {
      if (!required.includes(k) && !optional.includes(k)) {
        problems.push(`unexpected field "${k}"`);
        first ??= twitchError(400, `unexpected parameter ${k}`);
      }
    }
    if (problems.length > 0) rejectAll(where, problems, first!);
  }

  /** Splits a space-separated scope string strictly; `field` names it in messages. */
  function parseScopeString(
    field: string,
    value: string,
  ): { scopes: string[]; problems: string[] } {
    const problems: string[] = [];
    if (value === "") return { scopes: [], problems };
    if (value.includes(",")) {
      problems.push(
        `"${field}" contains a comma ("${value}"): scopes are ONE space-separated string`,
      );
    }
    const parts = value.split(" ");
    if (parts.some((p) => p === "")) {
      problems.push(
        `"${field}" has empty items (leading, trailing or double space): "${value}"`,
      );
    }
    const scopes = [...new Set(parts.filter((p) => p !== ""))];
    // With commas the items are garbage anyway: one complaint is enough.
    const unknown = value.includes(",")
      ? []
      : scopes.filter((s) => !KNOWN_SCOPES.has(s));
    if (unknown.length > 0) {
      problems.push(
        `unknown scope(s) ${unknown.map((s) => `"${s}"`).join(", ")}`,
      );
    }
    return { scopes, problems };
  }

  function noQuery(where: string, url: URL, allowed: string[] = []): void {
    const extra = [...new Set(url.searchParams.keys())].filter((k) =>
      !allowed.includes(k)
    );
    if (extra.length > 0) {
      reject(
        where,
        `unexpected query parameter(s) ${extra.join(", ")}${
          allowed.length
            ? ""
            : " (this endpoint takes none; never put tokens in a URL)"
        }`,
        twitchError(400, `unexpected parameter ${extra[0]}`),
      );
    }
  }

  // ---------------------------------------------------------------- /authorize

  /**
   * The problem with `name` in the authorize query when it is not `expected`:
   * `missing` when absent, `wrong(value)` when different; null when right.
   */
  function wrongParam(
    q: URLSearchParams,
    name: string,
    expected: string,
    error: string,
    wrong: (got: string) => string,
    missing = `missing ${name}`,
  ): { error: string; text: string } | null {
    const got = q.get(name);
    if (got === expected) return null;
    return { error, text: got === null ? missing : wrong(got) };
  }

  function authorize(url: URL): Response {
    const where = "GET /oauth2/authorize";
    fake.authorizeUrlSeen = new URL(url.href);
    const q = url.searchParams;
    const problems: { error: string; text: string }[] = [];
    const allowed = [
      "response_type",
      "client_id",
      "redirect_uri",
      "scope",
      "state",
      "force_verify",
      "claims",
      "nonce",
    ];
    for (const k of duplicateKeys(q)) {
      problems.push({
        error: k === "scope" ? "invalid_scope" : "invalid_request",
        text: k === "scope"
          ? `"scope" given ${
            q.getAll(k).length
          } times: send ONE space-separated scope parameter`
          : `parameter "${k}" given ${q.getAll(k).length} times`,
      });
    }
    for (const k of new Set(q.keys())) {
      if (!allowed.includes(k)) {
        problems.push({
          error: "invalid_request",
          text: k === "client_secret"
            ? `client_secret in the authorize URL: the secret never goes to the browser`
            : `unexpected parameter "${k}"`,
        });
      }
    }
    const wrongClient = wrongParam(
      q,
      "client_id",
      clientId,
      "invalid_client",
      (got) => `unknown client_id "${got}"`,
    );
    const wrongRedirect = wrongParam(
      q,
      "redirect_uri",
      redirectUri,
      "redirect_mismatch",
      (got) =>
        `redirect_uri "${got}" is not exactly the registered "${redirectUri}"`,
    );
    const wrongType = wrongParam(
      q,
      "response_type",
      "code",
      "unsupported_response_type",
      (got) =>
        `response_type "${got}": only the authorization code flow (code) is allowed`,
      "missing response_type (must be code)",
    );
    const canRedirect = !wrongClient && !wrongRedirect;
    for (const problem of [wrongClient, wrongRedirect, wrongType]) {
      if (problem) problems.push(problem);
    }
    const rawScope = q.get("scope");
    let scopes: string[] = [];
    if (rawScope === null) {
      problems.push({ error: "invalid_scope", text: "missing scope" });
    } else {
      const parsed = parseScopeString("scope", rawScope);
      scopes = parsed.scopes;
      for (const p of parsed.problems) {
        problems.push({ error: "invalid_scope", text: p });
      }
    }
    const state = q.get("state");
    if (state === null || state.length < 16) {
      problems.push({
        error: "invalid_request",
        text: state === null
          ? "missing state (CSRF protection)"
          : `state is ${state.length} chars; use at least 16 unguessable chars`,
      });
    }
    const forceVerify = q.get("force_verify");
    if (
      forceVerify !== null && forceVerify !== "true" && forceVerify !== "false"
    ) {
      problems.push({
        error: "invalid_request",
        text: `force_verify "${forceVerify}" must be "true" or "false"`,
      });
    }

    if (problems.length > 0) {
      for (const p of problems) violate(where, p.text);
      if (!canRedirect) {
        const first = problems.find((p) =>
          p.error === "redirect_mismatch" || p.error === "invalid_client"
        )!;
        return new Response(
          `<!doctype html><title>Error</title><h1>${first.error}</h1>`,
          {
            status: 400,
            headers: { "content-type": "text/html; charset=utf-8" },
          },
        );
      }
      const back = new URLSearchParams({
        error: problems[0].error,
        error_description: problems[0].text,
      });
      if (state !== null) back.set("state", state);
      return redirect(`${redirectUri}${sep(redirectUri)}${back}`);
    }

    const code = fake.mintCode(scopes);
    return redirect(
      `${redirectUri}${sep(redirectUri)}code=${code}&scope=${
        encodeURIComponent(scopes.join(" "))
      }&state=${encodeURIComponent(state!)}`,
    );
  }

  function sep(uri: string): string {
    return uri.includes("?") ? "&" : "?";
  }

  function redirect(location: string): Response {
    return new Response(null, { status: 302, headers: { location } });
  }

  // ---------------------------------------------------------------- /token

  async function token(req: Request, url: URL): Promise<Response> {
    const where = "POST /oauth2/token";
    const params = await readForm(req, url, where);
    const grantType = params.get("grant_type");
    const w = `${where} (${grantType ?? "no grant_type"})`;
    switch (grantType) {
      case "authorization_code":
        return codeGrant(w, params);
      case "refresh_token":
        return refreshGrant(w, params);
      case "client_credentials":
        return clientCredentialsGrant(w, params);
      case DEVICE_GRANT:
        return deviceGrant(w, params);
      case null:
      case "":
        return reject(
          w,
          `missing required field "grant_type"`,
          twitchError(400, "missing grant_type"),
        );
      default:
        return reject(
          w,
          `unsupported grant_type "${grantType}"`,
          twitchError(400, "unsupported grant_type"),
        );
    }
  }

  function checkClient(params: URLSearchParams): void {
    if (params.get("client_id") !== clientId) {
      throw new Answer(twitchError(400, "invalid client"));
    }
  }

  /** Checks a given secret (403 on mismatch); a missing one is a violation when `required`. */
  function checkSecret(
    where: string,
    params: URLSearchParams,
    required: boolean,
  ): boolean {
    const secret = params.get("client_secret");
    if (secret === null || secret === "") {
      if (required) {
        reject(
          where,
          `missing required field "client_secret"`,
          twitchError(400, "missing client secret"),
        );
      }
      return false;
    }
    if (secret !== clientSecret) {
      throw new Answer(twitchError(403, "invalid client secret"));
    }
    return true;
  }

  function codeGrant(where: string, params: URLSearchParams): Response {
    checkFields(where, params, [
      "client_id",
      "client_secret",
      "code",
      "grant_type",
      "redirect_uri",
    ]);
    checkClient(params);
    checkSecret(where, params, true);
    const code = params.get("code")!;
    const rec = codes.get(code);
    if (!rec || rec.clientId !== clientId || rec.expiresAt <= now()) {
      return twitchError(400, "Invalid authorization code");
    }
    if (rec.used) {
      reject(
        where,
        "authorization code reused: codes are single-use",
        twitchError(400, "Invalid authorization code"),
      );
    }
    const gotRedirect = params.get("redirect_uri");
    if (gotRedirect !== rec.redirectUri) {
      reject(
        where,
        `redirect_uri "${gotRedirect}" differs from the one the code was issued for ("${rec.redirectUri}")`,
        twitchError(
          400,
          "Parameter redirect_uri does not match registered URI",
        ),
      );
    }
    rec.used = true;
    return signInTokenBody(rec.scopes, true);
  }

  function refreshGrant(where: string, params: URLSearchParams): Response {
    checkFields(
      where,
      params,
      ["grant_type", "refresh_token", "client_id"],
      ["client_secret"],
    );
    checkClient(params);
    const rt = refreshTokens.get(params.get("refresh_token")!);
    const invalid = () =>
      twitchError(400, "Invalid refresh token", "Bad Request");
    if (!rt || rt.grant.clientId !== clientId) return invalid();
    checkSecret(where, params, rt.grant.confidential);
    if (rt.state === "superseded") {
      reject(
        where,
        "refresh token reused after it was rotated out: always store the refresh_token that comes back",
        invalid(),
      );
    }
    if (rt.state === "revoked") return invalid();
    rt.state = "superseded";
    return userTokenBody(rt.grant);
  }

  function clientCredentialsGrant(
    where: string,
    params: URLSearchParams,
  ): Response {
    checkFields(where, params, ["client_id", "client_secret", "grant_type"]);
    checkClient(params);
    checkSecret(where, params, true);
    const accessToken = unique(30, accessTokens);
    const t = now();
    accessTokens.set(accessToken, {
      kind: "app",
      clientId,
      scopes: [],
      issuedAt: t,
      expiresAt: t + APP_TOKEN_TTL * 1000,
      revoked: false,
    });
    return json(200, {
      access_token: accessToken,
      expires_in: APP_TOKEN_TTL,
      token_type: "bearer",
    });
  }

  function deviceGrant(where: string, params: URLSearchParams): Response {
    checkFields(
      where,
      params,
      ["client_id", "scopes", "device_code", "grant_type"],
      ["client_secret"],
      ["scopes"],
    );
    checkClient(params);
    const usedSecret = checkSecret(where, params, false);
    const invalid = () => twitchError(400, "invalid device code");
    const dev = devices.get(params.get("device_code")!);
    if (!dev || dev.clientId !== clientId) return invalid();
    if (dev.used) {
      reject(
        where,
        "device_code polled again after it was redeemed",
        invalid(),
      );
    }
    if (dev.expiresAt <= now()) return invalid();
    const { scopes, problems } = parseScopeString(
      "scopes",
      params.get("scopes")!,
    );
    if (problems.length > 0) {
      rejectAll(where, problems, twitchError(400, "invalid scope requested"));
    }
    const same = scopes.length === dev.scopes.length &&
      scopes.every((s) => dev.scopes.includes(s));
    if (!same) {
      reject(
        where,
        `scopes "${scopes.join(" ")}" differ from the device start's "${
          dev.scopes.join(" ")
        }"`,
        twitchError(400, "invalid scope requested"),
      );
    }
    const t = now();
    const last = dev.lastPollAt;
    dev.lastPollAt = t;
    // 50 ms of slack for timer jitter.
    if (last !== undefined && t - last < dev.interval * 1000 - 50) {
      const waited = t - last;
      dev.interval += 5; // RFC 8628 3.5: slow_down adds 5 s for good.
      reject(
        where,
        `polled ${waited} ms after the previous poll; interval is ${
          dev.interval - 5
        } s (now ${dev.interval} s after slow_down)`,
        twitchError(400, "slow_down"),
      );
    }
    dev.polls++;
    if (dev.polls === 1) {
      // The first poll always finds the user still on the activation page.
      return twitchError(400, "authorization_pending");
    }
    dev.used = true;
    return signInTokenBody(dev.scopes, usedSecret);
  }

  // ---------------------------------------------------------------- /device

  async function device(req: Request, url: URL): Promise<Response> {
    const where = "POST /oauth2/device";
    const params = await readForm(req, url, where);
    checkFields(where, params, ["client_id", "scopes"], [], ["scopes"]);
    checkClient(params);
    const { scopes, problems } = parseScopeString(
      "scopes",
      params.get("scopes")!,
    );
    if (problems.length > 0) {
      rejectAll(where, problems, twitchError(400, "invalid scope requested"));
    }
    let deviceCode: string;
    do deviceCode = randomString(40, MIXED_ALNUM); while (
      devices.has(deviceCode)
    );
    const userCode = randomString(8, UPPER);
    devices.set(deviceCode, {
      clientId,
      userCode,
      scopes,
      expiresAt: now() + DEVICE_TTL * 1000,
      interval: deviceInterval,
      polls: 0,
      used: false,
    });
    return json(200, {
      device_code: deviceCode,
      expires_in: DEVICE_TTL,
      interval: deviceInterval,
      user_code: userCode,
      verification_uri:
        `https://www.twitch.tv/activate?public=true&device-code=${userCode}`,
    });
  }

  // ---------------------------------------------------------------- /validate

  function validate(req: Request, url: URL): Response {
    const where = "GET /oauth2/validate";
    noQuery(where, url);
    const invalid = () => twitchError(401, "invalid access token");
    const token = credential(
      req,
      where,
      "OAuth",
      twitchError(401, "missing authorization token"),
      invalid(),
    );
    const rec = liveAccess(token);
    if (!rec) return invalid();
    const expiresIn = Math.max(0, Math.ceil((rec.expiresAt - now()) / 1000));
    return json(
      200,
      rec.kind === "user"
        ? {
          client_id: rec.clientId,
          login,
          scopes: [...rec.scopes],
          user_id: userId,
          expires_in: expiresIn,
        }
        : { client_id: rec.clientId, scopes: [], expires_in: expiresIn },
    );
  }

  function scheme(auth: string): string {
    return auth.split(" ")[0] || "(empty)";
  }

  /** Reads `Authorization: Bearer <token>` exactly. */
  function bearer(
    req: Request,
    where: string,
    missing: Response,
    malformed: Response,
  ): string {
    return credential(req, where, "Bearer", missing, malformed);
  }

  /**
   * Reads `Authorization: <kind> <token>` exactly (Twitch wants "OAuth" on
   * /validate and "Bearer" everywhere else); rejects with `missing` or
   * `malformed` otherwise.
   */
  function credential(
    req: Request,
    where: string,
    kind: "OAuth" | "Bearer",
    missing: Response,
    malformed: Response,
  ): string {
    const auth = req.headers.get("authorization");
    if (auth === null) {
      reject(
        where,
        `no Authorization header (expected "${kind} <token>")`,
        missing,
      );
    }
    const m = new RegExp(`^${kind} ([^\\s]+)$`).exec(auth);
    if (!m) {
      reject(
        where,
        `Authorization is "${
          scheme(auth)
        } …", expected exactly "${kind} <token>"`,
        malformed,
      );
    }
    return m[1];
  }

  // ---------------------------------------------------------------- /revoke

  async function revoke(req: Request, url: URL): Promise<Response> {
    const where = "POST /oauth2/revoke";
    const params = await readForm(req, url, where);
    checkFields(where, params, ["client_id", "token"]);
    if (params.get("client_id") !== clientId) {
      return twitchError(404, "client does not exist");
    }
    const tok = params.get("token")!;
    const rec = accessTokens.get(tok);
    if (!rec || rec.revoked || rec.clientId !== clientId) {
      return twitchError(400, "Invalid token");
    }
    rec.revoked = true;
    if (rec.refreshToken) {
      const rt = refreshTokens.get(rec.refreshToken);
      if (rt && rt.state === "active") rt.state = "revoked";
    }
    return new Response(null, { status: 200 });
  }

  // ---------------------------------------------------------------- /userinfo

  function userinfo(req: Request, url: URL): Response {
    const where = "GET /oauth2/userinfo";
    noQuery(where, url);
    const unauthorized = (message: string) =>
      twitchError(401, message, "Unauthorized");
    const tok = bearer(
      req,
      where,
      unauthorized("missing authorization token"),
      unauthorized("invalid access token"),
    );
    const rec = liveAccess(tok);
    if (!rec || rec.kind !== "user") {
      return unauthorized("invalid access token");
    }
    if (!rec.scopes.includes("openid")) {
      return unauthorized("missing required scope openid");
    }
    const claims: Record<string, unknown> = {
      aud: rec.clientId,
      exp: Math.floor(rec.expiresAt / 1000),
      iat: Math.floor(rec.issuedAt / 1000),
      iss: fake.authBaseUrl,
      sub: userId,
      preferred_username: login,
    };
    if (rec.scopes.includes("user:read:email")) {
      claims.email = `${login}@example.com`;
      claims.email_verified = true;
    }
    return json(200, claims);
  }

  // ---------------------------------------------------------------- discovery

  function discovery(url: URL): Response {
    noQuery("GET /oauth2/.well-known/openid-configuration", url);
    const base = fake.authBaseUrl;
    return json(200, {
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`,
      jwks_uri: `${base}/keys`,
      response_types_supported: [
        "id_token",
        "code",
        "token",
        "code id_token",
        "token id_token",
      ],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
      token_endpoint_auth_methods_supported: ["client_secret_post"],
      claims_supported: [
        "aud",
        "exp",
        "iat",
        "iss",
        "sub",
        "email",
        "email_verified",
        "preferred_username",
      ],
    });
  }

  async function keys(url: URL): Promise<Response> {
    noQuery("GET /oauth2/keys", url);
    jwks ??= (async () => {
      const pair = await crypto.subtle.generateKey(
        {
          name: "RSASSA-PKCS1-v1_5",
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256",
        },
        true,
        ["sign", "verify"],
      );
      const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
      return {
        keys: [{
          alg: "RS256",
          e: jwk.e,
          kid: "1",
          kty: "RSA",
          n: jwk.n,
          use: "sig",
        }],
      };
    })();
    return json(200, await jwks);
  }

  // ---------------------------------------------------------------- helix

  function helixUsers(req: Request, url: URL): Response {
    const where = "GET /helix/users";
    const unauthorized = (message: string) =>
      twitchError(401, message, "Unauthorized");
    const cid = req.headers.get("client-id");
    if (cid === null || cid === "") {
      reject(
        where,
        "no Client-Id header (Helix wants Client-Id: <app id>)",
        unauthorized("Client ID is missing"),
      );
    }
    const tok = bearer(
      req,
      where,
      unauthorized("OAuth token is missing"),
      unauthorized("Invalid OAuth token"),
    );
    noQuery(where, url, ["id", "login"]);
    const rec = liveAccess(tok);
    if (!rec) return unauthorized("Invalid OAuth token");
    if (cid !== rec.clientId) {
      return unauthorized("Client ID and OAuth token do not match");
    }
    const ids = url.searchParams.getAll("id");
    const logins = url.searchParams.getAll("login");
    if (ids.length + logins.length > 100) {
      return twitchError(
        400,
        "The sum of the id and login parameters must not exceed 100",
        "Bad Request",
      );
    }
    let match: boolean;
    if (ids.length + logins.length === 0) {
      if (rec.kind !== "user") {
        return twitchError(
          400,
          "Must provide an ID, Login or OAuth Token",
          "Bad Request",
        );
      }
      match = true;
    } else {
      match = ids.includes(userId) ||
        logins.some((l) => l.toLowerCase() === login.toLowerCase());
    }
    const data = match
      ? [{
        id: userId,
        login,
        display_name: login,
        type: "",
        broadcaster_type: "",
        description: "",
        profile_image_url: "",
        offline_image_url: "",
        view_count: 0,
        ...(rec.kind === "user" && rec.scopes.includes("user:read:email")
          ? { email: `${login}@example.com` }
          : {}),
        created_at: "2016-12-14T20:32:28Z",
      }]
      : [];
    return json(200, { data }, {
      "ratelimit-limit": "800",
      "ratelimit-remaining": "799",
      "ratelimit-reset": String(Math.floor(now() / 1000) + 60),
    });
  }

  // ---------------------------------------------------------------- routing

  type Handler = (req: Request, url: URL) => Response | Promise<Response>;
  const routes: Record<string, { method: string; handle: Handler }> = {
    "/oauth2/authorize": { method: "GET", handle: (_r, u) => authorize(u) },
    "/oauth2/token": { method: "POST", handle: token },
    "/oauth2/device": { method: "POST", handle: device },
    "/oauth2/validate": { method: "GET", handle: validate },
    "/oauth2/revoke": { method: "POST", handle: revoke },
    "/oauth2/userinfo": { method: "GET", handle: userinfo },
    "/oauth2/.well-known/openid-configuration": {
      method: "GET",
      handle: (_r, u) => discovery(u),
    },
    "/oauth2/keys": { method: "GET", handle: (_r, u) => keys(u) },
    "/helix/users": { method: "GET", handle: helixUsers },
  };

  async function handler(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const where = `${req.method} ${url.pathname}`;
    try {
      // A browser's automatic favicon request is nobody's protocol mistake.
      if (url.pathname === "/favicon.ico") {
        return new Response(null, { status: 404 });
      }
      const route = routes[url.pathname];
      if (!route) {
        const helix = url.pathname.startsWith("/helix/");
        reject(
          where,
          "path not in the Twitch endpoint table",
          helix
            ? twitchError(404, "Not Found", "Not Found")
            : twitchError(404, "Not Found"),
        );
      }
      if (req.method !== route.method) {
        reject(
          where,
          `method ${req.method} not allowed (expected ${route.method})`,
          new Response(
            JSON.stringify({ status: 405, message: "Method Not Allowed" }),
            {
              status: 405,
              headers: {
                "content-type": "application/json",
                allow: route.method,
              },
            },
          ),
        );
      }
      return await route.handle(req, url);
    } catch (e) {
      if (e instanceof Answer) return e.response;
      violate(where, `strict fake crashed: ${e}`);
      return twitchError(500, "Internal Server Error");
    }
  }

  // ---------------------------------------------------------------- server

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    handler,
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  let closing: Promise<void> | undefined;

  const fake: StrictFake = {
    authBaseUrl: `${origin}/oauth2`,
    helixBaseUrl: `${origin}/helix`,
    clientId,
    clientSecret,
    redirectUri,
    userId,
    login,
    violations,
    authorizeUrlSeen: undefined,
    mintCode(scopes: string[]): string {
      const code = unique(30, codes);
      codes.set(code, {
        clientId,
        redirectUri,
        scopes: [...new Set(scopes)],
        expiresAt: now() + CODE_TTL_MS,
        used: false,
      });
      return code;
    },
    mintUserToken(
      scopes: string[],
      expiresIn: number = USER_TOKEN_TTL,
    ): { accessToken: string; refreshToken: string } {
      const t = issueUserToken(
        {
          kind: "user",
          clientId,
          scopes: [...new Set(scopes)],
          confidential: true,
        },
        expiresIn,
      );
      return { accessToken: t.accessToken, refreshToken: t.refreshToken };
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await server.shutdown();
        await server.finished;
      })();
      return closing;
    },
    [Symbol.asyncDispose](): Promise<void> {
      return fake.close();
    },
  };
  return Promise.resolve(fake);
}
