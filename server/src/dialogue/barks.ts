import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmotionName, GestureName, IntentName } from '@stagecraft/protocol';
import { SourceError } from '../common/source-error.js';
import { parseYamlSource, validateYamlSource } from '../common/yaml-source.js';
import type { DialogueReply } from '../engines/dialogue/dialogue.js';
import { personaAjv } from './persona-schema.js';

/** What an authored line is for; the engine or the caller names one when it picks a line. */
export const SITUATIONS = [
  'greet',
  'farewell',
  'deflect',
  'unknown',
  'refuse',
  'agree',
  'idle',
  'combat',
  'hurt',
] as const;
export type Situation = (typeof SITUATIONS)[number];

/** One authored line as written: the text alone, or the text with how to play it. */
export type BarkDefinition =
  | string
  | { text: string; emotion?: EmotionName; gesture?: GestureName; intent?: IntentName; intensity?: number };

/** Authored lines by situation (schemas/persona.schema.json#/definitions/barks). */
export type BarkSetDefinition = Partial<Record<Situation, BarkDefinition[]>>;

/** How a line of each situation is played unless the line says otherwise. */
const PLAYED_AS: Record<Situation, { emotion: EmotionName; gesture: GestureName; intent: IntentName }> = {
  greet: { emotion: 'joy', gesture: 'wave', intent: 'greet' },
  farewell: { emotion: 'neutral', gesture: 'wave', intent: 'farewell' },
  deflect: { emotion: 'neutral', gesture: 'head_shake', intent: 'refuse' },
  unknown: { emotion: 'neutral', gesture: 'shrug', intent: 'inform' },
  refuse: { emotion: 'neutral', gesture: 'head_shake', intent: 'refuse' },
  agree: { emotion: 'neutral', gesture: 'nod', intent: 'agree' },
  idle: { emotion: 'neutral', gesture: 'none', intent: 'inform' },
  combat: { emotion: 'anger', gesture: 'point', intent: 'threaten' },
  hurt: { emotion: 'fear', gesture: 'none', intent: 'inform' },
};

/** The built-in lines every NPC falls back to (server/data/barks.yaml). */
export const DEFAULT_BARKS_URL = new URL('../../data/barks.yaml', import.meta.url);

/** Parses a bark file; every situation must have at least one line. Errors name file, line and field. */
export function parseBarkFile(text: string, file: string): Required<BarkSetDefinition> {
  const src = parseYamlSource(text, file);
  const validate = personaAjv().getSchema<BarkSetDefinition>(
    'https://stagecraft.dev/schemas/persona.schema.json#/definitions/barks',
  );
  if (!validate) throw new Error('bark schema did not compile');
  const set = validateYamlSource(src, validate);
  const missing = SITUATIONS.filter((s) => !set[s]);
  if (missing.length > 0) {
    throw new SourceError([
      {
        file,
        line: 1,
        column: 1,
        field: '',
        message: `no lines for: ${missing.join(', ')} (every situation needs one)`,
      },
    ]);
  }
  return set as Required<BarkSetDefinition>;
}

/** Reads the built-in bark file. */
export function loadDefaultBarks(): Required<BarkSetDefinition> {
  const file = fileURLToPath(DEFAULT_BARKS_URL);
  return parseBarkFile(readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
}

/**
 * Authored lines for every NPC of every scene. Picks are deterministic (the same calls in the same
 * order give the same lines) and never repeat the NPC's previous line of that situation when the
 * situation has another one.
 */
export class BarkLibrary {
  private readonly own = new Map<string, Map<string, BarkSetDefinition>>();
  private readonly recent = new Map<string, Map<string, { count: number; last: string }>>();

  constructor(private readonly defaults: Required<BarkSetDefinition> = loadDefaultBarks()) {}

  /** Gives one NPC its persona's lines; each situation it names replaces the built-in lines. */
  setNpc(sceneId: string, npcId: string, barks: BarkSetDefinition | undefined): void {
    let scene = this.own.get(sceneId);
    if (!scene) {
      scene = new Map();
      this.own.set(sceneId, scene);
    }
    if (barks) scene.set(npcId, barks);
    else scene.delete(npcId);
  }

  /** Forgets a closed scene's lines and what its NPCs said. */
  forgetScene(sceneId: string): void {
    this.own.delete(sceneId);
    this.recent.delete(sceneId);
  }

  /** The lines an NPC has for a situation: its own, else the built-in ones. */
  linesFor(sceneId: string, npcId: string, situation: Situation): readonly BarkDefinition[] {
    const own = this.own.get(sceneId)?.get(npcId)?.[situation];
    return own && own.length > 0 ? own : this.defaults[situation];
  }

  /**
   * Picks a line for `situation`, preferring lines written for `emotion` when it has any.
   * Always returns a line.
   */
  pick(sceneId: string, npcId: string, situation: Situation, emotion?: EmotionName): DialogueReply {
    const all = this.linesFor(sceneId, npcId, situation).map((b) => played(b, situation));
    const matching = emotion ? all.filter((b) => b.emotion === emotion) : [];
    const pool = matching.length > 0 ? matching : all;
    let byKey = this.recent.get(sceneId);
    if (!byKey) {
      byKey = new Map();
      this.recent.set(sceneId, byKey);
    }
    const key = `${npcId}\u0000${situation}`;
    const seen = byKey.get(key) ?? { count: 0, last: '' };
    let index = fnv1a(`${key}\u0000${seen.count}`) % pool.length;
    if (pool.length > 1 && pool[index]?.line === seen.last) index = (index + 1) % pool.length;
    const chosen = pool[index] as DialogueReply;
    byKey.set(key, { count: seen.count + 1, last: chosen.line });
    return { ...chosen };
  }
}

function played(bark: BarkDefinition, situation: Situation): DialogueReply {
  const base = PLAYED_AS[situation];
  if (typeof bark === 'string') return { line: bark, ...base, intensity: 0.5 };
  return {
    line: bark.text,
    emotion: bark.emotion ?? base.emotion,
    gesture: bark.gesture ?? base.gesture,
    intent: bark.intent ?? base.intent,
    intensity: bark.intensity ?? 0.5,
  };
}

/** 32-bit FNV-1a: a fixed, dependency-free hash, so picks are the same on every machine. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
