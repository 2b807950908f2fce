// The app the runtime tests run inside workerd, Bun and Node: the login
// handler from web.ts, whose onSuccess then validates, refreshes and revokes
// the new token from inside the runtime and answers with what it saw.
// Bundled with `deno bundle --platform browser`; web-standard APIs only.

import {
  createTwitchLoginHandler,
  InvalidRefreshTokenError,
  refreshAccessToken,
  revokeToken,
  validateToken,
} from "../web.ts";

/** Where the app finds Twitch (the mock) and its credentials. */
export interface EdgeAppEnv {
  AUTH_BASE_URL: string;
  CLIENT_ID: string;
  CLIENT_SECRET: string;
  REDIRECT_URI: string;
  COOKIE_SECRET: string;
}

/** The app: the login handler, plus `/health` for the tests to wait on. */
export function edgeApp(
  env: EdgeAppEnv,
): (request: Request) => Promise<Response> {
  const options = { authBaseUrl: env.AUTH_BASE_URL };
  const login = createTwitchLoginHandler({
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    redirectUri: env.REDIRECT_URI,
    cookieSecret: env.COOKIE_SECRET,
    scopes: ["user:read:email"],
    authBaseUrl: env.AUTH_BASE_URL,
    async onSuccess({ token, user }) {
      const validated = await validateToken(token.accessToken, options);
      const refreshed = await refreshAccessToken(
        token.refreshToken!,
        env.CLIENT_ID,
        env.CLIENT_SECRET,
        options,
      );
      const revoked = await revokeToken(
        env.CLIENT_ID,
        refreshed.accessToken,
        options,
      );
      const afterRevoke = await validateToken(refreshed.accessToken, options);
      let reusedRefresh = "accepted";
      try {
        await refreshAccessToken(
          "x".repeat(50),
          env.CLIENT_ID,
          env.CLIENT_SECRET,
          options,
        );
      } catch (error) {
        reusedRefresh = error instanceof InvalidRefreshTokenError
          ? "InvalidRefreshTokenError"
          : String(error);
      }
      // A text body without a type of its own: the runtime's (text/plain)
      // must survive the handler's headers (Bun's re-wrapped copy lost it).
      return new Response(JSON.stringify({
        user: user.sub,
        name: user.preferred_username,
        email: user.email,
        hadIdToken: token.idToken !== undefined,
        validatedLogin: "login" in validated ? validated.login : null,
        refreshed: refreshed.accessToken !== token.accessToken,
        revoked,
        validAfterRevoke: !("status" in afterRevoke),
        badRefresh: reusedRefresh,
      }));
    },
    onError: (error) =>
      Response.json({ error: error.name, message: error.message }, {
        status: 400,
      }),
  });
  return (request) =>
    new URL(request.url).pathname === "/health"
      ? Promise.resolve(new Response("ok"))
      : login(request);
}
