import { Channel } from '../../media/channel.js';
import { DialogueError, type DialogueEvent, type PromptRead } from './dialogue.js';
import { LineExtractor } from './line-extractor.js';
import { DEFAULT_REPLY_FIELDS, parseReply } from './reply-schema.js';

/**
 * One generation's callbacks (tokens, text chunks, the end) turned into the engine's event
 * stream: `text` events carry the `line` field as it is decoded, then one `reply`. An abort
 * ends the stream at once, without waiting for the model to notice it between two tokens.
 */
export class LlamaGeneration {
  private readonly channel = new Channel<DialogueEvent | DialogueError>();
  private readonly extractor = new LineExtractor();
  private tokenCount = 0;
  private firstTokenMs: number | undefined;

  constructor(
    private readonly engine: string,
    private readonly signal: AbortSignal,
    /** `performance.now()` when the request arrived. */
    private readonly startedMs: number,
    /** What the prompt of this generation asked to be read. */
    private readonly prompt?: PromptRead,
  ) {
    const onAbort = () => this.end(new DialogueError(engine, 'aborted', 'generation aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }

  /** Counts generated tokens; true for the first, which ends the prompt's reading. */
  tokens(count: number): boolean {
    const first = this.firstTokenMs === undefined;
    this.firstTokenMs ??= performance.now() - this.startedMs;
    this.tokenCount += count;
    return first;
  }

  /** Feeds generated text; the line's new characters become a `text` event. */
  text(chunk: string): void {
    const wasDone = this.extractor.done;
    const text = this.extractor.push(chunk);
    const last = !wasDone && this.extractor.done;
    if (text !== '' || last) this.channel.push(last ? { kind: 'text', text, last } : { kind: 'text', text });
  }

  /** The whole output; `cut` when the token limit stopped it. */
  finish(output: string, cut: boolean): void {
    const parsed = parseReply(output);
    const totalMs = performance.now() - this.startedMs;
    const stats = {
      tokens: this.tokenCount,
      firstTokenMs: this.firstTokenMs ?? totalMs,
      totalMs,
      ...(this.prompt ? { prompt: this.prompt } : {}),
    };
    if (!('error' in parsed)) {
      this.end({ kind: 'reply', reply: parsed, ...stats });
    } else if (cut && this.extractor.line.trim() !== '') {
      const reply = { line: this.extractor.line, ...DEFAULT_REPLY_FIELDS };
      this.end({ kind: 'reply', reply, ...stats, truncated: true });
    } else {
      const why = cut ? `the token limit cut the reply before its line (${this.tokenCount} tokens)` : parsed.error;
      this.end(new DialogueError(this.engine, 'bad-output', `unusable reply: ${why}`, true));
    }
  }

  /** The generation threw. */
  fail(err: unknown): void {
    if (this.signal.aborted) this.end(new DialogueError(this.engine, 'aborted', 'generation aborted'));
    else if (err instanceof DialogueError) this.end(err);
    else
      this.end(
        new DialogueError(this.engine, 'engine-failed', `generation failed: ${String(err)}`, true, { cause: err }),
      );
  }

  /** The events, ending with the reply; throws the generation's DialogueError. */
  async *events(): AsyncIterable<DialogueEvent> {
    for await (const item of this.channel) {
      if (item instanceof DialogueError) throw item;
      yield item;
    }
  }

  private end(last: DialogueEvent | DialogueError): void {
    this.channel.push(last);
    this.channel.close();
  }
}
