/**
 * The errors this module throws. Every one extends {@linkcode TwitchAuthError},
 * so one `instanceof` check catches them all, and each message says what to
 * do next. No message ever holds a secret, a token or a code in full.
 *
 * @module
 */

import { cleanText } from "./_clean_text.ts";

/**
 * The base class of every error this module throws.
 *
 * @example Catch any error of this module
 * ```ts
 * import { TwitchAuthError, validateToken } from "@x/twitch-auth";
 *
 * try {
 *   await validateToken("some-token", { timeout: 1 });
 * } catch (error) {
 *   if (error instanceof TwitchAuthError) console.error(error.message);
 * }
 * ```
 */
export class TwitchAuthError extends Error {
  /**
   * Creates the error.
   *
   * @param message What went wrong and what to do about it.
   * @param options The standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Twitch answered with an error status. `status` is the HTTP status and
 * `twitchMessage` the `message` field of Twitch's JSON body, when it had one.
 *
 * @example Read the status of a failed call
 * ```ts
 * import { TwitchApiError } from "@x/twitch-auth";
 *
 * const error = new TwitchApiError("Twitch said no", 400, "Invalid token");
 * console.log(error.status, error.twitchMessage);
 * ```
 */
export class TwitchApiError extends TwitchAuthError {
  /** The HTTP status Twitch answered with. */
  readonly status: number;
  /** The `message` of Twitch's error body, or `""` when it had none. */
  readonly twitchMessage: string;

  /**
   * Creates the error.
   *
   * @param message What went wrong and what to do about it.
   * @param status The HTTP status Twitch answered with.
   * @param twitchMessage The `message` of Twitch's error body.
   * @param options The standard error options (`cause`).
   */
  constructor(
    message: string,
    status: number,
    twitchMessage = "",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = status;
    this.twitchMessage = twitchMessage;
  }
}

/**
 * Twitch refused a refresh token: it was revoked, already used (public
 * clients' refresh tokens are single-use), expired after 30 days unused, or
 * belongs to another app. Only a new sign-in gives a new one.
 *
 * @example Ask the user to sign in again
 * ```ts
 * import { InvalidRefreshTokenError } from "@x/twitch-auth";
 *
 * const error: Error = new InvalidRefreshTokenError();
 * if (error instanceof InvalidRefreshTokenError) console.log("sign in again");
 * ```
 */
export class InvalidRefreshTokenError extends TwitchApiError {
  /**
   * Creates the error.
   *
   * @param twitchMessage The `message` of Twitch's error body.
   */
  constructor(twitchMessage = "Invalid refresh token") {
    super(
      "Twitch refused the refresh token (revoked, already used or expired): sign in again to get a new one",
      400,
      twitchMessage,
    );
  }
}

/**
 * Twitch refused an access token: it expired, was revoked, or was never
 * valid. Refresh it, or sign in again.
 *
 * @example Tell an invalid token apart
 * ```ts
 * import { InvalidTokenError } from "@x/twitch-auth";
 *
 * const error: Error = new InvalidTokenError();
 * console.log(error instanceof InvalidTokenError);
 * ```
 */
export class InvalidTokenError extends TwitchApiError {
  /**
   * Creates the error.
   *
   * @param message What went wrong and what to do about it.
   * @param twitchMessage The `message` of Twitch's error body.
   */
  constructor(
    message =
      "Twitch refused the access token (expired, revoked or invalid): refresh it or sign in again",
    twitchMessage = "invalid access token",
  ) {
    super(message, 401, twitchMessage);
  }
}

/**
 * Twitch does not accept the app's credentials: the client id is unknown or
 * the client secret is wrong. Copy both again from the Twitch developer
 * console (https://dev.twitch.tv/console/apps).
 *
 * @example Check the app's credentials
 * ```ts
 * import { InvalidClientError } from "@x/twitch-auth";
 *
 * const error = new InvalidClientError(403, "invalid client secret");
 * console.log(error.message);
 * ```
 */
export class InvalidClientError extends TwitchApiError {
  /**
   * Creates the error.
   *
   * @param status The HTTP status Twitch answered with.
   * @param twitchMessage The `message` of Twitch's error body.
   */
  constructor(status: number, twitchMessage: string) {
    super(
      `Twitch rejected the app credentials (${twitchMessage}): check the client id and client secret in the Twitch developer console`,
      status,
      twitchMessage,
    );
  }
}

/**
 * Refreshing the token needs the app's client secret, and none was given.
 * A token from the authorization code flow (browser sign-in,
 * `grantType: "authorization_code"`) was made for a confidential client,
 * and Twitch refreshes a confidential client's tokens only with its secret.
 * `fromTwitch` is `false` when this was found before asking Twitch (when
 * the token was added, validated at start, or before a refresh), `true`
 * when Twitch answered `400 missing client secret` (a token that does not
 * record its grant, or a confidential client's device-flow token). Not a
 * failure that may pass: nothing is tried again; give the secret (the CLI
 * and the examples read `TWITCH_CLIENT_SECRET`; the library takes
 * `clientSecret`) and start again.
 *
 * @example Tell the operator which secret is missing
 * ```ts
 * import { MissingClientSecretError } from "@x/twitch-auth";
 *
 * const error: Error = new MissingClientSecretError("my_app_id", false);
 * if (error instanceof MissingClientSecretError) console.error(error.message);
 * ```
 */
export class MissingClientSecretError extends TwitchAuthError {
  /** The app whose secret is missing, when known. */
  readonly clientId: string | undefined;
  /** Whether Twitch answered `missing client secret` (else: found before any request). */
  readonly fromTwitch: boolean;

  /**
   * Creates the error.
   *
   * @param clientId The app whose secret is missing, when known.
   * @param fromTwitch Whether Twitch said so (else: found before asking).
   * @param options The standard error options (`cause`).
   */
  constructor(
    clientId: string | undefined,
    fromTwitch: boolean,
    options?: ErrorOptions,
  ) {
    const app = clientId ? `app ${clientId}` : "the app";
    super(
      `${
        fromTwitch
          ? "Twitch refused to refresh the token without the client secret (HTTP 400: missing client secret)"
          : "The token comes from the authorization code flow (a browser sign-in), which only a confidential client can make, so refreshing it needs the client secret, and none was given"
      }: ${app} is a confidential client. Give its client secret (Twitch developer console, https://dev.twitch.tv/console/apps): set TWITCH_CLIENT_SECRET for the command line and the examples, or pass clientSecret in code (new Twitch(clientId, clientSecret), new TokenProvider({ clientId, clientSecret })). Without a secret, sign in with the device flow of a public client (twitch-auth device).`,
      options,
    );
    this.clientId = clientId;
    this.fromTwitch = fromTwitch;
  }
}

/**
 * Twitch rate-limited the request (HTTP 429) for longer than this module
 * waits by itself. `retryAfter` says how many milliseconds to wait.
 *
 * @example Wait as long as Twitch asks
 * ```ts
 * import { RateLimitError } from "@x/twitch-auth";
 *
 * const error = new RateLimitError(30_000);
 * console.log(`retry in ${error.retryAfter} ms`);
 * ```
 */
export class RateLimitError extends TwitchApiError {
  /** How long to wait before trying again, in milliseconds. */
  readonly retryAfter: number;

  /**
   * Creates the error.
   *
   * @param retryAfter How long to wait, in milliseconds.
   */
  constructor(retryAfter: number) {
    super(
      `Twitch rate-limited this request: try again in ${
        Math.ceil(retryAfter / 1000)
      } s`,
      429,
      "Too Many Requests",
    );
    this.retryAfter = retryAfter;
  }
}

/**
 * A scope name is not one Twitch knows. `unknown` names the bad ones and
 * `suggestions` the closest valid scopes.
 *
 * @example Show the closest scopes
 * ```ts
 * import { parseScopes, UnknownScopeError } from "@x/twitch-auth";
 *
 * try {
 *   parseScopes("bits:reed");
 * } catch (error) {
 *   if (error instanceof UnknownScopeError) console.log(error.suggestions);
 * }
 * ```
 */
export class UnknownScopeError extends TwitchAuthError {
  /** The scope names that are not Twitch scopes. */
  readonly unknown: readonly string[];
  /** The valid scopes closest to the unknown ones. */
  readonly suggestions: readonly string[];

  /**
   * Creates the error.
   *
   * @param unknown The scope names that are not Twitch scopes.
   * @param suggestions The valid scopes closest to them.
   */
  constructor(unknown: readonly string[], suggestions: readonly string[]) {
    const hint = suggestions.length > 0
      ? ` (did you mean ${suggestions.join(", ")}?)`
      : "";
    super(
      `Unknown Twitch scope${unknown.length === 1 ? "" : "s"}: ${
        unknown.join(", ")
      }${hint}; run \`twitch-auth scopes\` for the full list`,
    );
    this.unknown = unknown;
    this.suggestions = suggestions;
  }
}

/**
 * Twitch could not be reached (DNS, connection refused, TLS, connection
 * reset). Check the network and the `authBaseUrl`, then try again.
 *
 * @example Tell a network failure apart
 * ```ts
 * import { NetworkError } from "@x/twitch-auth";
 *
 * const error = new NetworkError("https://id.twitch.tv/oauth2/token");
 * console.log(error.message);
 * ```
 */
export class NetworkError extends TwitchAuthError {
  /**
   * Creates the error.
   *
   * @param url The address that could not be reached (never with a query).
   * @param options The standard error options (`cause`).
   */
  constructor(url: string, options?: ErrorOptions) {
    super(
      `Could not reach ${url}: check the network connection and try again`,
      options,
    );
  }
}

/**
 * Twitch answered with something that is not the JSON it documents (a proxy
 * page, a truncated body). Try again later.
 *
 * @example Tell a malformed answer apart
 * ```ts
 * import { InvalidResponseError } from "@x/twitch-auth";
 *
 * const error = new InvalidResponseError("/token", 200);
 * console.log(error.status);
 * ```
 */
export class InvalidResponseError extends TwitchAuthError {
  /** The HTTP status of the malformed answer. */
  readonly status: number;

  /**
   * Creates the error.
   *
   * @param endpoint The endpoint that answered.
   * @param status The HTTP status of the answer.
   * @param options The standard error options (`cause`).
   */
  constructor(endpoint: string, status: number, options?: ErrorOptions) {
    super(
      `Twitch's ${endpoint} answered (HTTP ${status}) with a body that is not the documented JSON: try again later`,
      options,
    );
    this.status = status;
  }
}

/**
 * An operation ran longer than its `timeout`.
 *
 * @example Give up after five seconds
 * ```ts
 * import { TimeoutError, validateToken } from "@x/twitch-auth";
 *
 * try {
 *   await validateToken("some-token", { timeout: 5_000 });
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.error(error.message);
 * }
 * ```
 */
export class TimeoutError extends TwitchAuthError {
  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;

  /**
   * Creates the error.
   *
   * @param what What timed out, such as `"the sign-in"`.
   * @param timeout The timeout that ran out, in milliseconds.
   * @param hint What to do, when there is more to say than "try again".
   */
  constructor(what: string, timeout: number, hint?: string) {
    super(
      `${what} timed out after ${timeout} ms: ${
        hint ?? "try again, or allow more time with the timeout option"
      }`,
    );
    this.timeout = timeout;
  }
}

/**
 * An operation was cancelled through its `signal` or a `stop()` call. The
 * abort reason, if any, is the `cause`.
 *
 * @example Cancel a call
 * ```ts
 * import { CancelledError, validateToken } from "@x/twitch-auth";
 *
 * const controller = new AbortController();
 * controller.abort();
 * try {
 *   await validateToken("some-token", { signal: controller.signal });
 * } catch (error) {
 *   console.log(error instanceof CancelledError);
 * }
 * ```
 */
export class CancelledError extends TwitchAuthError {
  /**
   * Creates the error.
   *
   * @param what What was cancelled, such as `"the sign-in"`.
   * @param options The standard error options (`cause`: the abort reason).
   */
  constructor(what: string, options?: ErrorOptions) {
    super(`${what} was cancelled`, options);
  }
}

/**
 * The user clicked Cancel on Twitch's consent page (`error=access_denied`).
 *
 * @example Tell a denial apart
 * ```ts
 * import { AccessDeniedError } from "@x/twitch-auth";
 *
 * const error = new AccessDeniedError("The user denied you access");
 * console.log(error.description);
 * ```
 */
export class AccessDeniedError extends TwitchAuthError {
  /** Twitch's `error_description`. */
  readonly description: string;

  /**
   * Creates the error.
   *
   * @param description Twitch's `error_description` (control and
   * bidirectional characters are dropped, and it is cut to 300 characters).
   */
  constructor(description: string) {
    description = cleanText(description);
    super(
      `The authorization was denied on Twitch (${description}): run the sign-in again and click Authorize`,
    );
    this.description = description;
  }
}

/**
 * Twitch sent the browser back with an `error` other than a denial, such as
 * `invalid_scope` or `redirect_mismatch`. `error` and `description` come
 * from the callback URL, cleaned: control and bidirectional characters are
 * dropped and each is cut to 300 characters.
 *
 * @example Read Twitch's error code
 * ```ts
 * import { AuthorizationError } from "@x/twitch-auth";
 *
 * const error = new AuthorizationError("invalid_scope", "bad scope");
 * console.log(error.error, error.description);
 * ```
 */
export class AuthorizationError extends TwitchAuthError {
  /** Twitch's `error` code. */
  readonly error: string;
  /** Twitch's `error_description`. */
  readonly description: string;

  /**
   * Creates the error.
   *
   * @param error Twitch's `error` code.
   * @param description Twitch's `error_description`.
   * @param message A message that says what to do, when known.
   */
  constructor(error: string, description: string, message?: string) {
    error = cleanText(error);
    description = cleanText(description);
    super(
      message ??
        `Twitch refused the authorization (${error}: ${description}): check the scopes and the app's settings in the Twitch developer console`,
    );
    this.error = error;
    this.description = description;
  }
}

/**
 * The callback server could not listen: the port is taken or not allowed.
 *
 * @example Pick another port
 * ```ts
 * import { PortInUseError } from "@x/twitch-auth";
 *
 * const error = new PortInUseError("127.0.0.1", 17563);
 * console.log(error.port);
 * ```
 */
export class PortInUseError extends TwitchAuthError {
  /** The port that was taken. */
  readonly port: number;

  /**
   * Creates the error.
   *
   * @param hostname The address the server tried to listen on.
   * @param port The port that was taken.
   * @param options The standard error options (`cause`).
   */
  constructor(hostname: string, port: number, options?: ErrorOptions) {
    super(
      `Port ${port} on ${hostname} is already in use (another sign-in running?): stop that program, or pick another port with the port option (--port) and register the matching redirect URL (http://localhost:PORT) in the Twitch developer console`,
      options,
    );
    this.port = port;
  }
}

/**
 * An argument or option is missing or malformed; the message names it.
 *
 * @example Tell a usage mistake apart
 * ```ts
 * import { InvalidArgumentError } from "@x/twitch-auth";
 *
 * const error = new InvalidArgumentError("appId must not be empty");
 * console.log(error.message);
 * ```
 */
export class InvalidArgumentError extends TwitchAuthError {}

/**
 * Twitch's endpoint answered a request that carries a secret (a client
 * secret, a refresh token, a code, a token to revoke) with a redirect. The
 * request is not sent on: a redirect would hand the secret to whatever
 * address it names. `location` is where it pointed (origin and path only).
 * Check `authBaseUrl`: Twitch's own endpoints do not redirect.
 *
 * @example Tell a refused redirect apart
 * ```ts
 * import { RedirectRefusedError } from "@x/twitch-auth";
 *
 * const error = new RedirectRefusedError("/oauth2/token", 307, "https://elsewhere.example/token");
 * console.log(error.status, error.location);
 * ```
 */
export class RedirectRefusedError extends TwitchAuthError {
  /** The redirect's HTTP status (0 when the runtime hides it). */
  readonly status: number;
  /** Where the redirect pointed (origin and path), or `""` when hidden. */
  readonly location: string;

  /**
   * Creates the error.
   *
   * @param endpoint The endpoint that redirected, such as `"/oauth2/token"`.
   * @param status The redirect's HTTP status.
   * @param location Where it pointed (origin and path), or `""`.
   */
  constructor(endpoint: string, status: number, location: string) {
    const to = cleanText(location);
    super(
      `${endpoint} answered with a redirect (HTTP ${status}${
        to ? ` to ${to}` : ""
      }) instead of an answer; the request carries a secret, so it was not sent on. Check authBaseUrl: Twitch's endpoints do not redirect`,
    );
    this.status = status;
    this.location = to;
  }
}
