// The scope table's integrity, a handful of entries checked by hand against
// Twitch's pages, and the advisor's answers on tasks with the minimal sets
// written by hand from Twitch's docs (not derived from the table).
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import {
  AuthScope,
  eventSubTokenFor,
  InvalidArgumentError,
  isAuthScope,
  scopeCoverage,
  scopeRequirements,
  scopesFor,
  scopeTasks,
  whatCanICall,
} from "../web.ts";

const table = await scopeRequirements();

Deno.test("every scope in the table is a known AuthScope", () => {
  for (const entry of table) {
    for (const scope of [...entry.scopes.flat(), ...entry.optionalScopes]) {
      assert(isAuthScope(scope), `${entry.id}: ${scope}`);
    }
  }
});

Deno.test("every AuthScope Twitch maps to an endpoint or type appears in the table", () => {
  const appears = new Set<string>(
    table.flatMap((entry) => [...entry.scopes.flat(), ...entry.optionalScopes]),
  );
  if (table.some((entry) => entry.chat)) {
    appears.add("user:bot").add("channel:bot");
  }
  // Written by hand from Twitch's scopes page: scopes no current endpoint or
  // EventSub type lists (IRC whispers, the follow endpoints Twitch removed,
  // the legacy v5 scope, and channel:manage:extensions, which the reference
  // names on no endpoint).
  const unmapped = [
    "channel:manage:extensions",
    "channel_subscriptions",
    "user:edit:follows",
    "whispers:edit",
    "whispers:read",
  ];
  const missing = Object.values(AuthScope).filter((scope) =>
    !appears.has(scope)
  );
  assertEquals(missing.sort(), unmapped);
});

Deno.test("ids are unique and sources point at Twitch's pages", () => {
  assertEquals(new Set(table.map((entry) => entry.id)).size, table.length);
  for (const entry of table) {
    assert(entry.source.startsWith("https://dev.twitch.tv/docs/"), entry.id);
    if (entry.api === "helix") {
      assert(/^(GET|POST|PUT|PATCH|DELETE) \/[a-z_/]+$/.test(entry.id));
      assert(/reference\/#[a-z0-9-]+$/.test(entry.source), entry.source);
    }
    if (entry.api === "eventsub") {
      assert(/subscription-types\/#[a-z_]+(-v\d)?$/.test(entry.source));
    }
  }
});

Deno.test("entries checked by hand against Twitch's pages", () => {
  const byId = (id: string) => table.find((entry) => entry.id === id)!;
  // reference#send-chat-message: "Requires an app access token or user access
  // token that includes the user:write:chat scope. If app access token used,
  // then additionally requires user:bot scope from chatting user, and either
  // channel:bot scope from broadcaster or moderator status."
  const send = byId("POST /chat/messages");
  assertEquals(
    [send.name, send.token, send.scopes, send.chat],
    ["Send Chat Message", "either", [["user:write:chat"]], true],
  );
  assertEquals(
    send.source,
    "https://dev.twitch.tv/docs/api/reference/#send-chat-message",
  );
  // reference#get-chatters: "Requires a user access token that includes the
  // moderator:read:chatters scope."
  const chatters = byId("GET /chat/chatters");
  assertEquals([chatters.name, chatters.token, chatters.scopes], [
    "Get Chatters",
    "user",
    [["moderator:read:chatters"]],
  ]);
  // reference#start-commercial: user token with channel:edit:commercial.
  assertEquals(byId("POST /channels/commercial").scopes, [[
    "channel:edit:commercial",
  ]]);
  // reference#get-extension-analytics: analytics:read:extensions.
  assertEquals(byId("GET /analytics/extensions").scopes, [[
    "analytics:read:extensions",
  ]]);
  // Update User Extensions: user:edit:broadcast (Twitch's announcement).
  assertEquals(byId("PUT /users/extensions").scopes, [["user:edit:broadcast"]]);
  // eventsub channel.ban v1: user token with channel:moderate, or an app token
  // the broadcaster authorized channel:moderate for.
  const ban = byId("channel.ban@1");
  assertEquals([ban.token, ban.scopes], ["either", [["channel:moderate"]]]);
  assertEquals(
    ban.source,
    "https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/#channelban",
  );
  // channel.moderate v2: all of these, each group "X OR Y".
  assertEquals(byId("channel.moderate@2").scopes, [
    ["moderator:read:blocked_terms", "moderator:manage:blocked_terms"],
    ["moderator:read:chat_settings", "moderator:manage:chat_settings"],
    ["moderator:read:unban_requests", "moderator:manage:unban_requests"],
    ["moderator:read:banned_users", "moderator:manage:banned_users"],
    ["moderator:read:chat_messages", "moderator:manage:chat_messages"],
    ["moderator:read:warnings", "moderator:manage:warnings"],
    ["moderator:read:moderators"],
    ["moderator:read:vips"],
  ]);
  // The subscription types table's first rows: automod.message.hold 1 and 2,
  // channel.bits.use 1, channel.update 2, channel.follow 2.
  for (
    const id of [
      "automod.message.hold@1",
      "automod.message.hold@2",
      "channel.bits.use@1",
      "channel.update@2",
      "channel.follow@2",
    ]
  ) assert(byId(id), id);
  assertEquals(byId("channel.follow@2").scopes, [["moderator:read:followers"]]);
  assertEquals(byId("channel.update@2").scopes, []);
});

// Each expected set is written from Twitch's reference for the endpoints
// and types the task names, choosing the narrowest scope Twitch accepts.
const TASK_SCOPES: Record<string, string[]> = {
  "log in with Twitch only": ["openid"],
  "read chat": ["user:read:chat"],
  "send chat messages": ["user:write:chat"],
  "moderate chat": [
    "moderator:manage:banned_users",
    "moderator:manage:chat_messages",
    "moderator:manage:chat_settings",
    "moderator:manage:warnings",
  ],
  "channel points redemptions": ["channel:manage:redemptions"],
  "follows and subs alerts": [
    "channel:read:subscriptions",
    "moderator:read:followers",
  ],
  "run ads": [
    "channel:edit:commercial",
    "channel:manage:ads",
    "channel:read:ads",
  ],
  "clips": ["clips:edit"],
  "polls and predictions": [
    "channel:manage:polls",
    "channel:manage:predictions",
  ],
  "whispers": ["user:manage:whispers"],
  "shoutouts and raids": ["channel:manage:raids", "moderator:manage:shoutouts"],
  "stream title and category": ["channel:manage:broadcast"],
  "list chatters": ["moderator:read:chatters"],
  "bits and cheers": ["bits:read"],
  "stream online alerts": [],
  "chat over IRC": ["chat:edit", "chat:read"],
};

for (const [task, expected] of Object.entries(TASK_SCOPES)) {
  Deno.test(`scopesFor("${task}") is the documented minimal set`, async () => {
    const advice = await scopesFor(task);
    assertEquals([...advice.scopes].sort(), expected.sort());
    assertEquals(advice.needs[0].task, task);
    // Every scope is explained.
    assertEquals(
      advice.needs[0].scopes.map((reason) => reason.scope).sort(),
      expected.sort(),
    );
  });
}

Deno.test("every task resolves and has a hand-written expectation", async () => {
  assertEquals(
    (await scopeTasks()).map((task) => task.name).filter((name) =>
      !(name in TASK_SCOPES)
    ),
    ["log in with email", "chat announcements"],
  );
});

Deno.test("scopesFor takes paths, titles, URLs, versions and aliases", async () => {
  const advice = await scopesFor([
    "post /helix/chat/messages",
    "Get Chatters",
    "GET https://api.twitch.tv/helix/polls?broadcaster_id=1",
    "channel.follow@2",
    "send chat",
  ]);
  assertEquals(advice.scopes, [
    "user:write:chat",
    "moderator:read:chatters",
    "moderator:read:followers",
    "channel:read:polls",
  ]);
  assertEquals(advice.needs.map((need) => need.requirements[0].id), [
    "POST /chat/messages",
    "GET /chat/chatters",
    "GET /polls",
    "channel.follow@2",
    "POST /chat/messages",
  ]);
  assertEquals(advice.needs[1].token, "user");
  assertStringIncludes(
    advice.needs[2].scopes[0].why,
    "Get Polls (GET /polls) accepts any of channel:read:polls, channel:manage:polls",
  );
});

Deno.test("scopesFor picks a scope already needed over the narrow one", async () => {
  const polls = await scopesFor(["Get Polls", "Create Poll"]);
  assertEquals(polls.scopes, ["channel:manage:polls"]);
  const readOnly = await scopesFor(["Get Polls"]);
  assertEquals(readOnly.scopes, ["channel:read:polls"]);
  const latest = await scopesFor("channel.moderate");
  assertEquals(latest.needs[0].requirements[0].version, "2");
  assertEquals(latest.scopes.length, 8);
});

Deno.test("unknown needs fail with the closest names", async () => {
  const error = await assertRejects(
    () => scopesFor(["read chat", "POST /chat/mesages"]),
    InvalidArgumentError,
  );
  assertStringIncludes(error.message, '"POST /chat/messages"');
  const typo = await assertRejects(
    () => scopesFor("moderate chta"),
    InvalidArgumentError,
  );
  assertStringIncludes(typo.message, '"moderate chat"');
  assertInstanceOf(
    await scopesFor("channel.follow@9").catch((e) => e),
    InvalidArgumentError,
  );
  await assertRejects(() => scopesFor(""), InvalidArgumentError);
  // deno-lint-ignore no-explicit-any
  const junk = [null, 42, { needs: [] }, [1]] as any[];
  for (const bad of junk) {
    await assertRejects(() => scopesFor(bad), InvalidArgumentError);
    await assertRejects(() => whatCanICall(bad), InvalidArgumentError);
    await assertRejects(
      () => scopeCoverage(bad, "read chat"),
      InvalidArgumentError,
    );
  }
});

Deno.test("whatCanICall and scopeCoverage answer from a token's scopes", async () => {
  const report = await whatCanICall({
    scopes: ["user:read:chat", "user:write:chat", "whispers:read"],
  });
  assert(report.tasks.includes("read chat"));
  assert(report.tasks.includes("send chat messages"));
  assert(!report.tasks.includes("moderate chat"));
  assert(report.callable.some((entry) => entry.id === "POST /chat/messages"));
  assert(
    !report.callable.some((entry) => entry.id === "POST /moderation/bans"),
  );
  assertEquals(report.unused, ["whispers:read"]);
  // app-token and extension endpoints are never callable with a user token
  assert(
    !report.callable.some((entry) => entry.id === "GET /eventsub/conduits"),
  );
  assert(!report.callable.some((entry) => entry.id === "GET /extensions"));
  const coverage = await scopeCoverage(["user:read:chat"], [
    "read chat",
    "moderate chat",
  ]);
  assertEquals(coverage[0], { need: "read chat", covered: true, missing: [] });
  assertEquals(coverage[1].covered, false);
  assertEquals(coverage[1].missing.length, 4);
});

Deno.test("eventSubTokenFor: user token on WebSockets, app token with the bot rule elsewhere", async () => {
  const ws = await eventSubTokenFor("channel.chat.message", "websocket");
  assertEquals([ws.token, ws.scopes], ["user", ["user:read:chat"]]);
  const conduit = await eventSubTokenFor("channel.chat.message", "conduit");
  assertEquals([conduit.token, conduit.scopes], [
    "app",
    ["user:read:chat", "user:bot", "channel:bot"],
  ]);
  assertStringIncludes(
    conduit.notes.join(" "),
    "unless the bot is a moderator",
  );
  const hook = await eventSubTokenFor("channel.follow@2", "webhook");
  assertEquals([hook.token, hook.scopes], ["app", [
    "moderator:read:followers",
  ]]);
  await assertRejects(
    () => eventSubTokenFor("user.authorization.grant", "websocket"),
    InvalidArgumentError,
  );
  await assertRejects(
    () => eventSubTokenFor("drop.entitlement.grant", "conduit"),
    InvalidArgumentError,
  );
  await assertRejects(
    // deno-lint-ignore no-explicit-any
    () => eventSubTokenFor("stream.online", "pubsub" as any),
    InvalidArgumentError,
  );
});
