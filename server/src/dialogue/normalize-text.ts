// Text normalisation shared by moderation and the director's secret checks. Matching runs on
// a normalised copy only; the text a player or model wrote is never changed by it.

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '+': 't',
};

// Letters from other scripts that look like Latin ones ("сrар" in Cyrillic), and a few symbols.
const LOOKALIKE: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ƒ: 'f',
};
const LOOKALIKES = new RegExp(`[${Object.keys(LOOKALIKE).join('')}]`, 'g');

// Combining marks (U+034F among them) go with MARKS.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/g;
const MARKS = /\p{M}+/gu;
// Three or more single letters split by spaces or light punctuation: "f u c k", "k.y.s".
const SPELLED_OUT = /(?<![\p{L}\p{N}])\p{L}(?:[\s._*-]+\p{L}(?![\p{L}\p{N}])){2,}/gu;

// A word-like run of letters, digits and leet symbols; leet is read only in runs with a letter.
const TOKEN = /[\p{L}\p{N}$@!|+]+/gu;
const LETTER = /\p{L}/u;

/**
 * Lower case, compatibility forms folded (full-width letters, ligatures), accents and invisible
 * characters removed, Cyrillic and Greek lookalikes read as Latin, leetspeak read as letters ("k1ll" → "kill", "$hit" → "shit"), spelled-out
 * letters joined ("f u c k" → "fuck"), and runs of whitespace made one space. Idempotent.
 */
export function normalizeForMatch(text: string): string {
  let out = text.toLowerCase().normalize('NFKD').toLowerCase().replace(MARKS, '').replace(INVISIBLE, '');
  out = out.replace(LOOKALIKES, (c) => LOOKALIKE[c] ?? c);
  out = out.replace(TOKEN, readLeet);
  out = out.replace(SPELLED_OUT, (run) => run.replace(/[\s._*-]+/g, ''));
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Reads leetspeak in one run: only a run holding a letter ("h3ll0", not "3" or "$5"); digits,
 * `$` and `@` anywhere in it; `!`, `|` and `+` only inside it, since they end sentences ("Stop!").
 */
function readLeet(token: string): string {
  if (!LETTER.test(token)) return token;
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const c = token[i] as string;
    const inner = i > 0 && i < token.length - 1;
    const mapped = LEET[c];
    out += mapped !== undefined && (inner || !'!|+'.includes(c)) ? mapped : c;
  }
  return out;
}

/** `text` with every run of one repeated letter made a single letter ("fuuuck" → "fuck"). */
export function collapseRepeats(text: string): string {
  return text.replace(/(\p{L})\1+/gu, '$1');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A term as the matcher stores it: normalised, with its collapsed form when that is safe to use. */
interface PreparedTerm {
  exact: string;
  /** Collapsed form, only for terms of 4+ letters once collapsed ("ass" → "as" would match "as"). */
  collapsed: string | undefined;
}

function prepare(term: string): PreparedTerm {
  const exact = normalizeForMatch(term);
  const collapsed = collapseRepeats(exact);
  return { exact, collapsed: collapsed.length >= 4 ? collapsed : undefined };
}

/**
 * Builds a whole-word matcher for a list of words and phrases: a term matches only where it
 * is not part of a longer word ("Scunthorpe" does not match "cunt"). Phrases match across any
 * whitespace. `suffixes` allows plural and possessive endings ("traitors", "Mara's").
 */
export function termMatcher(terms: readonly string[], options: { suffixes?: boolean } = {}): TermMatcher {
  const prepared = terms.map(prepare).filter((t) => t.exact.length > 0);
  const end = options.suffixes ? "(?:s|es|'s)?" : '';
  const build = (words: string[]): RegExp | undefined => {
    if (words.length === 0) return undefined;
    const body = [...new Set(words)]
      .sort((a, b) => b.length - a.length)
      .map((w) => escapeRegExp(w).replace(/ /g, '\\s+'))
      .join('|');
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})${end}(?![\\p{L}\\p{N}])`, 'u');
  };
  const exact = build(prepared.map((t) => t.exact));
  const collapsed = build(prepared.flatMap((t) => (t.collapsed ? [t.collapsed] : [])));
  return new TermMatcher(exact, collapsed);
}

/** Finds listed words and phrases in normalised text; see {@link termMatcher}. */
export class TermMatcher {
  constructor(
    private readonly exact: RegExp | undefined,
    private readonly collapsed: RegExp | undefined,
  ) {}

  /** Whether `normalized` (the output of {@link normalizeForMatch}) holds one of the terms. */
  test(normalized: string): boolean {
    if (this.exact?.test(normalized)) return true;
    return this.collapsed?.test(collapseRepeats(normalized)) ?? false;
  }
}
