import { ErrorCode, Stance as WireStance } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { BarkLibrary } from '../dialogue/barks.js';
import { personasForScene } from '../dialogue/cast-personas.js';
import type { DialogueService } from '../dialogue/dialogue-service.js';
import { directorBounds, forbiddenActions, phaseOrder } from '../dialogue/director-bounds.js';
import type { Persona, PersonaLibrary } from '../dialogue/persona.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import type { Stance } from '../direction/vocabulary.js';
import type { SceneDefinition } from '../scenes/scene-definition.js';
import { ClientMessageError } from './client-error.js';
import type { ScenePerformances } from './scene-performances.js';
import type { SceneState } from './scene-state.js';

export interface SceneDialogueDeps {
  service: DialogueService;
  personas: PersonaLibrary;
  barks: BarkLibrary;
  definition: SceneDefinition;
  pack: CompiledPack | undefined;
  scene: SceneState;
  performances: ScenePerformances;
  record(kind: string, payload: unknown): void;
  log: Logger;
}

/**
 * The conversations of one scene: a player line to an NPC becomes that NPC's reply, written by the
 * dialogue tiers within the scene's persona, phase, directives and constraint pack, and spoken as
 * it is written.
 */
export class SceneDialogue {
  private personas: Promise<Map<string, Persona>> | undefined;

  constructor(private readonly deps: SceneDialogueDeps) {}

  /**
   * Reads every model-voiced NPC's prompt ahead, in the background, so that its first reply reads
   * only the player's words. A broken persona is reported when a player first talks.
   */
  prime(): void {
    const voiced = this.deps.definition.cast.filter((m) => this.deps.service.firstModel(m.tier ?? 'silver'));
    void Promise.all(
      voiced.map(async (member) => {
        const base = await this.base(member.id).catch(() => undefined);
        if (base) await this.deps.service.prime(base);
      }),
    );
  }

  /** Starts the NPC's reply to a player line; returns its performance id. Throws ClientMessageError. */
  async reply(npcId: string, playerId: string, playerLine: string): Promise<string> {
    const base = await this.base(npcId);
    const stream = this.deps.service.respond({
      ...base,
      playerId,
      playerLine,
      guard: { sceneId: base.sceneId, npcId, rating: this.deps.definition.rating, bounds: base.bounds },
    });
    const delivery = stream.reply.then((r) => ({
      emotion: r.emotion,
      intensity: r.intensity,
      intent: r.intent,
      gesture: r.gesture,
    }));
    const performanceId = this.deps.performances.sayStream(npcId, stream.text, delivery);
    stream.reply.then(
      (r) =>
        this.deps.record('dialogue.reply', {
          npcId,
          playerId,
          performanceId,
          tier: r.tier,
          engine: r.engine,
          emotion: r.emotion,
          intent: r.intent,
          gesture: r.gesture,
          line: r.line,
        }),
      (err: unknown) => this.deps.log.error({ err, npcId, performanceId }, 'dialogue failed'),
    );
    return performanceId;
  }

  /** What every reply of `npcId` is built from now: persona, phase, bounds, tier. */
  private async base(npcId: string) {
    const { definition, scene, pack } = this.deps;
    const member = definition.cast.find((c) => c.id === npcId);
    if (!member)
      throw new ClientMessageError(
        ErrorCode.UNKNOWN_NPC,
        `no cast member "${npcId}"`,
        'playerLine',
        'player_line.npc_id',
      );
    const persona = (await this.personaMap()).get(npcId);
    if (!persona)
      throw new ClientMessageError(ErrorCode.INTERNAL, `no persona for "${npcId}"`, 'playerLine', 'player_line.npc_id');
    const phase = scene.snapshot().phase;
    const live = scene.member(npcId);
    const stance = live ? (WireStance[live.stance]?.toLowerCase() as Stance | undefined) : undefined;
    const names = Object.fromEntries(definition.cast.map((c) => [c.id, c.name ?? c.id]));
    const bounds = directorBounds({
      persona,
      sceneSecrets: definition.secrets,
      phase: { phase, order: phaseOrder(definition.phase, pack) },
      directive: { stance },
      forbidden: pack ? forbiddenActions(pack, member) : [],
      names,
    });
    return {
      sceneId: scene.sceneId,
      npcId,
      persona,
      scene: { title: definition.title, phase },
      bounds,
      tier: member.tier ?? ('silver' as const),
      names,
    };
  }

  /** The cast's personas, resolved once; a broken persona file is reported with its position. */
  private personaMap(): Promise<Map<string, Persona>> {
    const sceneId = this.deps.scene.sceneId;
    this.personas ??= personasForScene(this.deps.definition, { library: this.deps.personas })
      .then((personas) => {
        for (const [npcId, persona] of personas) this.deps.barks.setNpc(sceneId, npcId, persona.barks);
        return personas;
      })
      .catch((err: unknown) => {
        this.personas = undefined;
        const message = err instanceof Error ? err.message : String(err);
        throw new ClientMessageError(
          ErrorCode.UNSUPPORTED,
          `the scene's personas do not load: ${message}`,
          'playerLine',
          'player_line.npc_id',
        );
      });
    return this.personas;
  }

  /** The scene is over: its NPCs' own lines are forgotten. */
  close(): void {
    this.deps.barks.forgetScene(this.deps.scene.sceneId);
  }
}
