// Internal: makes text from a server or a URL safe to put in an error message.

/** How many characters of outside text an error message keeps. */
export const MAX_TEXT_LENGTH = 300;

// C0 and C1 controls, DEL, and the bidirectional marks and overrides that
// can reorder what a terminal shows (U+061C, U+200E-200F, U+202A-202E,
// U+2066-2069), plus the characters that show nothing and can hide text or
// split a secret so that it no longer matches: zero-width ones, the soft
// hyphen (U+00AD), the combining grapheme joiner (U+034F), the Mongolian
// vowel separator (U+180E).
const UNPRINTABLE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Drops control, bidirectional and invisible characters, removes every
 * secret (as sent, URL-encoded as a form sends it, in any letter case, and
 * with invisible characters inside: those are dropped first), and cuts the
 * result to {@linkcode MAX_TEXT_LENGTH} characters.
 *
 * @param text Text from a server or a URL.
 * @param secrets The secrets the request carried.
 * @returns Text that is safe to print.
 */
export function cleanText(
  text: string,
  secrets: readonly string[] = [],
): string {
  let clean = text.replace(UNPRINTABLE, "");
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const form of secretForms(secret)) {
      clean = clean.replace(new RegExp(escapeRegExp(form), "gi"), "[redacted]");
    }
  }
  return clean.length > MAX_TEXT_LENGTH
    ? `${clean.slice(0, MAX_TEXT_LENGTH)}…`
    : clean;
}

/** A secret as sent, as a form or URL encodes it, and without what {@linkcode UNPRINTABLE} drops. */
function secretForms(secret: string): string[] {
  const forms = new Set([
    secret,
    secret.replace(UNPRINTABLE, ""),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]);
  forms.delete("");
  // longest first, so a form that contains another is removed whole
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every regular expression metacharacter escaped. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
