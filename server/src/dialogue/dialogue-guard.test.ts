import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import type { DialogueEvent, DialogueReply } from '../engines/dialogue/dialogue.js';
import { BarkLibrary, loadDefaultBarks } from './barks.js';
import { DialogueGuard, type GuardContext } from './dialogue-guard.js';
import { directorBounds } from './director-bounds.js';
import { Moderator } from './moderation.js';
import { toPersona } from './persona.js';

const defaults = loadDefaultBarks();
const moderator = Moderator.fromDefaultTerms();
const deflects = defaults.deflect.map((b) => (typeof b === 'string' ? b : b.text));

function setup() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const barks = new BarkLibrary(defaults);
  barks.setNpc('tavern', 'innkeeper', { deflect: ["Now, love, that's not talk for a respectable house."] });
  return { guard: new DialogueGuard({ moderator, barks, logger }), lines };
}

const persona = toPersona(
  'spy',
  { secrets: [{ text: 'the traitor is Mara', keywords: ['mara'], untilPhase: 'end' }] },
  'Ilse',
);
const ctx: GuardContext = {
  sceneId: 'tavern',
  npcId: 'spy',
  bounds: directorBounds({ persona, phase: { phase: 'start', order: ['start', 'end'] } }),
};

const reply = (line: string): DialogueReply => ({
  line,
  emotion: 'neutral',
  intensity: 0.5,
  gesture: 'none',
  intent: 'inform',
});

/**
 * A scripted event source standing in for an engine: this test is about the guard stage, not
 * generation. Records whether the guard stopped it early.
 */
function scripted(fragments: string[], line = fragments.join('')) {
  const state = { stopped: false, finished: false };
  async function* events(): AsyncIterable<DialogueEvent> {
    try {
      for (const text of fragments) yield { kind: 'text', text };
      yield { kind: 'reply', reply: reply(line), tokens: 12, firstTokenMs: 5, totalMs: 40 };
      state.finished = true;
    } finally {
      if (!state.finished) state.stopped = true;
    }
  }
  return { events: events(), state };
}

async function collect(events: AsyncIterable<DialogueEvent>): Promise<DialogueEvent[]> {
  const out: DialogueEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const textOf = (events: DialogueEvent[]) => events.flatMap((e) => (e.kind === 'text' ? [e.text] : [])).join('');
const replyOf = (events: DialogueEvent[]) => events.find((e) => e.kind === 'reply');

describe('DialogueGuard', () => {
  it("answers a blocked player line with the NPC's own deflect line, and logs no text", () => {
    const { guard, lines } = setup();
    const text = 'go hang yourself, innkeeper';
    const screened = guard.screenInput({ sceneId: 'tavern', npcId: 'innkeeper', rating: 'PG' }, text);
    expect(screened).toEqual({
      allowed: false,
      blocked: { side: 'input', category: 'self_harm' },
      fallback: expect.objectContaining({
        line: "Now, love, that's not talk for a respectable house.",
        intent: 'refuse',
      }),
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        event: 'dialogue.blocked',
        sceneId: 'tavern',
        npcId: 'innkeeper',
        side: 'input',
        category: 'self_harm',
        rating: 'PG',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/hang|yourself/);
  });

  it('lets safe lines through without logging', () => {
    const { guard, lines } = setup();
    expect(guard.screenInput(ctx, "Shoot, I forgot. I'll kill this quest tomorrow.")).toEqual({ allowed: true });
    expect(guard.screenOutput(ctx, 'Scunthorpe is far from here.')).toEqual({ allowed: true });
    expect(lines).toEqual([]);
  });

  it('blocks a generated line that reveals a secret before its phase, naming the bound', () => {
    const { guard, lines } = setup();
    const screened = guard.screenOutput(ctx, 'Fine. It was Mara.');
    expect(screened).toMatchObject({
      allowed: false,
      blocked: { side: 'output', category: 'secret', boundId: 'secret[0]' },
    });
    if (screened.allowed) throw new Error('expected a block');
    expect(deflects).toContain(screened.fallback.line);
    expect(lines[0]).toMatchObject({ side: 'output', category: 'secret', bound: 'secret[0]', rating: 'PG-13' });
    expect(JSON.stringify(lines)).not.toMatch(/Mara/i);
  });

  describe('screen (a stage over engine events)', () => {
    it('passes a safe reply through as it streams, clause by clause', async () => {
      const { guard } = setup();
      const source = scripted(['Evening, ', 'traveller. The stew ', 'is hot.']);
      const events = await collect(guard.screen(source.events, ctx));
      expect(events.filter((e) => e.kind === 'text').map((e) => (e.kind === 'text' ? e.text : ''))).toEqual([
        'Evening,',
        ' traveller.',
        ' The stew is hot.',
      ]);
      expect(replyOf(events)).toEqual({
        kind: 'reply',
        reply: reply('Evening, traveller. The stew is hot.'),
        tokens: 12,
        firstTokenMs: 5,
        totalMs: 40,
      });
      expect(source.state.finished).toBe(true);
    });

    it('stops generation at the clause that reveals a secret and ends with a fallback line', async () => {
      const { guard } = setup();
      const source = scripted(['Well, ', 'the traitor ', 'is Mara. ', 'Run while you can.']);
      const events = await collect(guard.screen(source.events, ctx));
      const spoken = textOf(events);
      expect(spoken.startsWith('Well, ')).toBe(true);
      expect(spoken).not.toMatch(/Mara|traitor|Run/);
      expect(deflects).toContain(spoken.slice('Well, '.length));
      const last = replyOf(events);
      expect(last?.kind === 'reply' && last.reply.line).toBe(spoken);
      expect(source.state.stopped).toBe(true);
    });

    it('blocks by rating inside the stream', async () => {
      const { guard } = setup();
      const events = await collect(
        guard.screen(scripted(['Damn it, ', 'the roads are bad.']).events, { ...ctx, rating: 'G' }),
      );
      expect(deflects).toContain(textOf(events));
    });

    it('checks the final line even when the engine streamed none of it', async () => {
      const { guard } = setup();
      const events = await collect(guard.screen(scripted([], 'You should kill yourself.').events, ctx));
      expect(deflects).toContain(textOf(events));
    });

    it('never ends in silence: an empty reply becomes an authored line', async () => {
      const { guard } = setup();
      const events = await collect(guard.screen(scripted([], '').events, ctx));
      const unknown = defaults.unknown.map((b) => (typeof b === 'string' ? b : b.text));
      expect(unknown).toContain(textOf(events));
      expect(replyOf(events)).toMatchObject({ kind: 'reply', reply: { intent: 'inform' } });
    });

    it('never ends in silence: a reply of punctuation only becomes an authored line', async () => {
      const { guard } = setup();
      // As a model writes it: the line's text, marked complete, then the structured reply.
      async function* punctuation(): AsyncIterable<DialogueEvent> {
        yield { kind: 'text', text: '...' };
        yield { kind: 'text', text: ' —', last: true };
        yield { kind: 'reply', reply: reply('... —'), tokens: 4, firstTokenMs: 5, totalMs: 40 };
      }
      const events = await collect(guard.screen(punctuation(), ctx));
      const unknown = defaults.unknown.map((b) => (typeof b === 'string' ? b : b.text));
      const last = replyOf(events);
      const line = last?.kind === 'reply' ? last.reply.line : '';
      expect(unknown).toContain(line.replace(/^[.\s—]+/, ''));
      expect(textOf(events)).toMatch(/\p{L}/u);
      // The voice is not told the line is complete before the authored line has followed.
      const lastAt = events.findIndex((e) => e.kind === 'text' && e.last);
      expect(lastAt === -1 || lastAt > events.findIndex((e) => e.kind === 'text' && /\p{L}/u.test(e.text))).toBe(true);
    });
  });
});
