// JSON.stringify escapes NUL as \u0000 and an unpaired surrogate as \udXXX; jsonb rejects both,
// so a value carrying one would be accepted in memory and then fail every write.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
const UNSTORABLE_CHAR = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Serialises a value for a jsonb column (`undefined` becomes JSON null). Throws a TypeError
 * saying why when the value cannot be stored: a BigInt, a cycle, a function, a NUL character
 * or an unpaired surrogate.
 */
export function toJsonText(value: unknown): string {
  if (value === undefined) return 'null';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new TypeError(`is not JSON-serialisable: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (text === undefined) throw new TypeError(`is not JSON-serialisable: a ${typeof value} has no JSON form`);
  if (UNSTORABLE_ESCAPE.test(text)) {
    throw new TypeError(
      'holds a NUL character (\\u0000) or an unpaired UTF-16 surrogate, which PostgreSQL cannot store',
    );
  }
  return text;
}

/** Why `text` cannot go into a text column, or undefined when it can. */
export function unstorableTextReason(text: unknown, options: { allowEmpty?: boolean } = {}): string | undefined {
  if (typeof text !== 'string') return `must be a string, not ${text === null ? 'null' : typeof text}`;
  if (text === '' && !options.allowEmpty) return 'must not be empty';
  if (UNSTORABLE_CHAR.test(text)) return 'holds a NUL character or an unpaired UTF-16 surrogate';
  return undefined;
}
