// verifyIdToken against real key sets over loopback HTTP: the mock Twitch's,
// and a key set of our own (served by Deno.serve) to sign tokens that are
// wrong in exactly one way each.

import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import {
  buildAuthorizeUrl,
  exchangeCode,
  type IdTokenFailure,
  InvalidIdTokenError,
  NetworkError,
  TwitchApiError,
  verifyIdToken,
} from "../web.ts";
import { DEMO_USER, startMockTwitch } from "../testing.ts";

const CLIENT_ID = "my0client0id0000000000000000001";
const ISSUER = "https://id.twitch.tv/oauth2";

/** An RS256 key pair with its public JWK. */
async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    extractable: true,
  });
  const jwk: JWK = {
    ...await exportJWK(publicKey),
    kid,
    alg: "RS256",
    use: "sig",
  };
  return { privateKey, jwk };
}

/** A key set served on loopback at `{authBaseUrl}/keys`. */
function serveKeys(keys: () => JWK[], status = 200) {
  let fetches = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      if (new URL(request.url).pathname !== "/oauth2/keys") {
        return new Response("not found", { status: 404 });
      }
      fetches++;
      return Response.json({ keys: keys() }, { status });
    },
  );
  return {
    authBaseUrl: `http://127.0.0.1:${server.addr.port}/oauth2`,
    get fetches() {
      return fetches;
    },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}) {
  return {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: DEMO_USER.id,
    iat: now(),
    exp: now() + 3600,
    nonce: "the-nonce",
    preferred_username: "TwitchDev",
    ...overrides,
  };
}

async function sign(
  key: CryptoKey,
  kid: string,
  payload: Record<string, unknown>,
  alg = "RS256",
): Promise<string> {
  return await new SignJWT(payload).setProtectedHeader({ alg, kid, typ: "JWT" })
    .sign(key);
}

async function refused(
  token: Promise<string> | string,
  reason: IdTokenFailure,
  options: { authBaseUrl: string; nonce?: string; clientId?: string },
): Promise<void> {
  const error = await assertRejects(() =>
    Promise.resolve(token).then((t) =>
      verifyIdToken(t, { clientId: CLIENT_ID, ...options })
    )
  );
  assertInstanceOf(error, InvalidIdTokenError);
  assertEquals(error.reason, reason, error.message);
}

Deno.test("an ID token from the mock Twitch's sign-in verifies, with its nonce", async () => {
  await using mock = await startMockTwitch({ consent: "approve" });
  const redirectUri = "http://localhost:17563";
  const authorize = buildAuthorizeUrl({
    clientId: mock.clientId,
    redirectUri,
    scopes: ["openid"],
    state: "s",
    nonce: "n-123",
    authBaseUrl: mock.authBaseUrl,
  });
  const redirect = await fetch(authorize, { redirect: "manual" });
  await redirect.body?.cancel();
  const code = new URL(redirect.headers.get("Location")!).searchParams.get(
    "code",
  )!;
  const token = await exchangeCode(
    mock.clientId,
    mock.clientSecret,
    code,
    redirectUri,
    { authBaseUrl: mock.authBaseUrl },
  );
  const verified = await verifyIdToken(token.idToken!, {
    clientId: mock.clientId,
    nonce: "n-123",
    authBaseUrl: mock.authBaseUrl,
  });
  assertEquals(verified.sub, DEMO_USER.id);
  assertEquals(verified.nonce, "n-123");
  assertEquals(verified.iss, ISSUER);
  await refused(token.idToken!, "nonce", {
    authBaseUrl: mock.authBaseUrl,
    clientId: mock.clientId,
    nonce: "another",
  });
});

Deno.test("each wrong ID token is refused with its own reason", async () => {
  const good = await rsaKey("k1");
  const other = await rsaKey("k1"); // same kid, another key: a forged signature
  await using keys = serveKeys(() => [good.jwk]);
  const options = { authBaseUrl: keys.authBaseUrl, nonce: "the-nonce" };
  const ok = await verifyIdToken(
    await sign(good.privateKey, "k1", claims()),
    { clientId: CLIENT_ID, ...options },
  );
  assertEquals(ok.preferred_username, "TwitchDev");

  await refused(sign(other.privateKey, "k1", claims()), "signature", options);
  // One claim wrong at a time, each with its own reason.
  const wrong: [Record<string, unknown>, IdTokenFailure][] = [
    [{ aud: "another0app" }, "audience"],
    [{ exp: now() - 3600, iat: now() - 7200 }, "expired"],
    [{ nonce: "other" }, "nonce"],
    [{ nonce: undefined }, "nonce"],
    [{ iss: "https://evil.example" }, "issuer"],
    [{ iat: now() + 3600 }, "issued-at"],
    [{ iat: undefined }, "issued-at"],
    [{ sub: undefined }, "malformed"],
  ];
  for (const [overrides, reason] of wrong) {
    await refused(
      sign(good.privateKey, "k1", claims(overrides)),
      reason,
      options,
    );
  }
  await refused("not.a.jwt", "malformed", options);
  await refused("", "malformed", options);
  // An HMAC token "signed" with the public key: the classic algorithm confusion.
  const hmac = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(JSON.stringify(good.jwk)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  await refused(sign(hmac, "k1", claims(), "HS256"), "signature", options);
  // A token with a header but no signature at all.
  const unsigned = (await sign(good.privateKey, "k1", claims())).replace(
    /\.[^.]+$/,
    ".",
  );
  await refused(unsigned, "signature", options);
  assertEquals(keys.fetches, 1, "the key set was not cached");
});

Deno.test("without a nonce option any nonce passes; a token for another key id is refused", async () => {
  const key = await rsaKey("k1");
  await using keys = serveKeys(() => [key.jwk]);
  const token = await sign(key.privateKey, "k1", claims({ nonce: "whatever" }));
  const verified = await verifyIdToken(token, {
    clientId: CLIENT_ID,
    authBaseUrl: keys.authBaseUrl,
  });
  assertEquals(verified.nonce, "whatever");
  await refused(sign(key.privateKey, "k-unknown", claims()), "signature", {
    authBaseUrl: keys.authBaseUrl,
  });
});

Deno.test("the key set is fetched with the given fetch", async () => {
  const key = await rsaKey("k1");
  await using keys = serveKeys(() => [key.jwk]);
  const seen: string[] = [];
  const myFetch: typeof fetch = (input, init) => {
    seen.push(String(input));
    return fetch(input, init);
  };
  await verifyIdToken(await sign(key.privateKey, "k1", claims()), {
    clientId: CLIENT_ID,
    authBaseUrl: keys.authBaseUrl,
    fetch: myFetch,
  });
  assertEquals(seen, [`${keys.authBaseUrl}/keys`]);
});

Deno.test("a key set that cannot be fetched is a typed error, not a refusal of the token", async () => {
  const key = await rsaKey("k1");
  const token = await sign(key.privateKey, "k1", claims());
  {
    await using keys = serveKeys(() => [key.jwk], 503);
    const error = await assertRejects(() =>
      verifyIdToken(token, {
        clientId: CLIENT_ID,
        authBaseUrl: keys.authBaseUrl,
      })
    );
    assertInstanceOf(error, TwitchApiError);
    assertEquals(error.status, 503);
  }
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = closed.addr.port;
  closed.close();
  await assertRejects(
    () =>
      verifyIdToken(token, {
        clientId: CLIENT_ID,
        authBaseUrl: `http://127.0.0.1:${port}/oauth2`,
      }),
    NetworkError,
  );
});

Deno.test("the key set is cached for ten minutes, and fetched again for an unknown key id at most every 30 s", async () => {
  const first = await rsaKey("k1");
  const second = await rsaKey("k2");
  let served = [first.jwk];
  await using keys = serveKeys(() => served);
  const verify = async (key: CryptoKey, kid: string) =>
    await verifyIdToken(await sign(key, kid, claims()), {
      clientId: CLIENT_ID,
      authBaseUrl: keys.authBaseUrl,
    });
  // Only the cache's clock moves (jose reads Date.now); tokens keep real times.
  const realNow = Date.now;
  let skew = 0;
  Date.now = () => realNow() + skew;
  try {
    await verify(first.privateKey, "k1");
    assertEquals(keys.fetches, 1);
    served = [second.jwk]; // Twitch rotates its key
    await refused(sign(second.privateKey, "k2", claims()), "signature", {
      authBaseUrl: keys.authBaseUrl,
    });
    assertEquals(
      keys.fetches,
      1,
      "an unknown kid refetched within the cooldown",
    );
    skew = 31_000;
    await verify(second.privateKey, "k2");
    assertEquals(keys.fetches, 2, "an unknown kid did not refetch the key set");
    await verify(second.privateKey, "k2");
    assertEquals(keys.fetches, 2);
    skew += 10 * 60_000 + 1_000;
    await verify(second.privateKey, "k2");
    assertEquals(keys.fetches, 3, "the key set was kept past its lifetime");
  } finally {
    Date.now = realNow;
  }
});
