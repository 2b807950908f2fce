/**
 * Which token and scopes each Helix endpoint and EventSub subscription type
 * needs, as Twitch's API reference
 * (https://dev.twitch.tv/docs/api/reference/) and EventSub subscription
 * types page (https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/)
 * state it. Internal: loaded lazily by `scope_advisor.ts`.
 *
 * One line per entry, fields separated by `|`:
 * - Helix: `name|METHOD /path|token|scopes|optional|note`; the source is the
 *   reference's anchor made from the name (`Send Chat Message` →
 *   `#send-chat-message`).
 * - EventSub: `type|version|token|scopes|optional|flags`; the source is the
 *   subscription types page's anchor (`channel.follow` → `#channelfollow`,
 *   version 2 of a type with an older one → `#automodmessagehold-v2`).
 * - Other (sign-in and IRC): `key|name|token|scopes|source`.
 *
 * token: `u` user token, `a` app token, `e` either, `j` an extension's signed
 * JWT, `n` no token. scopes: space-separated groups that are all required;
 * `x/y` means any one of `x` and `y` (the narrowest first). flags: `c` a chat
 * type (an app token needs `user:bot` from the chatting user and `channel:bot`
 * from the broadcaster unless the user is a moderator), `w` webhooks only.
 *
 * @module
 */

/** The Helix endpoints, in the reference's order. */
export const HELIX =
  `Start Commercial|POST /channels/commercial|e|channel:edit:commercial||with an app token, the broadcaster must have authorized channel:edit:commercial for the app
Get Ad Schedule|GET /channels/ads|e|channel:read:ads||with an app token, the broadcaster must have authorized channel:read:ads for the app
Snooze Next Ad|POST /channels/ads/schedule/snooze|e|channel:manage:ads||with an app token, the broadcaster must have authorized channel:manage:ads for the app
Get Extension Analytics|GET /analytics/extensions|u|analytics:read:extensions
Get Game Analytics|GET /analytics/games|u|analytics:read:games
Get Bits Leaderboard|GET /bits/leaderboard|u|bits:read
Get Cheermotes|GET /bits/cheermotes|e|
Get Custom Power-up|GET /bits/custom_power_ups|u|bits:read
Get Extension Transactions|GET /extensions/transactions|a|
Get Channel Information|GET /channels|e|
Modify Channel Information|PATCH /channels|u|channel:manage:broadcast
Get Channel Editors|GET /channels/editors|u|channel:read:editors
Get Followed Channels|GET /channels/followed|u|user:read:follows
Get Channel Followers|GET /channels/followers|u|moderator:read:followers||without the scope (or as a user who is neither the broadcaster nor a moderator) only the total count comes back
Create Custom Rewards|POST /channel_points/custom_rewards|u|channel:manage:redemptions
Delete Custom Reward|DELETE /channel_points/custom_rewards|u|channel:manage:redemptions
Get Custom Reward|GET /channel_points/custom_rewards|u|channel:read:redemptions/channel:manage:redemptions
Get Custom Reward Redemption|GET /channel_points/custom_rewards/redemptions|u|channel:read:redemptions/channel:manage:redemptions
Update Custom Reward|PATCH /channel_points/custom_rewards|u|channel:manage:redemptions
Update Redemption Status|PATCH /channel_points/custom_rewards/redemptions|u|channel:manage:redemptions
Get Charity Campaign|GET /charity/campaigns|u|channel:read:charity
Get Charity Campaign Donations|GET /charity/donations|u|channel:read:charity
Get Chatters|GET /chat/chatters|e|moderator:read:chatters||with an app token, the moderator must have authorized moderator:read:chatters for the app
Get Channel Emotes|GET /chat/emotes|e|
Get Global Emotes|GET /chat/emotes/global|e|
Get Emote Sets|GET /chat/emotes/set|e|
Get Channel Chat Badges|GET /chat/badges|e|
Get Global Chat Badges|GET /chat/badges/global|e|
Get Chat Settings|GET /chat/settings|e||moderator:read:chat_settings/moderator:manage:chat_settings|the non-moderator chat delay fields come back only to a moderator's user token with the scope
Get Shared Chat Session|GET /shared_chat/session|e|
Get User Emotes|GET /chat/emotes/user|u|user:read:emotes
Update Chat Settings|PATCH /chat/settings|e|moderator:manage:chat_settings||with an app token, the moderator must have authorized moderator:manage:chat_settings for the app
Send Chat Announcement|POST /chat/announcements|e|moderator:manage:announcements||with an app token, the app needs, from prior authorizations, these scopes plus user:bot from the moderator and channel:bot from the broadcaster
Send a Shoutout|POST /chat/shoutouts|e|moderator:manage:shoutouts||with an app token, the app needs, from prior authorizations, these scopes plus user:bot from the moderator and channel:bot from the broadcaster
Send Chat Message|POST /chat/messages|e|user:write:chat||with an app token, the sender must have authorized user:bot and the broadcaster channel:bot (unless the sender is a moderator)
Get Pinned Chat Message|GET /chat/pins|e|moderator:read:chat_messages/moderator:manage:chat_messages||with an app token, the app needs, from prior authorizations, these scopes plus user:bot from the moderator and channel:bot from the broadcaster
Pin Chat Message|PUT /chat/pins|e|moderator:manage:chat_messages||with an app token, the app needs, from prior authorizations, these scopes plus user:bot from the moderator and channel:bot from the broadcaster
Update Pinned Chat Message|PATCH /chat/pins|e|moderator:manage:chat_messages||with an app token, the app needs, from prior authorizations, these scopes plus user:bot from the moderator and channel:bot from the broadcaster
Unpin Chat Message|DELETE /chat/pins|e|moderator:manage:chat_messages||with an app token, the app needs, from prior authorizations, these scopes plus user:bot from the moderator and channel:bot from the broadcaster
Get User Chat Color|GET /chat/color|e|
Update User Chat Color|PUT /chat/color|u|user:manage:chat_color
Create Clip|POST /clips|u|clips:edit
Create Clip From VOD|POST /videos/clips|e|editor:manage:clips/channel:manage:clips
Get Clips|GET /clips|e|
Get Clips Download|GET /clips/downloads|e|editor:manage:clips/channel:manage:clips
Get Conduits|GET /eventsub/conduits|a|
Create Conduits|POST /eventsub/conduits|a|
Update Conduits|PATCH /eventsub/conduits|a|
Delete Conduit|DELETE /eventsub/conduits|a|
Get Conduit Shards|GET /eventsub/conduits/shards|a|
Update Conduit Shards|PATCH /eventsub/conduits/shards|a|
Get Content Classification Labels|GET /content_classification_labels|e|
Get Drops Entitlements|GET /entitlements/drops|e|
Update Drops Entitlements|PATCH /entitlements/drops|e|
Get Extension Configuration Segment|GET /extensions/configurations|j|
Set Extension Configuration Segment|PUT /extensions/configurations|j|
Set Extension Required Configuration|PUT /extensions/required_configuration|j|
Send Extension PubSub Message|POST /extensions/pubsub|j|
Get Extension Live Channels|GET /extensions/live|e|
Get Extension Secrets|GET /extensions/jwt/secrets|j|
Create Extension Secret|POST /extensions/jwt/secrets|j|
Send Extension Chat Message|POST /extensions/chat|j|
Get Extensions|GET /extensions|j|
Get Released Extensions|GET /extensions/released|e|
Get Extension Bits Products|GET /bits/extensions|a|
Update Extension Bits Product|PUT /bits/extensions|a|
Create EventSub Subscription|POST /eventsub/subscriptions|e|||webhooks and conduits take an app token, WebSockets a user token; the type's own scopes apply (see eventSubTokenFor)
Delete EventSub Subscription|DELETE /eventsub/subscriptions|e|
Get EventSub Subscriptions|GET /eventsub/subscriptions|e|
Get Top Games|GET /games/top|e|
Get Games|GET /games|e|
Get Creator Goals|GET /goals|u|channel:read:goals
Get Channel Guest Star Settings|GET /guest_star/channel_settings|u|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
Update Channel Guest Star Settings|PUT /guest_star/channel_settings|u|channel:manage:guest_star
Get Guest Star Session|GET /guest_star/session|u|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
Create Guest Star Session|POST /guest_star/session|u|channel:manage:guest_star
End Guest Star Session|DELETE /guest_star/session|u|channel:manage:guest_star
Get Guest Star Invites|GET /guest_star/invites|u|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
Send Guest Star Invite|POST /guest_star/invites|u|channel:manage:guest_star/moderator:manage:guest_star
Delete Guest Star Invite|DELETE /guest_star/invites|u|channel:manage:guest_star/moderator:manage:guest_star
Assign Guest Star Slot|POST /guest_star/slot|u|channel:manage:guest_star/moderator:manage:guest_star
Update Guest Star Slot|PATCH /guest_star/slot|u|channel:manage:guest_star/moderator:manage:guest_star
Delete Guest Star Slot|DELETE /guest_star/slot|u|channel:manage:guest_star/moderator:manage:guest_star
Update Guest Star Slot Settings|PATCH /guest_star/slot_settings|u|channel:manage:guest_star/moderator:manage:guest_star
Get Hype Train Status|GET /hypetrain/status|u|channel:read:hype_train
Check AutoMod Status|POST /moderation/enforcements/status|e|moderation:read||with an app token, the broadcaster must have authorized moderation:read for the app
Manage Held AutoMod Messages|POST /moderation/automod/message|e|moderator:manage:automod||with an app token, the moderator must have authorized moderator:manage:automod for the app
Get AutoMod Settings|GET /moderation/automod/settings|e|moderator:read:automod_settings/moderator:manage:automod_settings||with an app token, the moderator must have authorized one of these scopes for the app
Update AutoMod Settings|PUT /moderation/automod/settings|e|moderator:manage:automod_settings||with an app token, the moderator must have authorized moderator:manage:automod_settings for the app
Get Banned Users|GET /moderation/banned|e|moderation:read/moderator:manage:banned_users||with an app token, the broadcaster must have authorized one of these scopes for the app
Ban User|POST /moderation/bans|e|moderator:manage:banned_users||with an app token, the moderator must have authorized moderator:manage:banned_users and user:bot for the app
Unban User|DELETE /moderation/bans|e|moderator:manage:banned_users||with an app token, the moderator must have authorized moderator:manage:banned_users and user:bot for the app
Get Unban Requests|GET /moderation/unban_requests|u|moderator:read:unban_requests/moderator:manage:unban_requests
Resolve Unban Requests|PATCH /moderation/unban_requests|u|moderator:manage:unban_requests
Get Blocked Terms|GET /moderation/blocked_terms|e|moderator:read:blocked_terms/moderator:manage:blocked_terms||with an app token, the moderator must have authorized one of these scopes for the app
Add Blocked Term|POST /moderation/blocked_terms|e|moderator:manage:blocked_terms||with an app token, the moderator must have authorized moderator:manage:blocked_terms for the app
Remove Blocked Term|DELETE /moderation/blocked_terms|e|moderator:manage:blocked_terms||with an app token, the moderator must have authorized moderator:manage:blocked_terms for the app
Delete Chat Messages|DELETE /moderation/chat|e|moderator:manage:chat_messages||with an app token, the moderator must have authorized moderator:manage:chat_messages for the app
Get Moderated Channels|GET /moderation/channels|e|user:read:moderated_channels||with an app token, the user must have authorized user:read:moderated_channels for the app
Get Moderators|GET /moderation/moderators|u|moderation:read/channel:manage:moderators
Add Channel Moderator|POST /moderation/moderators|u|channel:manage:moderators
Remove Channel Moderator|DELETE /moderation/moderators|u|channel:manage:moderators
Get VIPs|GET /channels/vips|u|channel:read:vips/channel:manage:vips
Add Channel VIP|POST /channels/vips|u|channel:manage:vips
Remove Channel VIP|DELETE /channels/vips|u|channel:manage:vips
Update Shield Mode Status|PUT /moderation/shield_mode|e|moderator:manage:shield_mode||with an app token, the moderator must have authorized moderator:manage:shield_mode for the app
Get Shield Mode Status|GET /moderation/shield_mode|e|moderator:read:shield_mode/moderator:manage:shield_mode||with an app token, the moderator must have authorized one of these scopes for the app
Warn Chat User|POST /moderation/warnings|e|moderator:manage:warnings||with an app token, the moderator must have authorized moderator:manage:warnings for the app
Add Suspicious Status to Chat User|POST /moderation/suspicious_users|e|moderator:manage:suspicious_users
Remove Suspicious Status From Chat User|DELETE /moderation/suspicious_users|e|moderator:manage:suspicious_users
Get Polls|GET /polls|u|channel:read:polls/channel:manage:polls
Create Poll|POST /polls|u|channel:manage:polls
End Poll|PATCH /polls|u|channel:manage:polls
Get Predictions|GET /predictions|u|channel:read:predictions/channel:manage:predictions
Create Prediction|POST /predictions|u|channel:manage:predictions
End Prediction|PATCH /predictions|u|channel:manage:predictions
Start a raid|POST /raids|u|channel:manage:raids
Cancel a raid|DELETE /raids|u|channel:manage:raids
Get Channel Stream Schedule|GET /schedule|e|
Get Channel iCalendar|GET /schedule/icalendar|n|
Update Channel Stream Schedule|PATCH /schedule/settings|u|channel:manage:schedule
Create Channel Stream Schedule Segment|POST /schedule/segment|u|channel:manage:schedule
Update Channel Stream Schedule Segment|PATCH /schedule/segment|u|channel:manage:schedule
Delete Channel Stream Schedule Segment|DELETE /schedule/segment|u|channel:manage:schedule
Search Categories|GET /search/categories|e|
Search Channels|GET /search/channels|e|
Get Stream Key|GET /streams/key|u|channel:read:stream_key
Get Streams|GET /streams|e|
Get Followed Streams|GET /streams/followed|u|user:read:follows
Create Stream Marker|POST /streams/markers|u|channel:manage:broadcast
Get Stream Markers|GET /streams/markers|u|user:read:broadcast/channel:manage:broadcast
Get Broadcaster Subscriptions|GET /subscriptions|u|channel:read:subscriptions
Check User Subscription|GET /subscriptions/user|u|user:read:subscriptions
Get All Stream Tags|GET /tags/streams|e|||deprecated by Twitch: returns an empty list (a 410 response from July 13, 2023); read tags with Get Channel Information
Get Stream Tags|GET /streams/tags|e|||deprecated by Twitch: returns an empty list (a 410 response from July 13, 2023); read tags with Get Channel Information
Get Channel Teams|GET /teams/channel|e|
Get Teams|GET /teams|e|
Get Users|GET /users|e||user:read:email|the email address comes back only with user:read:email
Update User|PUT /users|u|user:edit|user:read:email|the email address comes back only with user:read:email
Get Authorization By User|GET /authorization/users|a|
Get User Block List|GET /users/blocks|u|user:read:blocked_users
Block User|PUT /users/blocks|u|user:manage:blocked_users
Unblock User|DELETE /users/blocks|u|user:manage:blocked_users
Get User Extensions|GET /users/extensions/list|u|user:read:broadcast/user:edit:broadcast
Get User Active Extensions|GET /users/extensions|e||user:read:broadcast/user:edit:broadcast|a user token without user_id needs user:read:broadcast or user:edit:broadcast
Update User Extensions|PUT /users/extensions|u|user:edit:broadcast
Get Videos|GET /videos|e|
Delete Videos|DELETE /videos|u|channel:manage:videos
Send Whisper|POST /whispers|u|user:manage:whispers`;

/** The EventSub subscription types, in the subscription types page's order. */
export const EVENTSUB = `automod.message.hold|1|e|moderator:manage:automod
automod.message.hold|2|e|moderator:manage:automod
automod.message.update|1|e|moderator:manage:automod
automod.message.update|2|e|moderator:manage:automod
automod.settings.update|1|e|moderator:read:automod_settings
automod.terms.update|1|e|moderator:manage:automod
channel.bits.use|1|e|bits:read
channel.update|2|e|
channel.follow|2|e|moderator:read:followers
channel.ad_break.begin|1|e|channel:read:ads
channel.chat.clear|1|e|user:read:chat||c
channel.chat.clear_user_messages|1|e|user:read:chat||c
channel.chat.message|1|e|user:read:chat||c
channel.chat.message_delete|1|e|user:read:chat||c
channel.chat.notification|1|e|user:read:chat||c
channel.chat_settings.update|1|e|user:read:chat||c
channel.chat.user_message_hold|1|e|user:read:chat||c
channel.chat.user_message_update|1|e|user:read:chat||c
channel.shared_chat.begin|1|e|
channel.shared_chat.update|1|e|
channel.shared_chat.end|1|e|
channel.subscribe|1|e|channel:read:subscriptions
channel.subscription.end|1|e|channel:read:subscriptions
channel.subscription.gift|1|e|channel:read:subscriptions
channel.subscription.message|1|e|channel:read:subscriptions
channel.cheer|1|e|bits:read
channel.raid|1|e|
channel.ban|1|e|channel:moderate
channel.unban|1|e|channel:moderate
channel.unban_request.create|1|e|moderator:read:unban_requests/moderator:manage:unban_requests
channel.unban_request.resolve|1|e|moderator:read:unban_requests/moderator:manage:unban_requests
channel.moderate|1|e|moderator:read:blocked_terms/moderator:manage:blocked_terms moderator:read:chat_settings/moderator:manage:chat_settings moderator:read:unban_requests/moderator:manage:unban_requests moderator:read:banned_users/moderator:manage:banned_users moderator:read:chat_messages/moderator:manage:chat_messages moderator:read:moderators moderator:read:vips
channel.moderate|2|e|moderator:read:blocked_terms/moderator:manage:blocked_terms moderator:read:chat_settings/moderator:manage:chat_settings moderator:read:unban_requests/moderator:manage:unban_requests moderator:read:banned_users/moderator:manage:banned_users moderator:read:chat_messages/moderator:manage:chat_messages moderator:read:warnings/moderator:manage:warnings moderator:read:moderators moderator:read:vips
channel.moderator.add|1|e|moderation:read
channel.moderator.remove|1|e|moderation:read
channel.guest_star_session.begin|beta|e|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
channel.guest_star_session.end|beta|e|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
channel.guest_star_guest.update|beta|e|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
channel.guest_star_settings.update|beta|e|channel:read:guest_star/channel:manage:guest_star/moderator:read:guest_star/moderator:manage:guest_star
channel.channel_points_automatic_reward_redemption.add|1|e|channel:read:redemptions/channel:manage:redemptions
channel.channel_points_automatic_reward_redemption.add|2|e|channel:read:redemptions/channel:manage:redemptions
channel.channel_points_custom_reward.add|1|e|channel:read:redemptions/channel:manage:redemptions
channel.channel_points_custom_reward.update|1|e|channel:read:redemptions/channel:manage:redemptions
channel.channel_points_custom_reward.remove|1|e|channel:read:redemptions/channel:manage:redemptions
channel.channel_points_custom_reward_redemption.add|1|e|channel:read:redemptions/channel:manage:redemptions
channel.channel_points_custom_reward_redemption.update|1|e|channel:read:redemptions/channel:manage:redemptions
channel.custom_power_up_redemption.add|1|e|bits:read
channel.poll.begin|1|e|channel:read:polls/channel:manage:polls
channel.poll.progress|1|e|channel:read:polls/channel:manage:polls
channel.poll.end|1|e|channel:read:polls/channel:manage:polls
channel.prediction.begin|1|e|channel:read:predictions/channel:manage:predictions
channel.prediction.progress|1|e|channel:read:predictions/channel:manage:predictions
channel.prediction.lock|1|e|channel:read:predictions/channel:manage:predictions
channel.prediction.end|1|e|channel:read:predictions/channel:manage:predictions
channel.suspicious_user.message|1|e|moderator:read:suspicious_users
channel.suspicious_user.update|1|e|moderator:read:suspicious_users
channel.vip.add|1|e|channel:read:vips/channel:manage:vips
channel.vip.remove|1|e|channel:read:vips/channel:manage:vips
channel.warning.acknowledge|1|e|moderator:read:warnings/moderator:manage:warnings
channel.warning.send|1|e|moderator:read:warnings/moderator:manage:warnings
channel.charity_campaign.donate|1|e|channel:read:charity
channel.charity_campaign.start|1|e|channel:read:charity
channel.charity_campaign.progress|1|e|channel:read:charity
channel.charity_campaign.stop|1|e|channel:read:charity
conduit.shard.disabled|1|a|
drop.entitlement.grant|1|a|||w
extension.bits_transaction.create|1|a|
channel.goal.begin|1|e|channel:read:goals
channel.goal.progress|1|e|channel:read:goals
channel.goal.end|1|e|channel:read:goals
channel.hype_train.begin|2|e|channel:read:hype_train
channel.hype_train.progress|2|e|channel:read:hype_train
channel.hype_train.end|2|e|channel:read:hype_train
channel.shield_mode.begin|1|e|moderator:read:shield_mode/moderator:manage:shield_mode
channel.shield_mode.end|1|e|moderator:read:shield_mode/moderator:manage:shield_mode
channel.shoutout.create|1|e|moderator:read:shoutouts/moderator:manage:shoutouts
channel.shoutout.receive|1|e|moderator:read:shoutouts/moderator:manage:shoutouts
stream.online|1|e|
stream.offline|1|e|
user.authorization.grant|1|a|
user.authorization.revoke|1|a|
user.update|1|e||user:read:email
user.whisper.message|1|e|user:read:whispers/user:manage:whispers`;

/** Sign-in and IRC needs that are not Helix endpoints. */
export const OTHER =
  `openid|Sign in with OpenID Connect (ID token, UserInfo)|u|openid|https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/
email|Read the user's email address|u|user:read:email|https://dev.twitch.tv/docs/api/reference/#get-users
irc:read|Read chat over IRC|u|chat:read|https://dev.twitch.tv/docs/chat/irc/
irc:send|Send chat over IRC|u|chat:edit|https://dev.twitch.tv/docs/chat/irc/`;

/**
 * Jobs a person thinks in, each a set of needs from the tables above:
 * `name|aliases, comma-separated|needs, semicolon-separated|what it covers`.
 */
export const TASKS =
  `log in with Twitch only|log in,sign in,login|openid|Sign users in (OpenID Connect ID token and UserInfo, as the login handler does); no other access
log in with email|sign in with email|openid;email|Sign users in and read their verified email address
read chat|chat read|channel.chat.message|Receive chat messages through EventSub (WebSocket, webhook or conduit)
send chat messages|send chat,chat send|POST /chat/messages|Send chat messages as the signed-in user (Send Chat Message)
moderate chat|moderation,moderate|POST /moderation/bans;DELETE /moderation/bans;GET /moderation/banned;DELETE /moderation/chat;PATCH /chat/settings;POST /moderation/warnings|Ban, time out and unban users, delete messages, change chat settings, warn users
channel points redemptions|channel points,redemptions|channel.channel_points_custom_reward_redemption.add;GET /channel_points/custom_rewards/redemptions;PATCH /channel_points/custom_rewards/redemptions|Hear about redemptions of the app's rewards and fulfil or cancel them
follows and subs alerts|alerts,follows and subs|channel.follow;channel.subscribe;channel.subscription.gift;channel.subscription.message|Alerts for new followers, subscriptions, gifted subs and resubs
run ads|ads,commercials|POST /channels/commercial;GET /channels/ads;POST /channels/ads/schedule/snooze|Start commercials, read and snooze the ad schedule
clips|create clips|POST /clips;GET /clips|Create clips and list them
polls and predictions|polls,predictions|POST /polls;PATCH /polls;GET /polls;POST /predictions;PATCH /predictions;GET /predictions;channel.poll.end;channel.prediction.end|Run polls and predictions and hear when they end
whispers|send whispers|POST /whispers;user.whisper.message|Send and receive whispers
shoutouts and raids|shoutouts,raids|POST /chat/shoutouts;POST /raids;DELETE /raids;channel.raid|Shout out other channels and start or cancel raids
stream title and category|stream info,channel info|GET /channels;PATCH /channels|Change the stream's title, category, language and tags
chat announcements|announcements|POST /chat/announcements|Send announcements to a channel's chat
list chatters|chatters|GET /chat/chatters|List the users in a channel's chat
bits and cheers|bits,cheers|channel.cheer;GET /bits/leaderboard|Hear about cheers and read the Bits leaderboard
stream online alerts|live alerts,go live|stream.online;stream.offline|Know when a channel goes live or offline
chat over IRC|irc|irc:read;irc:send|Read and send chat over Twitch IRC`;
