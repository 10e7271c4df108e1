import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { DialogueTurn } from '../engines/dialogue/dialogue.js';
import type { Database } from '../persistence/database.js';
import { describeEachDatabase } from '../persistence/test-support/targets.js';
import { type ConversationKey, MemoryError, MemoryStore } from './memory-store.js';

const key: ConversationKey = { sceneId: 'tavern', npcId: 'innkeeper', playerId: 'p1' };
const say = (speaker: DialogueTurn['speaker'], text: string): DialogueTurn => ({ speaker, text });

describeEachDatabase('MemoryStore', (target) => {
  let db: Database;
  let memory: MemoryStore;

  beforeAll(async () => {
    db = await target.open();
    memory = new MemoryStore(db, { window: 4, keep: 2, summaryMaxChars: 400 });
  });

  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  it('recalls turns in order, per scene, NPC and player', async () => {
    await memory.append(key, [say('player', 'An ale, please.'), say('npc', 'Two coppers, love.')]);
    await memory.append({ ...key, playerId: 'p2' }, [say('player', 'Hello.')]);
    await memory.append({ ...key, npcId: 'bard' }, [say('player', 'Sing!')]);
    expect(await memory.recall(key)).toEqual({
      summary: '',
      turns: [say('player', 'An ale, please.'), say('npc', 'Two coppers, love.')],
    });
    expect((await memory.recall({ ...key, playerId: 'p2' })).turns).toEqual([say('player', 'Hello.')]);
    expect(await memory.recall({ ...key, playerId: 'nobody' })).toEqual({ summary: '', turns: [] });
    expect((await memory.recall(key, { turns: 1 })).turns).toEqual([say('npc', 'Two coppers, love.')]);
  });

  it('folds older turns into the summary once the window is full, keeping names and facts', async () => {
    const k = { ...key, playerId: 'folder' };
    await memory.append(k, [
      say('player', 'My name is Arlen and I came from Harrowgate.'),
      say('npc', 'Welcome, Arlen.'),
      say('player', 'Ok.'),
    ]);
    expect((await memory.recall(k)).summary).toBe('');
    await memory.append(k, [say('npc', 'Wenna left owing 12 silver.'), say('player', 'Where did she go?')]);
    const recalled = await memory.recall(k);
    expect(recalled.turns).toEqual([say('npc', 'Wenna left owing 12 silver.'), say('player', 'Where did she go?')]);
    expect(recalled.summary).toBe(
      ['- The player said: My name is Arlen and I came from Harrowgate.', '- You said: Welcome, Arlen.'].join('\n'),
    );
  });

  it('stays bounded however long the conversation runs', async () => {
    const k = { ...key, playerId: 'talker' };
    for (let i = 0; i < 40; i++) {
      await memory.append(k, [
        say('player', `Tell me about Captain Rook number ${i}.`),
        say('npc', `Rook ${i} is gone.`),
      ]);
    }
    const recalled = await memory.recall(k);
    expect(recalled.turns.length).toBeLessThanOrEqual(4);
    expect(recalled.turns.at(-1)).toEqual(say('npc', 'Rook 39 is gone.'));
    expect(recalled.summary.length).toBeLessThanOrEqual(400);
    expect(recalled.summary).toContain('Rook');
  });

  it('numbers concurrent appends without clashing', async () => {
    const k = { ...key, playerId: 'crowd' };
    const big = new MemoryStore(db, { window: 100 });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => big.append(k, [say('player', `a${i}`), say('npc', `b${i}`)])),
    );
    const { turns } = await big.recall(k);
    expect(turns).toHaveLength(20);
    for (let i = 0; i < 10; i++) {
      const at = turns.findIndex((t) => t.text === `a${i}`);
      expect(turns[at + 1]).toEqual(say('npc', `b${i}`));
    }
  });

  it('refuses bad input with a clear error and stores nothing from it', async () => {
    const before = await memory.recall(key);
    await expect(memory.append(key, [say('player', 'fine'), say('npc', 'bad \u0000 text')])).rejects.toThrow(
      /turn 1: text holds a NUL character/,
    );
    await expect(memory.append(key, [{ speaker: 'narrator' as never, text: 'x' }])).rejects.toThrow(MemoryError);
    await expect(memory.append({ ...key, sceneId: '' }, [say('player', 'x')])).rejects.toThrow(
      /conversation sceneId must not be empty/,
    );
    expect(await memory.recall(key)).toEqual(before);
  });

  it('forgets one conversation, or a whole scene', async () => {
    const k = { sceneId: 'arena', npcId: 'herald', playerId: 'p1' };
    await memory.append(k, [say('player', 'Hi.')]);
    await memory.append({ ...k, playerId: 'p2' }, [say('player', 'Hi.')]);
    await memory.forget(k);
    expect((await memory.recall(k)).turns).toEqual([]);
    expect((await memory.recall({ ...k, playerId: 'p2' })).turns).toHaveLength(1);
    await memory.forgetScene('arena');
    expect((await memory.recall({ ...k, playerId: 'p2' })).turns).toEqual([]);
  });

  it('survives closing and reopening the database', async () => {
    const first = await target.open('restart');
    const k = { ...key, playerId: 'returning' };
    const before = new MemoryStore(first, { window: 2, keep: 1 });
    await before.append(k, [say('player', 'I am Arlen of Harrowgate.'), say('npc', 'Welcome, Arlen.')]);
    await before.append(k, [say('player', 'Remember me.')]);
    const recalled = await before.recall(k);
    await first.close();

    const second = await target.open('restart');
    try {
      const after = new MemoryStore(second, { window: 2, keep: 1 });
      expect(await after.recall(k)).toEqual(recalled);
      expect(recalled.summary).toContain('Arlen of Harrowgate');
      await after.append(k, [say('npc', 'I do, Arlen.')]);
      expect((await after.recall(k)).turns.at(-1)).toEqual(say('npc', 'I do, Arlen.'));
    } finally {
      await second.close();
    }
  });
});
