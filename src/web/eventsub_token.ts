/**
 * Which token an EventSub subscription takes on each transport, and which
 * scopes the user(s) must have authorized.
 *
 * @module
 */

import { findEntry } from "./_resolve_need.ts";
import { InvalidArgumentError } from "./errors.ts";
import { EVENTSUB_TYPES_URL } from "./_twitch_docs.ts";
import { scopeRequirements } from "./scope_requirements.ts";
import type { AuthScope } from "./scopes.ts";

/**
 * How EventSub delivers notifications.
 *
 * @example Ask for each transport
 * ```ts
 * import { eventSubTokenFor, type EventSubTransport } from "@x/twitch-auth";
 *
 * for (const transport of ["webhook", "websocket", "conduit"] as EventSubTransport[]) {
 *   console.log(transport, (await eventSubTokenFor("stream.online", transport)).token);
 * }
 * ```
 */
export type EventSubTransport = "webhook" | "websocket" | "conduit";

/**
 * The answer of {@linkcode eventSubTokenFor}.
 *
 * @example Print who must authorize what
 * ```ts
 * import { eventSubTokenFor, type EventSubTokenAdvice } from "@x/twitch-auth";
 *
 * const advice: EventSubTokenAdvice = await eventSubTokenFor("channel.raid", "webhook");
 * console.log(advice.token, advice.notes.join(" "));
 * ```
 */
export interface EventSubTokenAdvice {
  /** The subscription type. */
  readonly type: string;
  /** Its version. */
  readonly version: string;
  /** The transport asked about. */
  readonly transport: EventSubTransport;
  /**
   * The token to create the subscription with: a user token on WebSockets,
   * an app token on webhooks and conduits.
   */
  readonly token: "app" | "user";
  /**
   * The scopes that must have been authorized: on a WebSocket, in the user
   * token itself; with an app token, by the user(s) through a prior sign-in
   * of the same app (client ID). Where Twitch accepts any one of several
   * scopes, the narrowest.
   */
  readonly scopes: readonly AuthScope[];
  /** Who must have authorized which scopes, in a sentence per rule. */
  readonly notes: readonly string[];
  /** Twitch's page for the type. */
  readonly source: string;
}

/**
 * Which token an EventSub subscription takes on a transport and which scopes
 * must have been authorized. WebSockets take a user token that carries the
 * scopes; webhooks and conduits take an app token, and the user in the
 * condition must have authorized the scopes for the same client ID before.
 * Chat types on an app token also need `user:bot` from the chatting user and
 * `channel:bot` from the broadcaster (unless the chatting user is a
 * moderator there).
 *
 * @param type An EventSub type, `"channel.follow"` (the latest version) or
 * `"channel.follow@2"`.
 * @param transport `"webhook"`, `"websocket"` or `"conduit"`.
 * @returns The token kind, the scopes and who must have authorized them.
 * @throws {InvalidArgumentError} for an unknown type or transport, or a type
 * the transport does not carry (app-only types on a WebSocket,
 * `drop.entitlement.grant` off webhooks).
 *
 * @example WebSocket: the user's own token
 * ```ts
 * import { eventSubTokenFor } from "@x/twitch-auth";
 *
 * const advice = await eventSubTokenFor("channel.follow", "websocket");
 * console.log(advice.token, advice.scopes); // "user" ["moderator:read:followers"]
 * ```
 *
 * @example Webhook: an app token, the broadcaster authorized before
 * ```ts
 * import { eventSubTokenFor } from "@x/twitch-auth";
 *
 * const advice = await eventSubTokenFor("channel.subscribe", "webhook");
 * console.log(advice.token, advice.scopes); // "app" ["channel:read:subscriptions"]
 * ```
 *
 * @example Conduit: a chat bot on an app token
 * ```ts
 * import { eventSubTokenFor } from "@x/twitch-auth";
 *
 * const advice = await eventSubTokenFor("channel.chat.message", "conduit");
 * console.log(advice.scopes); // ["user:read:chat", "user:bot", "channel:bot"]
 * console.log(advice.notes.join("\n"));
 * ```
 */
export async function eventSubTokenFor(
  type: string,
  transport: EventSubTransport,
): Promise<EventSubTokenAdvice> {
  if (!["webhook", "websocket", "conduit"].includes(transport)) {
    throw new InvalidArgumentError(
      `Unknown EventSub transport "${transport}": use "webhook", "websocket" or "conduit"`,
    );
  }
  const entry = typeof type === "string"
    ? findEntry(type, await scopeRequirements())
    : undefined;
  if (!entry || entry.api !== "eventsub") {
    throw new InvalidArgumentError(
      `Unknown EventSub type "${type}": see ${EVENTSUB_TYPES_URL} for the types and versions`,
    );
  }
  if (entry.token === "app" && transport === "websocket") {
    throw new InvalidArgumentError(
      `${entry.name} takes an app access token, which WebSockets do not accept: use a webhook or a conduit`,
    );
  }
  if (entry.webhookOnly && transport !== "webhook") {
    throw new InvalidArgumentError(
      `${entry.name} is delivered to webhooks only`,
    );
  }
  const scopes = entry.scopes.map((group) => group[0]);
  const notes: string[] = [];
  let token: "app" | "user";
  if (transport === "websocket") {
    token = "user";
    notes.push(
      scopes.length > 0
        ? `Create the subscription with the user token of the user in the condition; it must carry ${
          scopes.join(", ")
        }.`
        : "Create the subscription with any user token of the app; no scope is needed.",
    );
  } else {
    token = "app";
    if (scopes.length > 0) {
      notes.push(
        `Create the subscription with an app token; the user in the condition must have authorized ${
          scopes.join(", ")
        } for this client ID before (a sign-in with those scopes).`,
      );
    } else {
      notes.push(
        "Create the subscription with an app token; no scope is needed.",
      );
    }
    if (entry.chat) {
      scopes.push("user:bot", "channel:bot");
      notes.push(
        "Chat on an app token: the chatting user (the bot) must have authorized user:bot, and the broadcaster channel:bot unless the bot is a moderator in that channel.",
      );
    }
  }
  return {
    type: entry.name,
    version: entry.version!,
    transport,
    token,
    scopes,
    notes,
    source: entry.source,
  };
}
