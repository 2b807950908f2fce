/**
 * Where Twitch documents what each endpoint and subscription type needs.
 *
 * @module
 */

/** Twitch's API reference page. */
export const HELIX_REFERENCE_URL = "https://dev.twitch.tv/docs/api/reference/";

/** Twitch's EventSub subscription types page. */
export const EVENTSUB_TYPES_URL =
  "https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/";
