import { isSpeakable } from '../common/speakable.js';
import type { StageContext } from '../media/frames.js';

export interface ClauseSplitOptions {
  /** Longest first clause, characters; kept short so the first audio leaves early. */
  firstMaxChars: number;
  /** Longest later clause, characters. */
  maxChars: number;
  /** A comma, colon or dash splits only after this many characters. */
  minChars: number;
}

export const CLAUSE_DEFAULTS: ClauseSplitOptions = { firstMaxChars: 48, maxChars: 220, minChars: 16 };

// Control characters and zero-width marks say nothing and confuse some front ends.
const INVISIBLE = new Set([0x7f, 0x2028, 0x2029, 0x2060, 0xfeff]);
const isInvisible = (code: number) =>
  (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x200b && code <= 0x200f) || INVISIBLE.has(code);
const visible = (text: string) => Array.from(text, (c) => (isInvisible(c.codePointAt(0) ?? 0) ? ' ' : c)).join('');
const SENTENCE_END = /[.!?…。！？]["')\]]*(?=\s|$)/g;
const CLAUSE_END = /[,;:—–]["')\]]*(?=\s)|\s[-–—]\s/g;

/**
 * Where the first clause of `text` ends, or -1 if more text may still extend it. The first clause
 * of a line takes the earliest boundary; later ones prefer whole sentences.
 */
function boundary(text: string, max: number, min: number, final: boolean, earliest: boolean): number {
  const scan = (re: RegExp, from: number): number => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const end = m.index + m[0].length;
      if (end > max) return -1;
      if (end >= from) return end;
    }
    return -1;
  };
  const sentence = scan(SENTENCE_END, 1);
  const clause = scan(CLAUSE_END, min);
  if (earliest && sentence > 0 && clause > 0) return Math.min(sentence, clause);
  if (sentence > 0) return sentence;
  if (clause > 0) return clause;
  if (text.length > max) {
    const space = text.lastIndexOf(' ', max);
    return space > min ? space : max;
  }
  return final ? text.length : -1;
}

/**
 * Text fragments (e.g. tokens from a dialogue model) → clauses. A clause is emitted as soon as
 * its boundary is seen; text without speakable characters is dropped.
 */
export async function* splitClauses(
  input: AsyncIterable<string>,
  _ctx: StageContext,
  options: ClauseSplitOptions = CLAUSE_DEFAULTS,
): AsyncIterable<string> {
  let buffer = '';
  let first = true;
  const drain = function* (final: boolean): Generator<string> {
    for (;;) {
      buffer = buffer.replace(/^\s+/, '');
      if (buffer === '') return;
      const end = boundary(buffer, first ? options.firstMaxChars : options.maxChars, options.minChars, final, first);
      if (end < 0) return;
      const clause = buffer.slice(0, end).replace(/\s+/g, ' ').trim();
      buffer = buffer.slice(end);
      if (isSpeakable(clause)) {
        first = false;
        yield clause;
      }
    }
  };
  for await (const fragment of input) {
    buffer += visible(fragment);
    yield* drain(false);
  }
  yield* drain(true);
}

/** A whole text as a one-fragment stream. */
export async function* textStream(text: string): AsyncIterable<string> {
  yield text;
}
