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
  // reference#get-chatters: "Requires one of the following: A user access
  // token that includes the moderator:read:chatters scope. An app access token
  // where the application, through a prior authorization, has the
  // moderator:read:chatters scope for the user represented by the
  // moderator_id query parameter."
  const chatters = byId("GET /chat/chatters");
  assertEquals([chatters.name, chatters.token, chatters.scopes], [
    "Get Chatters",
    "either",
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
  assertEquals(advice.needs[1].token, "either");
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

// Entries checked one by one against Twitch's own text (the API reference's
// "Authorization" section of each endpoint, and the scopes page
// https://dev.twitch.tv/docs/authentication/scopes/ for which endpoints and
// EventSub types each scope grants). Written by hand, not from the table;
// /work/notes/scope-facts.md has the quotes with their URLs.
// One line per entry: "need id | token kind | scopes | source anchor", the
// scopes as all-of groups separated by spaces, "x/y" for "x or y" (the
// narrowest first), "-" for none; the anchor is on
// https://dev.twitch.tv/docs/api/reference/ for endpoints and on
// https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/ for
// EventSub types.
const VERIFIED: string[] = [
  // Ads. reference#start-commercial: "A user access token that includes the
  // channel:edit:commercial scope" or "An app access token where the
  // application, through a prior authorization, has the
  // channel:edit:commercial scope for the user represented by the
  // broadcaster_id"; Get Ad Schedule and Snooze Next Ad say the same with
  // channel:read:ads and channel:manage:ads.
  "POST /channels/commercial | either | channel:edit:commercial | start-commercial",
  "GET /channels/ads | either | channel:read:ads | get-ad-schedule",
  "POST /channels/ads/schedule/snooze | either | channel:manage:ads | snooze-next-ad",
  // "Requires a user access token that includes the analytics:read:... scope."
  "GET /analytics/extensions | user | analytics:read:extensions | get-extension-analytics",
  "GET /analytics/games | user | analytics:read:games | get-game-analytics",
  // Bits: Get Bits Leaderboard and Get Custom Power-up "Requires a user access
  // token that includes the bits:read scope"; Get Cheermotes "an app access
  // token or user access token"; Get Extension Transactions "an app access token".
  "GET /bits/leaderboard | user | bits:read | get-bits-leaderboard",
  "GET /bits/custom_power_ups | user | bits:read | get-custom-power-up",
  "GET /bits/cheermotes | either | - | get-cheermotes",
  "GET /extensions/transactions | app | - | get-extension-transactions",
  // Channels.
  "GET /channels | either | - | get-channel-information",
  "PATCH /channels | user | channel:manage:broadcast | modify-channel-information",
  "GET /channels/editors | user | channel:read:editors | get-channel-editors",
  "GET /channels/followed | user | user:read:follows | get-followed-channels",
  "GET /channels/followers | user | moderator:read:followers | get-channel-followers",
  // Channel points: Create/Delete/Update Custom Reward(s) and Update
  // Redemption Status "channel:manage:redemptions"; the two Get endpoints
  // "the channel:read:redemptions or channel:manage:redemptions scope".
  "POST /channel_points/custom_rewards | user | channel:manage:redemptions | create-custom-rewards",
  "DELETE /channel_points/custom_rewards | user | channel:manage:redemptions | delete-custom-reward",
  "GET /channel_points/custom_rewards | user | channel:read:redemptions/channel:manage:redemptions | get-custom-reward",
  "GET /channel_points/custom_rewards/redemptions | user | channel:read:redemptions/channel:manage:redemptions | get-custom-reward-redemption",
  "PATCH /channel_points/custom_rewards | user | channel:manage:redemptions | update-custom-reward",
  "PATCH /channel_points/custom_rewards/redemptions | user | channel:manage:redemptions | update-redemption-status",
  "GET /charity/campaigns | user | channel:read:charity | get-charity-campaign",
  "GET /charity/donations | user | channel:read:charity | get-charity-campaign-donations",
  // Chat. Get Chatters and Update Chat Settings: a user token with the scope
  // or "an app access token where the application, through a prior
  // authorization, has the ... scope for the user represented by the
  // moderator_id"; Send Chat Announcement, Send a Shoutout and the four pin
  // endpoints add "the user:bot scope" (moderator) and "the channel:bot
  // scope" (broadcaster) for app tokens; Get Pinned Chat Message takes
  // "moderator:manage:chat_messages or moderator:read:chat_messages".
  "GET /chat/chatters | either | moderator:read:chatters | get-chatters",
  "GET /chat/emotes | either | - | get-channel-emotes",
  "GET /chat/emotes/global | either | - | get-global-emotes",
  "GET /chat/emotes/set | either | - | get-emote-sets",
  "GET /chat/badges | either | - | get-channel-chat-badges",
  "GET /chat/badges/global | either | - | get-global-chat-badges",
  "GET /chat/settings | either | - | get-chat-settings",
  "GET /shared_chat/session | either | - | get-shared-chat-session",
  "GET /chat/emotes/user | user | user:read:emotes | get-user-emotes",
  "PATCH /chat/settings | either | moderator:manage:chat_settings | update-chat-settings",
  "POST /chat/announcements | either | moderator:manage:announcements | send-chat-announcement",
  "POST /chat/shoutouts | either | moderator:manage:shoutouts | send-a-shoutout",
  "POST /chat/messages | either | user:write:chat | send-chat-message",
  "GET /chat/pins | either | moderator:read:chat_messages/moderator:manage:chat_messages | get-pinned-chat-message",
  "PUT /chat/pins | either | moderator:manage:chat_messages | pin-chat-message",
  "PATCH /chat/pins | either | moderator:manage:chat_messages | update-pinned-chat-message",
  "DELETE /chat/pins | either | moderator:manage:chat_messages | unpin-chat-message",
  "GET /chat/color | either | - | get-user-chat-color",
  "PUT /chat/color | user | user:manage:chat_color | update-user-chat-color",
  // Clips: Create Clip "a user access token that includes the clips:edit
  // scope"; Create Clip From VOD and Get Clips Download "an app access token
  // or user access token that includes the editor:manage:clips or
  // channel:manage:clips scope".
  "POST /clips | user | clips:edit | create-clip",
  "GET /clips | either | - | get-clips",
  "POST /videos/clips | either | editor:manage:clips/channel:manage:clips | create-clip-from-vod",
  "GET /clips/downloads | either | editor:manage:clips/channel:manage:clips | get-clips-download",
  // Conduits: "Requires an app access token."
  "GET /eventsub/conduits | app | - | get-conduits",
  "POST /eventsub/conduits | app | - | create-conduits",
  "PATCH /eventsub/conduits | app | - | update-conduits",
  "DELETE /eventsub/conduits | app | - | delete-conduit",
  "GET /eventsub/conduits/shards | app | - | get-conduit-shards",
  "PATCH /eventsub/conduits/shards | app | - | update-conduit-shards",
  "GET /content_classification_labels | either | - | get-content-classification-labels",
  "GET /entitlements/drops | either | - | get-drops-entitlements",
  "PATCH /entitlements/drops | either | - | update-drops-entitlements",
  // Extensions: "Requires a signed JSON Web Token (JWT) created by an
  // Extension Backend Service (EBS)"; the Bits products "an app access token".
  "GET /extensions/configurations | extension | - | get-extension-configuration-segment",
  "PUT /extensions/configurations | extension | - | set-extension-configuration-segment",
  "PUT /extensions/required_configuration | extension | - | set-extension-required-configuration",
  "POST /extensions/pubsub | extension | - | send-extension-pubsub-message",
  "GET /extensions/live | either | - | get-extension-live-channels",
  "GET /extensions/jwt/secrets | extension | - | get-extension-secrets",
  "POST /extensions/jwt/secrets | extension | - | create-extension-secret",
  "POST /extensions/chat | extension | - | send-extension-chat-message",
  "GET /extensions | extension | - | get-extensions",
  "GET /extensions/released | either | - | get-released-extensions",
  "GET /bits/extensions | app | - | get-extension-bits-products",
  "PUT /bits/extensions | app | - | update-extension-bits-product",
  // EventSub subscriptions: app token for webhooks and conduits, user token
  // for WebSockets.
  "POST /eventsub/subscriptions | either | - | create-eventsub-subscription",
  "DELETE /eventsub/subscriptions | either | - | delete-eventsub-subscription",
  "GET /eventsub/subscriptions | either | - | get-eventsub-subscriptions",
  "GET /games/top | either | - | get-top-games",
  "GET /games | either | - | get-games",
  "GET /goals | user | channel:read:goals | get-creator-goals",
  // Guest Star: "Requires OAuth Scopes: channel:read:guest_star,
  // channel:manage:guest_star, moderator:read:guest_star or
  // moderator:manage:guest_star"; updating settings "channel:manage:guest_star".
  "GET /guest_star/channel_settings | user | channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star | get-channel-guest-star-settings",
  "PUT /guest_star/channel_settings | user | channel:manage:guest_star | update-channel-guest-star-settings",
  "GET /guest_star/session | user | channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star | get-guest-star-session",
  // Moderation. Most endpoints take a user token with the scope or "an app
  // access token where the application, through a prior authorization, has
  // the ... scope for the user represented by the moderator_id" (Check
  // AutoMod Status and Get Banned Users: broadcaster_id); Ban User and Unban
  // User add "and user:bot"; Get AutoMod Settings takes
  // "moderator:read:automod_settings or moderator:manage:automod_settings";
  // Get Unban Requests, Resolve Unban Requests, Get Moderators, the
  // moderator and VIP changes and Get VIPs name only a user access token;
  // the suspicious-status endpoints "an app access token or user access
  // token that includes the moderator:manage:suspicious_users scope".
  "GET /moderation/unban_requests | user | moderator:read:unban_requests/moderator:manage:unban_requests | get-unban-requests",
  "PATCH /moderation/unban_requests | user | moderator:manage:unban_requests | resolve-unban-requests",
  "POST /moderation/enforcements/status | either | moderation:read | check-automod-status",
  "POST /moderation/automod/message | either | moderator:manage:automod | manage-held-automod-messages",
  "GET /moderation/automod/settings | either | moderator:read:automod_settings/moderator:manage:automod_settings | get-automod-settings",
  "PUT /moderation/automod/settings | either | moderator:manage:automod_settings | update-automod-settings",
  "GET /moderation/banned | either | moderation:read/moderator:manage:banned_users | get-banned-users",
  "POST /moderation/bans | either | moderator:manage:banned_users | ban-user",
  "DELETE /moderation/bans | either | moderator:manage:banned_users | unban-user",
  "GET /moderation/blocked_terms | either | moderator:read:blocked_terms/moderator:manage:blocked_terms | get-blocked-terms",
  "POST /moderation/blocked_terms | either | moderator:manage:blocked_terms | add-blocked-term",
  "DELETE /moderation/blocked_terms | either | moderator:manage:blocked_terms | remove-blocked-term",
  "DELETE /moderation/chat | either | moderator:manage:chat_messages | delete-chat-messages",
  "GET /moderation/channels | either | user:read:moderated_channels | get-moderated-channels",
  "GET /moderation/moderators | user | moderation:read/channel:manage:moderators | get-moderators",
  "POST /moderation/moderators | user | channel:manage:moderators | add-channel-moderator",
  "DELETE /moderation/moderators | user | channel:manage:moderators | remove-channel-moderator",
  "GET /channels/vips | user | channel:read:vips/channel:manage:vips | get-vips",
  "POST /channels/vips | user | channel:manage:vips | add-channel-vip",
  "DELETE /channels/vips | user | channel:manage:vips | remove-channel-vip",
  "PUT /moderation/shield_mode | either | moderator:manage:shield_mode | update-shield-mode-status",
  "GET /moderation/shield_mode | either | moderator:read:shield_mode/moderator:manage:shield_mode | get-shield-mode-status",
  "POST /moderation/warnings | either | moderator:manage:warnings | warn-chat-user",
  "POST /moderation/suspicious_users | either | moderator:manage:suspicious_users | add-suspicious-status-to-chat-user",
  "DELETE /moderation/suspicious_users | either | moderator:manage:suspicious_users | remove-suspicious-status-from-chat-user",
  // Raids, schedule, search, streams, subscriptions, tags, teams, users,
  // videos, whispers: the reference's Authorization sections ("Requires a
  // user access token that includes the ... scope" or "Requires an app
  // access token or user access token"; Get Channel iCalendar: "The
  // Client-Id and Authorization headers are not required"; Get All Stream
  // Tags and Get Stream Tags are deprecated but still listed).
  "POST /raids | user | channel:manage:raids | start-a-raid",
  "DELETE /raids | user | channel:manage:raids | cancel-a-raid",
  "GET /schedule | either | - | get-channel-stream-schedule",
  "GET /schedule/icalendar | none | - | get-channel-icalendar",
  "PATCH /schedule/settings | user | channel:manage:schedule | update-channel-stream-schedule",
  "POST /schedule/segment | user | channel:manage:schedule | create-channel-stream-schedule-segment",
  "PATCH /schedule/segment | user | channel:manage:schedule | update-channel-stream-schedule-segment",
  "DELETE /schedule/segment | user | channel:manage:schedule | delete-channel-stream-schedule-segment",
  "GET /search/categories | either | - | search-categories",
  "GET /search/channels | either | - | search-channels",
  "GET /streams/followed | user | user:read:follows | get-followed-streams",
  "POST /streams/markers | user | channel:manage:broadcast | create-stream-marker",
  "GET /streams/markers | user | user:read:broadcast/channel:manage:broadcast | get-stream-markers",
  "GET /subscriptions | user | channel:read:subscriptions | get-broadcaster-subscriptions",
  "GET /subscriptions/user | user | user:read:subscriptions | check-user-subscription",
  "GET /tags/streams | either | - | get-all-stream-tags",
  "GET /streams/tags | either | - | get-stream-tags",
  "GET /teams/channel | either | - | get-channel-teams",
  "GET /teams | either | - | get-teams",
  "GET /users | either | - | get-users",
  "PUT /users | user | user:edit | update-user",
  "GET /authorization/users | app | - | get-authorization-by-user",
  "GET /users/blocks | user | user:read:blocked_users | get-user-block-list",
  "PUT /users/blocks | user | user:manage:blocked_users | block-user",
  "DELETE /users/blocks | user | user:manage:blocked_users | unblock-user",
  "GET /users/extensions/list | user | user:read:broadcast/user:edit:broadcast | get-user-extensions",
  "GET /users/extensions | either | - | get-user-active-extensions",
  "PUT /users/extensions | user | user:edit:broadcast | update-user-extensions",
  "GET /videos | either | - | get-videos",
  "DELETE /videos | user | channel:manage:videos | delete-videos",
  "POST /whispers | user | user:manage:whispers | send-whisper",
  "GET /hypetrain/status | user | channel:read:hype_train | get-hype-train-status",
  "GET /polls | user | channel:read:polls/channel:manage:polls | get-polls",
  "POST /polls | user | channel:manage:polls | create-poll",
  "PATCH /polls | user | channel:manage:polls | end-poll",
  // EventSub, scopes per the scopes page ("Channel Chat Message: user:read:chat",
  // "Channel Follow: moderator:read:followers", ...); channel.update v2,
  // stream.online and channel.raid list no scope.
  "channel.chat.message@1 | either | user:read:chat | channelchatmessage",
  "channel.chat.notification@1 | either | user:read:chat | channelchatnotification",
  "channel.chat.message_delete@1 | either | user:read:chat | channelchatmessage_delete",
  "channel.chat.clear@1 | either | user:read:chat | channelchatclear",
  "channel.follow@2 | either | moderator:read:followers | channelfollow",
  "channel.subscribe@1 | either | channel:read:subscriptions | channelsubscribe",
  "channel.subscription.gift@1 | either | channel:read:subscriptions | channelsubscriptiongift",
  "channel.subscription.message@1 | either | channel:read:subscriptions | channelsubscriptionmessage",
  "channel.cheer@1 | either | bits:read | channelcheer",
  "channel.bits.use@1 | either | bits:read | channelbitsuse",
  "channel.custom_power_up_redemption.add@1 | either | bits:read | channelcustom_power_up_redemptionadd",
  "channel.ad_break.begin@1 | either | channel:read:ads | channelad_breakbegin",
  "channel.channel_points_custom_reward_redemption.add@1 | either | channel:read:redemptions/channel:manage:redemptions | channelchannel_points_custom_reward_redemptionadd",
  "channel.poll.end@1 | either | channel:read:polls/channel:manage:polls | channelpollend",
  "channel.prediction.end@1 | either | channel:read:predictions/channel:manage:predictions | channelpredictionend",
  "channel.raid@1 | either | - | channelraid",
  "channel.update@2 | either | - | channelupdate",
  "stream.online@1 | either | - | streamonline",
  "stream.offline@1 | either | - | streamoffline",
  "channel.ban@1 | either | channel:moderate | channelban",
  "channel.moderator.add@1 | either | moderation:read | channelmoderatoradd",
  "channel.vip.add@1 | either | channel:read:vips/channel:manage:vips | channelvipadd",
  "channel.shield_mode.begin@1 | either | moderator:read:shield_mode/moderator:manage:shield_mode | channelshield_modebegin",
  "channel.shoutout.create@1 | either | moderator:read:shoutouts/moderator:manage:shoutouts | channelshoutoutcreate",
  "channel.unban_request.create@1 | either | moderator:read:unban_requests/moderator:manage:unban_requests | channelunban_requestcreate",
  "channel.warning.send@1 | either | moderator:read:warnings/moderator:manage:warnings | channelwarningsend",
  "channel.suspicious_user.message@1 | either | moderator:read:suspicious_users | channelsuspicious_usermessage",
  "automod.message.hold@2 | either | moderator:manage:automod | automodmessagehold-v2",
  "automod.settings.update@1 | either | moderator:read:automod_settings | automodsettingsupdate",
  "channel.goal.begin@1 | either | channel:read:goals | channelgoalbegin",
  "channel.hype_train.begin@2 | either | channel:read:hype_train | channelhype_trainbegin",
  "channel.charity_campaign.donate@1 | either | channel:read:charity | channelcharity_campaigndonate",
  "channel.guest_star_session.begin@beta | either | channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star | channelguest_star_sessionbegin",
  "user.whisper.message@1 | either | user:read:whispers/user:manage:whispers | userwhispermessage",
  "user.authorization.grant@1 | app | - | userauthorizationgrant",
];

Deno.test("entries verified against Twitch's reference and scopes page", () => {
  const wrong: string[] = [];
  for (const line of VERIFIED) {
    const [id, token, scopes, anchor] = line.split(" | ");
    const page = id.includes(" ")
      ? "https://dev.twitch.tv/docs/api/reference/#"
      : "https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/#";
    const expected = JSON.stringify({
      token,
      scopes: scopes === "-"
        ? []
        : scopes.split(" ").map((group) => group.split("/")),
      source: page + anchor,
    });
    const entry = table.find((candidate) => candidate.id === id);
    const actual = entry &&
      JSON.stringify({
        token: entry.token,
        scopes: entry.scopes,
        source: entry.source,
      });
    if (actual !== expected) {
      wrong.push(`${id}: expected ${expected}, table has ${actual}`);
    }
  }
  assertEquals(wrong, []);
  const ids = VERIFIED.map((line) => line.split(" | ")[0]);
  assertEquals(new Set(ids).size, ids.length);
});
