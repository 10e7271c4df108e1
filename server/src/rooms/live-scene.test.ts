import { afterEach, describe, expect, it } from '@jest/globals';
import { loadPack } from '../direction/compile-pack.js';
import { espeakAvailability } from '../engines/tts/espeak-engine.js';
import { openScene, type SceneHarness } from './test-support/scene-harness.js';

const espeak = espeakAvailability();
if (!espeak.ok) console.warn(`directive line tests skipped: espeak-ng is not installed (${espeak.reason})`);
const speaking = espeak.ok ? it : it.skip;

const pack = (speakLines: boolean) =>
  loadPack(
    `pack: bark
speakLines: ${speakLines}
cast: [{ id: guard, role: guard }]
instructions:
  - id: warn
    who: { npc: guard }
    lines: [{ cue: { after: 0s }, say: 'Halt, who goes there?' }]
`,
    'bark.yaml',
  );

let harness: SceneHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const starts = (h: SceneHarness) => h.broadcasts.flatMap((b) => (b.case === 'performanceStart' ? [b.value] : []));

describe('directive lines', () => {
  speaking('are spoken by their NPC, with its voice, as a performance', async () => {
    harness = await openScene('tavern', { pack: pack(true) });
    harness.scene.tick();
    await harness.scene.settled();
    expect(harness.broadcasts.some((b) => b.case === 'directive' && b.value.say === 'Halt, who goes there?')).toBe(
      true,
    );
    const deadline = Date.now() + 30_000;
    while (starts(harness).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(starts(harness)).toEqual([expect.objectContaining({ npcId: 'guard', text: 'Halt, who goes there?' })]);
  });

  it('are left to the game when the pack or the scene says so', async () => {
    for (const options of [{ pack: pack(false) }, { pack: pack(true), definition: { speakLines: false } }]) {
      harness = await openScene('tavern', options);
      harness.scene.tick();
      await harness.scene.settled();
      expect(harness.broadcasts.some((b) => b.case === 'directive' && b.value.say !== undefined)).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(starts(harness)).toEqual([]);
      await harness.close();
      harness = undefined;
    }
  });
});
