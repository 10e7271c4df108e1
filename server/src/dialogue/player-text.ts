// Player text is untrusted: it reaches the model only after this file has cleaned, capped and
// quoted it. Authored text (personas, scenes) does not pass through here.

/**
 * The most characters of one player line that reach the model. A typed or transcribed line in
 * play is a sentence or two; 500 characters is about 80 words, several times that. Longer lines
 * are cut (at a word boundary when one is near) and the prompt says so.
 */
export const PLAYER_LINE_MAX_CHARS = 500;

/** Delimiters around player text in the prompt; `<` and `>` never survive inside player text. */
export const PLAYER_OPEN = '<player>';
export const PLAYER_CLOSE = '</player>';

/** What cleaning did to one line. */
export interface CleanedText {
  text: string;
  /** Characters in the line as received. */
  receivedChars: number;
  /** The line was longer than the cap and was cut. */
  truncated: boolean;
  /** Control, invisible or direction-override characters removed, or an unpaired surrogate. */
  removedControl: boolean;
}

// C0 and C1 controls and DEL (tab and line breaks become spaces first), soft hyphen, zero-width
// and joiner characters, bidirectional overrides and isolates, BOM, and unpaired surrogates.
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Cleans one line of player text: tabs and line breaks become spaces; control and invisible
 * characters are removed; `<` and `>` become `‹` and `›` (so the text cannot close its own quote
 * or forge a chat-template tag); whitespace runs become one space; the result is at most
 * `maxChars` UTF-16 units.
 */
export function cleanPlayerText(input: unknown, maxChars = PLAYER_LINE_MAX_CHARS): CleanedText {
  const raw = typeof input === 'string' ? input : '';
  // Work on a bounded slice so a megabyte line costs no more than a long one.
  const head = raw.length > maxChars * 4 ? raw.slice(0, maxChars * 4) : raw;
  const spaced = head.replace(/[\t\n\r\v\f\u2028\u2029]/g, ' ');
  const stripped = spaced.replace(CONTROL, '');
  const text = stripped.normalize('NFC').replace(/</g, '‹').replace(/>/g, '›').replace(/\s+/g, ' ').trim();
  const cut = cutAt(text, maxChars);
  return {
    text: cut,
    receivedChars: raw.length,
    truncated: cut.length < text.length || head.length < raw.length,
    removedControl: stripped.length !== spaced.length,
  };
}

/** `text` cut to at most `max` units, at the last space in its final 40 units when there is one. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const space = text.lastIndexOf(' ', max);
  if (space > max - 40 && space > 0) end = space;
  // Never split a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd();
}

/** Player text inside its delimiters, as it goes into a prompt. */
export function quotePlayer(text: string): string {
  return `${PLAYER_OPEN}${text}${PLAYER_CLOSE}`;
}
