// Runs the token helpers, bundled from web.ts, under Node: `node _node_helpers.mjs BUNDLE BASE ID SECRET REFRESH`.
// Prints one JSON line with what it saw; the test asserts on it.
import { inspect } from "node:util";
import { pathToFileURL } from "node:url";

const [bundle, authBaseUrl, clientId, secret, refreshToken] = process.argv
  .slice(2);
const m = await import(pathToFileURL(bundle).href);
const options = { authBaseUrl };
const app = await m.getAppAccessToken(clientId, secret, options);
const validation = await m.validateToken(app.accessToken, options);
const user = await m.refreshAccessToken(
  refreshToken,
  clientId,
  secret,
  options,
);
const revoked = await m.revokeToken(clientId, user.accessToken, options);
let refused;
try {
  await m.refreshAccessToken("x".repeat(50), clientId, secret, options);
} catch (error) {
  refused = error.constructor.name;
}
console.log(JSON.stringify({
  appClientId: validation.client_id,
  revoked,
  refused,
  printedInFull: inspect(user).includes(user.accessToken) ||
    inspect(user).includes(user.refreshToken),
}));
