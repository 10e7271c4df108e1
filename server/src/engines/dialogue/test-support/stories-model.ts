import { sharedModel } from '../../tts/test-support/shared-models.js';
import type { DialogueEngine, DialogueEvent, DialogueRequest } from '../dialogue.js';

/** The shared tiny GGUF (stories260K), or why it is missing. */
export const storiesModel = sharedModel('llm-stories260k/stories260K.gguf');

/** A short exchange with an innkeeper; `seed` makes the sampling repeatable. */
export function innkeeperRequest(over: Partial<DialogueRequest> = {}): DialogueRequest {
  return {
    sceneId: 'tavern',
    npcId: 'innkeeper',
    prompt: {
      system: 'You are Mira, the innkeeper of the Rusty Flagon. You are warm, tired and short of words.',
      history: [
        { speaker: 'player', text: 'Evening, Mira.' },
        { speaker: 'npc', text: 'Evening, traveller. Mind the mud.' },
      ],
      playerLine: 'Any rooms left tonight?',
    },
    ...over,
  };
}

/** Every event of one generation, with the time each arrived (ms after the call). */
export async function collect(
  engine: DialogueEngine,
  request: DialogueRequest,
  signal?: AbortSignal,
): Promise<{ events: DialogueEvent[]; atMs: number[] }> {
  const t0 = performance.now();
  const events: DialogueEvent[] = [];
  const atMs: number[] = [];
  for await (const event of engine.generate(request, signal)) {
    events.push(event);
    atMs.push(performance.now() - t0);
  }
  return { events, atMs };
}

/** The text events joined. */
export function streamedText(events: DialogueEvent[]): string {
  return events.map((e) => (e.kind === 'text' ? e.text : '')).join('');
}
