import { EMOTIONS, GESTURES, INTENTS } from '@stagecraft/protocol';
import { z } from 'zod';
import { type DialogueReply } from './dialogue.js';

/**
 * Intensities the grammar allows. node-llama-cpp's JSON-schema grammar has no `minimum` /
 * `maximum` for numbers, so 0..1 is spelled out as tenths.
 */
export const INTENSITY_STEPS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/** The fields a reply cut by the token limit gets, after the line that was streamed. */
export const DEFAULT_REPLY_FIELDS: Omit<DialogueReply, 'line'> = {
  emotion: 'neutral',
  intensity: 0.5,
  gesture: 'none',
  intent: 'inform',
};

/**
 * JSON schema of a reply, for `llama.createGrammarForJsonSchema`. `line` comes first so that the
 * voice can start on it while the model is still writing the other fields.
 */
export function replySchema(maxLineChars: number) {
  return {
    type: 'object',
    properties: {
      line: { type: 'string', maxLength: maxLineChars },
      emotion: { enum: [...EMOTIONS] },
      intensity: { enum: [...INTENSITY_STEPS] },
      gesture: { enum: [...GESTURES] },
      intent: { enum: [...INTENTS] },
    },
    required: ['line', 'emotion', 'intensity', 'gesture', 'intent'],
    additionalProperties: false,
  } as const;
}

const replyShape = z.object({
  line: z.string(),
  emotion: z.enum(EMOTIONS),
  intensity: z.number().min(0).max(1),
  gesture: z.enum(GESTURES),
  intent: z.enum(INTENTS),
});

/** Parses a model's whole output; a reason string when it is not a valid reply. */
export function parseReply(text: string): DialogueReply | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON (${(err as Error).message})` };
  }
  const result = replyShape.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return { error: `field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
}
