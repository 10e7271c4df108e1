const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

type Expect = 'key' | 'colon' | 'value' | 'comma';

/**
 * Reads a JSON object as it is generated, a chunk at a time, and returns the decoded characters
 * of one top-level string field (`line` by default) as soon as they are complete. Chunks may
 * split anywhere, including inside `\"`, `\n` and `\uXXXX` escapes; a UTF-16 surrogate pair is
 * held back until both halves have arrived, so no fragment ends in half a character.
 * Other fields (nested objects, arrays, strings with braces) are skipped.
 */
export class LineExtractor {
  private depth = 0;
  private expect: Expect = 'key';
  private inString = false;
  private stringIsKey = false;
  private key = '';
  private escape: string | undefined;
  private capturing = false;
  private pendingHigh = '';
  private captured = '';
  private closed = false;

  constructor(private readonly field = 'line') {}

  /** The field's decoded value so far. */
  get line(): string {
    return this.captured;
  }

  /** True once the field's closing quote has been read. */
  get done(): boolean {
    return this.closed;
  }

  /** Feeds generated text; returns the field's newly decoded characters ('' when none). */
  push(chunk: string): string {
    let out = '';
    for (const ch of chunk) {
      if (this.inString) out += this.stringChar(ch);
      else this.structureChar(ch);
    }
    this.captured += out;
    return out;
  }

  private structureChar(ch: string): void {
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') return;
    if (ch === '"') {
      this.inString = true;
      this.stringIsKey = this.depth === 1 && this.expect === 'key';
      this.capturing = this.depth === 1 && this.expect === 'value' && this.key === this.field && !this.closed;
      if (this.stringIsKey) this.key = '';
      return;
    }
    if (ch === '{' || ch === '[') {
      this.depth++;
      if (this.depth === 1) this.expect = 'key';
      return;
    }
    if (ch === '}' || ch === ']') {
      this.depth--;
      if (this.depth === 1) this.expect = 'comma';
      return;
    }
    if (this.depth !== 1) return;
    if (ch === ':') this.expect = 'value';
    else if (ch === ',') this.expect = 'key';
    else if (this.expect === 'value') this.expect = 'comma'; // number, true, false, null
  }

  /** One character inside a string; returns decoded text when capturing. */
  private stringChar(ch: string): string {
    if (this.escape !== undefined) return this.escapeChar(ch);
    if (ch === '\\') {
      this.escape = '';
      return '';
    }
    if (ch === '"') {
      this.inString = false;
      if (this.stringIsKey) this.expect = 'colon';
      else if (this.depth === 1) this.expect = 'comma';
      if (this.capturing) {
        this.capturing = false;
        this.closed = true;
        const rest = this.pendingHigh;
        this.pendingHigh = '';
        return rest;
      }
      return '';
    }
    return this.emit(ch);
  }

  private escapeChar(ch: string): string {
    const seq = (this.escape ?? '') + ch;
    if (seq[0] === 'u') {
      if (seq.length < 5) {
        this.escape = seq;
        return '';
      }
      this.escape = undefined;
      return this.emit(String.fromCharCode(Number.parseInt(seq.slice(1), 16)));
    }
    this.escape = undefined;
    return this.emit(ESCAPES[ch] ?? ch);
  }

  /** Adds one decoded character to the key or the captured value. */
  private emit(ch: string): string {
    if (this.stringIsKey) {
      this.key += ch;
      return '';
    }
    if (!this.capturing) return '';
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdbff) {
      const held = this.pendingHigh;
      this.pendingHigh = ch;
      return held;
    }
    const text = this.pendingHigh + ch;
    this.pendingHigh = '';
    return text;
  }
}
