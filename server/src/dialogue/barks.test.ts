import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DialogueError, type DialogueEvent, type DialogueRequest } from '../engines/dialogue/dialogue.js';
import { BarkEngine, situationOf } from './bark-engine.js';
import { BarkLibrary, loadDefaultBarks, parseBarkFile, SITUATIONS } from './barks.js';
import { quotePlayer } from './player-text.js';

const defaults = loadDefaultBarks();

function request(playerLine: string, npcId = 'innkeeper'): DialogueRequest {
  return { sceneId: 'tavern', npcId, prompt: { system: '', history: [], playerLine: quotePlayer(playerLine) } };
}

async function collect(events: AsyncIterable<DialogueEvent>): Promise<DialogueEvent[]> {
  const out: DialogueEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('BarkLibrary', () => {
  it('has built-in lines for every situation', () => {
    for (const s of SITUATIONS) expect(defaults[s].length).toBeGreaterThanOrEqual(2);
  });

  it('picks the same lines for the same calls, on any library', () => {
    const a = new BarkLibrary(defaults);
    const b = new BarkLibrary(defaults);
    const picks = (lib: BarkLibrary) =>
      SITUATIONS.flatMap((s) => [1, 2, 3].map(() => lib.pick('tavern', 'bard', s).line));
    expect(picks(a)).toEqual(picks(b));
  });

  it('never says the same line twice in a row for one NPC and situation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom(...SITUATIONS)), { maxLength: 200 }),
        (calls) => {
          const lib = new BarkLibrary(defaults);
          const last = new Map<string, string>();
          for (const [npc, situation] of calls) {
            const { line } = lib.pick('s', npc, situation);
            expect(line).not.toBe(last.get(`${npc}/${situation}`));
            last.set(`${npc}/${situation}`, line);
          }
        },
      ),
    );
  });

  it('uses every line of a situation over enough picks', () => {
    const lib = new BarkLibrary(defaults);
    const seen = new Set(Array.from({ length: 60 }, () => lib.pick('s', 'n', 'deflect').line));
    expect(seen.size).toBe(defaults.deflect.length);
  });

  it('prefers lines written for the asked emotion and plays each line as written', () => {
    const lib = new BarkLibrary(defaults);
    expect(lib.pick('s', 'n', 'greet', 'anger')).toEqual({
      line: 'What do you want?',
      emotion: 'anger',
      gesture: 'none',
      intent: 'ask',
      intensity: 0.5,
    });
    // No combat line is written for disgust: any combat line will do.
    expect(defaults.combat.map((b) => (typeof b === 'string' ? b : b.text))).toContain(
      lib.pick('s', 'n', 'combat', 'disgust').line,
    );
  });

  it("replaces built-in lines with a persona's, situation by situation, until the scene is forgotten", () => {
    const lib = new BarkLibrary(defaults);
    lib.setNpc('tavern', 'bard', { greet: ['A new face! A new song!'] });
    expect(lib.pick('tavern', 'bard', 'greet')).toMatchObject({
      line: 'A new face! A new song!',
      intent: 'greet',
      gesture: 'wave',
    });
    expect(defaults.farewell).toContain(lib.pick('tavern', 'bard', 'farewell').line);
    lib.forgetScene('tavern');
    expect(lib.linesFor('tavern', 'bard', 'greet')).toBe(defaults.greet);
  });

  it('refuses a bark file that leaves a situation out, naming the file', () => {
    expect(() => parseBarkFile('greet: [Hi]\n', 'barks.yaml')).toThrow(/barks\.yaml:1:1: no lines for: farewell, /);
    expect(() => parseBarkFile('greet: [{ text: Hi, emotion: glee }]\n', 'b.yaml')).toThrow(
      /b\.yaml:1:\d+: greet\[0\]\.emotion: "glee" is not one of/,
    );
  });
});

describe('BarkEngine', () => {
  it('is a bronze engine that streams the whole line, then the reply', async () => {
    const engine = new BarkEngine(new BarkLibrary(defaults));
    expect(engine.tier).toBe('bronze');
    const events = await collect(engine.generate(request('Hello there!')));
    expect(events).toHaveLength(2);
    const [text, reply] = events;
    expect(reply).toMatchObject({ kind: 'reply', tokens: 0, reply: { intent: expect.any(String) } });
    if (text?.kind !== 'text' || reply?.kind !== 'reply') throw new Error('wrong event kinds');
    expect(text.text).toBe(reply.reply.line);
    expect(defaults.greet.map((b) => (typeof b === 'string' ? b : b.text))).toContain(text.text);
    await engine.close();
  });

  it('reads the situation from the player line', () => {
    expect(situationOf(request('Good evening, Marta'))).toBe('greet');
    expect(situationOf(request('Well, I must go. Farewell!'))).toBe('farewell');
    expect(situationOf(request(''))).toBe('idle');
    expect(situationOf(request('Who is the traitor?'))).toBe('unknown');
  });

  it('lets the caller choose the situation and emotion', async () => {
    const engine = new BarkEngine(new BarkLibrary(defaults), {
      situation: () => 'combat',
      emotion: () => 'fear',
    });
    const [, reply] = await collect(engine.generate(request('anything')));
    expect(reply).toMatchObject({ reply: { line: 'Stay back!', emotion: 'fear', intent: 'refuse' } });
  });

  it('stops with an aborted error when its signal is aborted', async () => {
    const engine = new BarkEngine(new BarkLibrary(defaults));
    const controller = new AbortController();
    controller.abort();
    const error = await collect(engine.generate(request('hi'), controller.signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DialogueError);
    expect(error).toMatchObject({ code: 'aborted', retryable: false });
  });
});
