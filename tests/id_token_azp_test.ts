// verifyIdToken and `azp`: a token whose authorized party is another app is
// refused even when its `aud` is this app; signed with a test key served on
// loopback as the key set.

import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { InvalidIdTokenError, verifyIdToken } from "../web.ts";

const CLIENT_ID = "azp0test0client0id000000000001";

Deno.test("verifyIdToken refuses a token whose azp is another app (audience) and takes one whose azp is this app", async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    extractable: true,
  });
  const jwk = { ...await exportJWK(publicKey), kid: "k", alg: "RS256" };
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ keys: [jwk] }),
  );
  const authBaseUrl = `http://127.0.0.1:${server.addr.port}/oauth2`;
  const now = Math.floor(Date.now() / 1000);
  const sign = (azp?: string) =>
    new SignJWT({
      iss: "https://id.twitch.tv/oauth2",
      aud: CLIENT_ID,
      sub: "12345",
      iat: now,
      exp: now + 3600,
      ...(azp === undefined ? {} : { azp }),
    }).setProtectedHeader({ alg: "RS256", kid: "k" }).sign(privateKey);

  const error = await assertRejects(async () =>
    await verifyIdToken(await sign("another-app"), {
      clientId: CLIENT_ID,
      authBaseUrl,
    })
  );
  assertInstanceOf(error, InvalidIdTokenError);
  assertEquals(error.reason, "audience");
  for (const azp of [CLIENT_ID, undefined]) {
    const claims = await verifyIdToken(await sign(azp), {
      clientId: CLIENT_ID,
      authBaseUrl,
    });
    assertEquals(claims.sub, "12345");
  }
});
