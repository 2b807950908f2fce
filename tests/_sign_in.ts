// A browser sign-in against the mock Twitch, for the tests of the
// authenticator and its callback server: an app registered for a localhost
// redirect URL on a free port, and sign-ins that hand over their URL instead
// of opening a browser.

import {
  type AccessToken,
  type AuthenticateOptions,
  Twitch,
  UserAuthenticator,
  type UserAuthenticatorOptions,
} from "../mod.ts";
import {
  type ConsentMode,
  type MockTwitch,
  startMockTwitch,
} from "../testing.ts";
import { closedPort } from "./_util.ts";

/** The mock, the app on it, and where its callback is; disposing closes the mock. */
export interface SignInApp extends AsyncDisposable {
  mock: MockTwitch;
  twitch: Twitch;
  /** The callback server's port. */
  port: number;
  /** `http://localhost:PORT`, registered for the app. */
  redirect: string;
  /** An authenticator for the app on {@linkcode SignInApp.redirect}. */
  authenticator(
    scopes?: string[],
    options?: UserAuthenticatorOptions,
  ): UserAuthenticator;
}

/**
 * Starts the mock with one confidential app whose redirect URL is
 * `http://localhost:PORT`.
 */
export async function startSignInApp(
  consent: ConsentMode = "approve",
  port: number = closedPort(),
): Promise<SignInApp> {
  const redirect = `http://localhost:${port}`;
  const mock = await startMockTwitch({
    consent,
    clients: [{
      clientId: "app0client0id0000000000000000a",
      clientSecret: "app0client0secret00000000000a",
      redirectUris: [redirect],
    }],
  });
  const twitch = new Twitch(mock.clientId, mock.clientSecret, {
    authBaseUrl: mock.authBaseUrl,
    helixBaseUrl: mock.helixBaseUrl,
  });
  return {
    mock,
    twitch,
    port,
    redirect,
    authenticator: (scopes = ["chat:read"], options = {}) =>
      new UserAuthenticator(twitch, scopes, { url: redirect, ...options }),
    [Symbol.asyncDispose]: () => mock.close(),
  };
}

/** A running sign-in that handed its URL over instead of opening a browser. */
export interface HandedSignIn {
  /** The authorize URL, once the callback server listens. */
  url: Promise<string>;
  /** The sign-in itself. */
  flow: Promise<AccessToken>;
}

/** Starts `auth`'s sign-in without a browser; `options` add to the defaults. */
export function signInByHand(
  auth: UserAuthenticator,
  options: AuthenticateOptions = {},
): HandedSignIn {
  const url = Promise.withResolvers<string>();
  const flow = auth.authenticate({
    useBrowser: false,
    authUrlCallback: url.resolve,
    ...options,
  });
  return { url: url.promise, flow };
}
