/**
 * Every OAuth scope Twitch documents, as a constant per scope and a
 * one-line description of what it grants.
 *
 * @module
 */

/**
 * Twitch's OAuth scopes. Use a member (`AuthScope.BITS_READ`) or the plain
 * string (`"bits:read"`): both have the type {@linkcode AuthScope}.
 *
 * @example Ask for two scopes
 * ```ts
 * import { AuthScope } from "@x/twitch-auth";
 *
 * const scopes: AuthScope[] = [AuthScope.BITS_READ, "chat:read"];
 * ```
 */
export const AuthScope = {
  /** `analytics:read:extensions`: View analytics data for the Twitch Extensions owned by the authenticated account. */
  ANALYTICS_READ_EXTENSIONS: "analytics:read:extensions",
  /** `analytics:read:games`: View analytics data for the games owned by the authenticated account. */
  ANALYTICS_READ_GAMES: "analytics:read:games",
  /** `bits:read`: View Bits information for a channel. */
  BITS_READ: "bits:read",
  /** `channel:bot`: Join your channel's chat as a bot user and perform chat-related actions as that user. */
  CHANNEL_BOT: "channel:bot",
  /** `channel:edit:commercial`: Run commercials on a channel. */
  CHANNEL_EDIT_COMMERCIAL: "channel:edit:commercial",
  /** `channel:manage:ads`: Manage the ads schedule on a channel. */
  CHANNEL_MANAGE_ADS: "channel:manage:ads",
  /** `channel:manage:broadcast`: Manage a channel's broadcast configuration, including stream markers and stream tags. */
  CHANNEL_MANAGE_BROADCAST: "channel:manage:broadcast",
  /** `channel:manage:clips`: Manage Clips for a channel. */
  CHANNEL_MANAGE_CLIPS: "channel:manage:clips",
  /** `channel:manage:extensions`: Manage a channel's Extension configuration, including activating Extensions. */
  CHANNEL_MANAGE_EXTENSIONS: "channel:manage:extensions",
  /** `channel:manage:guest_star`: Manage Guest Star for your channel. */
  CHANNEL_MANAGE_GUEST_STAR: "channel:manage:guest_star",
  /** `channel:manage:moderators`: Add or remove the moderator role from users in your channel. */
  CHANNEL_MANAGE_MODERATORS: "channel:manage:moderators",
  /** `channel:manage:polls`: Manage a channel's polls. */
  CHANNEL_MANAGE_POLLS: "channel:manage:polls",
  /** `channel:manage:predictions`: Manage a channel's Channel Points Predictions. */
  CHANNEL_MANAGE_PREDICTIONS: "channel:manage:predictions",
  /** `channel:manage:raids`: Manage a channel raiding another channel. */
  CHANNEL_MANAGE_RAIDS: "channel:manage:raids",
  /** `channel:manage:redemptions`: Manage Channel Points custom rewards and their redemptions on a channel. */
  CHANNEL_MANAGE_REDEMPTIONS: "channel:manage:redemptions",
  /** `channel:manage:schedule`: Manage a channel's stream schedule. */
  CHANNEL_MANAGE_SCHEDULE: "channel:manage:schedule",
  /** `channel:manage:videos`: Manage a channel's videos, including deleting videos. */
  CHANNEL_MANAGE_VIDEOS: "channel:manage:videos",
  /** `channel:manage:vips`: Add or remove the VIP role from users in your channel. */
  CHANNEL_MANAGE_VIPS: "channel:manage:vips",
  /** `channel:moderate`: Perform moderation actions in a channel. */
  CHANNEL_MODERATE: "channel:moderate",
  /** `channel:read:ads`: Read the ads schedule and details on your channel. */
  CHANNEL_READ_ADS: "channel:read:ads",
  /** `channel:read:charity`: Read charity campaign details and user donations on your channel. */
  CHANNEL_READ_CHARITY: "channel:read:charity",
  /** `channel:read:editors`: View a list of users with the editor role for a channel. */
  CHANNEL_READ_EDITORS: "channel:read:editors",
  /** `channel:read:goals`: View Creator Goals for a channel. */
  CHANNEL_READ_GOALS: "channel:read:goals",
  /** `channel:read:guest_star`: Read Guest Star details for your channel. */
  CHANNEL_READ_GUEST_STAR: "channel:read:guest_star",
  /** `channel:read:hype_train`: View Hype Train information for a channel. */
  CHANNEL_READ_HYPE_TRAIN: "channel:read:hype_train",
  /** `channel:read:polls`: View a channel's polls. */
  CHANNEL_READ_POLLS: "channel:read:polls",
  /** `channel:read:predictions`: View a channel's Channel Points Predictions. */
  CHANNEL_READ_PREDICTIONS: "channel:read:predictions",
  /** `channel:read:redemptions`: View Channel Points custom rewards and their redemptions on a channel. */
  CHANNEL_READ_REDEMPTIONS: "channel:read:redemptions",
  /** `channel:read:stream_key`: View an authorized user's stream key. */
  CHANNEL_READ_STREAM_KEY: "channel:read:stream_key",
  /** `channel:read:subscriptions`: View a channel's subscribers and check whether a user is subscribed to it. */
  CHANNEL_READ_SUBSCRIPTIONS: "channel:read:subscriptions",
  /** `channel:read:vips`: Read the list of VIPs in your channel. */
  CHANNEL_READ_VIPS: "channel:read:vips",
  /** `clips:edit`: Manage Clips for a channel. */
  CLIPS_EDIT: "clips:edit",
  /** `editor:manage:clips`: Manage Clips as an editor. */
  EDITOR_MANAGE_CLIPS: "editor:manage:clips",
  /** `moderation:read`: View a channel's moderation data: moderators, bans, timeouts and AutoMod settings. */
  MODERATION_READ: "moderation:read",
  /** `moderator:manage:announcements`: Send announcements in channels where you have the moderator role. */
  MODERATOR_MANAGE_ANNOUNCEMENTS: "moderator:manage:announcements",
  /** `moderator:manage:automod`: Manage messages held for review by AutoMod in channels where you are a moderator. */
  MODERATOR_MANAGE_AUTOMOD: "moderator:manage:automod",
  /** `moderator:manage:automod_settings`: Manage a broadcaster's AutoMod settings. */
  MODERATOR_MANAGE_AUTOMOD_SETTINGS: "moderator:manage:automod_settings",
  /** `moderator:manage:banned_users`: Ban and unban users. */
  MODERATOR_MANAGE_BANNED_USERS: "moderator:manage:banned_users",
  /** `moderator:manage:blocked_terms`: Manage a broadcaster's list of blocked terms. */
  MODERATOR_MANAGE_BLOCKED_TERMS: "moderator:manage:blocked_terms",
  /** `moderator:manage:chat_messages`: Delete chat messages in channels where you have the moderator role. */
  MODERATOR_MANAGE_CHAT_MESSAGES: "moderator:manage:chat_messages",
  /** `moderator:manage:chat_settings`: Manage a broadcaster's chat room settings. */
  MODERATOR_MANAGE_CHAT_SETTINGS: "moderator:manage:chat_settings",
  /** `moderator:manage:guest_star`: Manage Guest Star for channels where you are a Guest Star moderator. */
  MODERATOR_MANAGE_GUEST_STAR: "moderator:manage:guest_star",
  /** `moderator:manage:shield_mode`: Manage a broadcaster's Shield Mode status. */
  MODERATOR_MANAGE_SHIELD_MODE: "moderator:manage:shield_mode",
  /** `moderator:manage:shoutouts`: Manage a broadcaster's shoutouts. */
  MODERATOR_MANAGE_SHOUTOUTS: "moderator:manage:shoutouts",
  /** `moderator:manage:suspicious_users`: Manage suspicious user statuses in channels where the user has the moderator role. */
  MODERATOR_MANAGE_SUSPICIOUS_USERS: "moderator:manage:suspicious_users",
  /** `moderator:manage:unban_requests`: Manage a broadcaster's unban requests. */
  MODERATOR_MANAGE_UNBAN_REQUESTS: "moderator:manage:unban_requests",
  /** `moderator:manage:warnings`: Warn users in channels where you have the moderator role. */
  MODERATOR_MANAGE_WARNINGS: "moderator:manage:warnings",
  /** `moderator:read:automod_settings`: View a broadcaster's AutoMod settings. */
  MODERATOR_READ_AUTOMOD_SETTINGS: "moderator:read:automod_settings",
  /** `moderator:read:banned_users`: Read the list of bans or unbans in channels where you have the moderator role. */
  MODERATOR_READ_BANNED_USERS: "moderator:read:banned_users",
  /** `moderator:read:blocked_terms`: View a broadcaster's list of blocked terms. */
  MODERATOR_READ_BLOCKED_TERMS: "moderator:read:blocked_terms",
  /** `moderator:read:chat_messages`: Read deleted chat messages in channels where you have the moderator role. */
  MODERATOR_READ_CHAT_MESSAGES: "moderator:read:chat_messages",
  /** `moderator:read:chat_settings`: View a broadcaster's chat room settings. */
  MODERATOR_READ_CHAT_SETTINGS: "moderator:read:chat_settings",
  /** `moderator:read:chatters`: View the chatters in a broadcaster's chat room. */
  MODERATOR_READ_CHATTERS: "moderator:read:chatters",
  /** `moderator:read:followers`: Read the followers of a broadcaster. */
  MODERATOR_READ_FOLLOWERS: "moderator:read:followers",
  /** `moderator:read:guest_star`: Read Guest Star details for channels where you are a Guest Star moderator. */
  MODERATOR_READ_GUEST_STAR: "moderator:read:guest_star",
  /** `moderator:read:moderators`: Read the list of moderators in channels where you have the moderator role. */
  MODERATOR_READ_MODERATORS: "moderator:read:moderators",
  /** `moderator:read:shield_mode`: View a broadcaster's Shield Mode status. */
  MODERATOR_READ_SHIELD_MODE: "moderator:read:shield_mode",
  /** `moderator:read:shoutouts`: View a broadcaster's shoutouts. */
  MODERATOR_READ_SHOUTOUTS: "moderator:read:shoutouts",
  /** `moderator:read:suspicious_users`: Read messages from and see users flagged as suspicious in channels where you are a moderator. */
  MODERATOR_READ_SUSPICIOUS_USERS: "moderator:read:suspicious_users",
  /** `moderator:read:unban_requests`: View a broadcaster's unban requests. */
  MODERATOR_READ_UNBAN_REQUESTS: "moderator:read:unban_requests",
  /** `moderator:read:vips`: Read the list of VIPs in channels where you have the moderator role. */
  MODERATOR_READ_VIPS: "moderator:read:vips",
  /** `moderator:read:warnings`: Read warnings in channels where you have the moderator role. */
  MODERATOR_READ_WARNINGS: "moderator:read:warnings",
  /** `user:bot`: Join a chat channel as your user, appear as a bot, and perform chat-related actions as your user. */
  USER_BOT: "user:bot",
  /** `user:edit`: Manage a user object. */
  USER_EDIT: "user:edit",
  /** `user:edit:broadcast`: View and edit a user's broadcasting configuration, including Extension configurations. */
  USER_EDIT_BROADCAST: "user:edit:broadcast",
  /** `user:edit:follows`: Manage the channels a user follows (deprecated by Twitch). */
  USER_EDIT_FOLLOWS: "user:edit:follows",
  /** `user:manage:blocked_users`: Manage the block list of a user. */
  USER_MANAGE_BLOCKED_USERS: "user:manage:blocked_users",
  /** `user:manage:chat_color`: Update the color used for the user's name in chat. */
  USER_MANAGE_CHAT_COLOR: "user:manage:chat_color",
  /** `user:manage:whispers`: Read whispers that you send and receive, and send whispers on your behalf. */
  USER_MANAGE_WHISPERS: "user:manage:whispers",
  /** `user:read:blocked_users`: View the block list of a user. */
  USER_READ_BLOCKED_USERS: "user:read:blocked_users",
  /** `user:read:broadcast`: View a user's broadcasting configuration, including Extension configurations. */
  USER_READ_BROADCAST: "user:read:broadcast",
  /** `user:read:chat`: Receive chat messages and notifications relating to a channel's chat room. */
  USER_READ_CHAT: "user:read:chat",
  /** `user:read:email`: View a user's email address. */
  USER_READ_EMAIL: "user:read:email",
  /** `user:read:emotes`: View the emotes available to a user. */
  USER_READ_EMOTES: "user:read:emotes",
  /** `user:read:follows`: View the list of channels a user follows. */
  USER_READ_FOLLOWS: "user:read:follows",
  /** `user:read:moderated_channels`: Read the list of channels you have moderator privileges in. */
  USER_READ_MODERATED_CHANNELS: "user:read:moderated_channels",
  /** `user:read:subscriptions`: View whether an authorized user is subscribed to specific channels. */
  USER_READ_SUBSCRIPTIONS: "user:read:subscriptions",
  /** `user:read:whispers`: Receive whispers sent to your user. */
  USER_READ_WHISPERS: "user:read:whispers",
  /** `user:write:chat`: Send chat messages to a chat room. */
  USER_WRITE_CHAT: "user:write:chat",
  /** `whispers:edit`: Send whisper messages (IRC). */
  WHISPERS_EDIT: "whispers:edit",
  /** `whispers:read`: View your whisper messages (IRC). */
  WHISPERS_READ: "whispers:read",
  /** `chat:edit`: Send chat messages to a chat room over IRC. */
  CHAT_EDIT: "chat:edit",
  /** `chat:read`: View chat messages sent in a chat room over IRC. */
  CHAT_READ: "chat:read",
  /** `channel_subscriptions`: Read a channel's subscribers (legacy v5 scope, still accepted). */
  CHANNEL_SUBSCRIPTIONS: "channel_subscriptions",
  /** `openid`: Use OpenID Connect: an ID token and the /userinfo claims of the user. */
  OPENID: "openid",
} as const;

/** One of Twitch's OAuth scopes, such as `"bits:read"`. */
export type AuthScope = typeof AuthScope[keyof typeof AuthScope];

/**
 * What each scope grants, in Twitch's words, for help texts and consent
 * screens.
 *
 * @example Describe a scope
 * ```ts
 * import { SCOPE_DESCRIPTIONS } from "@x/twitch-auth";
 *
 * console.log(SCOPE_DESCRIPTIONS["bits:read"]);
 * ```
 */
export const SCOPE_DESCRIPTIONS: Readonly<Record<AuthScope, string>> = {
  "analytics:read:extensions":
    "View analytics data for the Twitch Extensions owned by the authenticated account.",
  "analytics:read:games":
    "View analytics data for the games owned by the authenticated account.",
  "bits:read": "View Bits information for a channel.",
  "channel:bot":
    "Join your channel's chat as a bot user and perform chat-related actions as that user.",
  "channel:edit:commercial": "Run commercials on a channel.",
  "channel:manage:ads": "Manage the ads schedule on a channel.",
  "channel:manage:broadcast":
    "Manage a channel's broadcast configuration, including stream markers and stream tags.",
  "channel:manage:clips": "Manage Clips for a channel.",
  "channel:manage:extensions":
    "Manage a channel's Extension configuration, including activating Extensions.",
  "channel:manage:guest_star": "Manage Guest Star for your channel.",
  "channel:manage:moderators":
    "Add or remove the moderator role from users in your channel.",
  "channel:manage:polls": "Manage a channel's polls.",
  "channel:manage:predictions":
    "Manage a channel's Channel Points Predictions.",
  "channel:manage:raids": "Manage a channel raiding another channel.",
  "channel:manage:redemptions":
    "Manage Channel Points custom rewards and their redemptions on a channel.",
  "channel:manage:schedule": "Manage a channel's stream schedule.",
  "channel:manage:videos":
    "Manage a channel's videos, including deleting videos.",
  "channel:manage:vips":
    "Add or remove the VIP role from users in your channel.",
  "channel:moderate": "Perform moderation actions in a channel.",
  "channel:read:ads": "Read the ads schedule and details on your channel.",
  "channel:read:charity":
    "Read charity campaign details and user donations on your channel.",
  "channel:read:editors":
    "View a list of users with the editor role for a channel.",
  "channel:read:goals": "View Creator Goals for a channel.",
  "channel:read:guest_star": "Read Guest Star details for your channel.",
  "channel:read:hype_train": "View Hype Train information for a channel.",
  "channel:read:polls": "View a channel's polls.",
  "channel:read:predictions": "View a channel's Channel Points Predictions.",
  "channel:read:redemptions":
    "View Channel Points custom rewards and their redemptions on a channel.",
  "channel:read:stream_key": "View an authorized user's stream key.",
  "channel:read:subscriptions":
    "View a channel's subscribers and check whether a user is subscribed to it.",
  "channel:read:vips": "Read the list of VIPs in your channel.",
  "clips:edit": "Manage Clips for a channel.",
  "editor:manage:clips": "Manage Clips as an editor.",
  "moderation:read":
    "View a channel's moderation data: moderators, bans, timeouts and AutoMod settings.",
  "moderator:manage:announcements":
    "Send announcements in channels where you have the moderator role.",
  "moderator:manage:automod":
    "Manage messages held for review by AutoMod in channels where you are a moderator.",
  "moderator:manage:automod_settings":
    "Manage a broadcaster's AutoMod settings.",
  "moderator:manage:banned_users": "Ban and unban users.",
  "moderator:manage:blocked_terms":
    "Manage a broadcaster's list of blocked terms.",
  "moderator:manage:chat_messages":
    "Delete chat messages in channels where you have the moderator role.",
  "moderator:manage:chat_settings":
    "Manage a broadcaster's chat room settings.",
  "moderator:manage:guest_star":
    "Manage Guest Star for channels where you are a Guest Star moderator.",
  "moderator:manage:shield_mode": "Manage a broadcaster's Shield Mode status.",
  "moderator:manage:shoutouts": "Manage a broadcaster's shoutouts.",
  "moderator:manage:suspicious_users":
    "Manage suspicious user statuses in channels where the user has the moderator role.",
  "moderator:manage:unban_requests": "Manage a broadcaster's unban requests.",
  "moderator:manage:warnings":
    "Warn users in channels where you have the moderator role.",
  "moderator:read:automod_settings": "View a broadcaster's AutoMod settings.",
  "moderator:read:banned_users":
    "Read the list of bans or unbans in channels where you have the moderator role.",
  "moderator:read:blocked_terms": "View a broadcaster's list of blocked terms.",
  "moderator:read:chat_messages":
    "Read deleted chat messages in channels where you have the moderator role.",
  "moderator:read:chat_settings": "View a broadcaster's chat room settings.",
  "moderator:read:chatters": "View the chatters in a broadcaster's chat room.",
  "moderator:read:followers": "Read the followers of a broadcaster.",
  "moderator:read:guest_star":
    "Read Guest Star details for channels where you are a Guest Star moderator.",
  "moderator:read:moderators":
    "Read the list of moderators in channels where you have the moderator role.",
  "moderator:read:shield_mode": "View a broadcaster's Shield Mode status.",
  "moderator:read:shoutouts": "View a broadcaster's shoutouts.",
  "moderator:read:suspicious_users":
    "Read messages from and see users flagged as suspicious in channels where you are a moderator.",
  "moderator:read:unban_requests": "View a broadcaster's unban requests.",
  "moderator:read:vips":
    "Read the list of VIPs in channels where you have the moderator role.",
  "moderator:read:warnings":
    "Read warnings in channels where you have the moderator role.",
  "user:bot":
    "Join a chat channel as your user, appear as a bot, and perform chat-related actions as your user.",
  "user:edit": "Manage a user object.",
  "user:edit:broadcast":
    "View and edit a user's broadcasting configuration, including Extension configurations.",
  "user:edit:follows":
    "Manage the channels a user follows (deprecated by Twitch).",
  "user:manage:blocked_users": "Manage the block list of a user.",
  "user:manage:chat_color":
    "Update the color used for the user's name in chat.",
  "user:manage:whispers":
    "Read whispers that you send and receive, and send whispers on your behalf.",
  "user:read:blocked_users": "View the block list of a user.",
  "user:read:broadcast":
    "View a user's broadcasting configuration, including Extension configurations.",
  "user:read:chat":
    "Receive chat messages and notifications relating to a channel's chat room.",
  "user:read:email": "View a user's email address.",
  "user:read:emotes": "View the emotes available to a user.",
  "user:read:follows": "View the list of channels a user follows.",
  "user:read:moderated_channels":
    "Read the list of channels you have moderator privileges in.",
  "user:read:subscriptions":
    "View whether an authorized user is subscribed to specific channels.",
  "user:read:whispers": "Receive whispers sent to your user.",
  "user:write:chat": "Send chat messages to a chat room.",
  "whispers:edit": "Send whisper messages (IRC).",
  "whispers:read": "View your whisper messages (IRC).",
  "chat:edit": "Send chat messages to a chat room over IRC.",
  "chat:read": "View chat messages sent in a chat room over IRC.",
  "channel_subscriptions":
    "Read a channel's subscribers (legacy v5 scope, still accepted).",
  "openid":
    "Use OpenID Connect: an ID token and the /userinfo claims of the user.",
};
