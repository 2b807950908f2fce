import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  AuthScope,
  closestScopes,
  isAuthScope,
  parseScopes,
  SCOPE_DESCRIPTIONS,
  UnknownScopeError,
} from "../mod.ts";

Deno.test("AuthScope has every scope Twitch documents, each with a description", () => {
  const values = Object.values(AuthScope);
  assertEquals(values.length, 85);
  assertEquals(new Set(values).size, 85);
  assertEquals(Object.keys(SCOPE_DESCRIPTIONS).toSorted(), values.toSorted());
  for (const scope of values) {
    assertEquals(SCOPE_DESCRIPTIONS[scope].length > 10, true, scope);
  }
  assertEquals(AuthScope.BITS_READ, "bits:read");
  assertEquals(AuthScope.CHANNEL_READ_HYPE_TRAIN, "channel:read:hype_train");
  assertEquals(
    AuthScope.MODERATOR_MANAGE_AUTOMOD_SETTINGS,
    "moderator:manage:automod_settings",
  );
  assertEquals(AuthScope.CHANNEL_SUBSCRIPTIONS, "channel_subscriptions");
  assertEquals(AuthScope.OPENID, "openid");
  assertEquals(AuthScope.CHAT_READ, "chat:read");
});

Deno.test("parseScopes takes spaces, commas, lists; drops blanks and duplicates", () => {
  assertEquals(parseScopes("bits:read chat:read"), ["bits:read", "chat:read"]);
  assertEquals(parseScopes(" bits:read,chat:read , bits:read "), [
    "bits:read",
    "chat:read",
  ]);
  assertEquals(parseScopes(["bits:read", "chat:edit chat:read"]), [
    "bits:read",
    "chat:edit",
    "chat:read",
  ]);
  assertEquals(parseScopes(""), []);
});

Deno.test("parseScopes names every unknown scope and the closest valid ones", () => {
  const error = assertThrows(
    () => parseScopes("bits:reed chat:read user:red:email"),
    UnknownScopeError,
  );
  assertEquals(error.unknown, ["bits:reed", "user:red:email"]);
  assertEquals(error.suggestions.includes("bits:read"), true);
  assertEquals(error.suggestions.includes("user:read:email"), true);
  assertStringIncludes(error.message, "bits:reed");
  assertStringIncludes(error.message, "did you mean");
  assertEquals(closestScopes("zzzzzzzzzzzzzzzzzzzzzzzz"), []);
  assertEquals(isAuthScope("toString"), false);
});
