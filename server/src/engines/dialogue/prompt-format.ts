import {
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaModel,
  LlamaText,
  resolveChatWrapper,
  SpecialToken,
} from 'node-llama-cpp';
import type { DialoguePrompt } from './dialogue.js';

/** How a model wants its prompt: through its chat template, or as plain text to continue. */
export type PromptFormat = { kind: 'chat'; wrapper: ChatWrapper } | { kind: 'completion' };

/** Tells the model what the grammar will hold it to anyway; models answer better when told. */
export const ANSWER_INSTRUCTION =
  'Answer as the character, in JSON: "line" is what they say out loud; "emotion", "intensity" ' +
  '(0 to 1), "gesture" and "intent" describe how they say it.';

/**
 * The model's chat template when its GGUF carries one (node-llama-cpp picks a specialized
 * wrapper or runs the Jinja template); otherwise plain completion. A model without a template
 * is not guessed at from its name: base models such as the stories test model would be fed
 * role markers they never saw.
 */
export function promptFormatFor(model: LlamaModel): PromptFormat {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  if (typeof template !== 'string' || template.trim() === '') return { kind: 'completion' };
  return { kind: 'chat', wrapper: resolveChatWrapper(model) };
}

/**
 * The prompt as the model will read it; generation continues right after it. A leading BOS is
 * left out: LlamaCompletion prepends the model's own.
 */
export function formatPrompt(format: PromptFormat, prompt: DialoguePrompt): LlamaText {
  if (format.kind === 'completion') return LlamaText(completionPrompt(prompt));
  const text = format.wrapper.generateContextState({ chatHistory: chatHistory(prompt) }).contextText;
  const [first, ...rest] = text.values;
  return first instanceof SpecialToken && first.value === 'BOS' ? LlamaText(rest) : text;
}

/**
 * The system block: persona and answer instruction first (the same all conversation), then the
 * rules of the moment and the memory summary, which change now and then.
 */
function systemText(prompt: DialoguePrompt): string {
  return [prompt.system.trim(), ANSWER_INSTRUCTION, prompt.rules?.trim(), prompt.memory?.trim()]
    .filter(Boolean)
    .join('\n\n');
}

/** System, history and the player's line as chat turns, ending on an open model turn. */
export function chatHistory(prompt: DialoguePrompt): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [{ type: 'system', text: systemText(prompt) }];
  for (const turn of prompt.history) {
    items.push(
      turn.speaker === 'player' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] },
    );
  }
  const line = prompt.note?.trim() ? `${prompt.note.trim()}\n${prompt.playerLine}` : prompt.playerLine;
  items.push({ type: 'user', text: line }, { type: 'model', response: [] });
  return items;
}

/** A plain-text script for models without a chat template: persona, the talk so far, a JSON cue. */
export function completionPrompt(prompt: DialoguePrompt): string {
  const lines = [systemText(prompt), ''];
  for (const turn of prompt.history)
    lines.push(`${turn.speaker === 'player' ? 'Player' : 'Character'}: ${oneLine(turn.text)}`);
  if (prompt.note?.trim()) lines.push(`(${oneLine(prompt.note)})`);
  lines.push(`Player: ${oneLine(prompt.playerLine)}`, 'Character (JSON): ');
  return lines.join('\n');
}

/** Turns stay one line each so that a turn cannot forge the next speaker's label. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
