import { ErrorCode, STANCE } from '@stagecraft/protocol';
import type { BarkLibrary } from '../dialogue/barks.js';
import type { DialogueService } from '../dialogue/dialogue-service.js';
import { directorBounds, forbiddenActions, phaseOrder } from '../dialogue/director-bounds.js';
import type { Persona, PersonaLibrary } from '../dialogue/persona.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import { personasForScene } from '../scenes/cast-personas.js';
import { castTier, type SceneDefinition } from '../scenes/scene-definition.js';
import { ClientMessageError } from './client-error.js';
import type { SceneContext } from './scene-context.js';
import type { ScenePerformances } from './scene-performances.js';

/** The process's dialogue, which every scene shares. */
export interface DialogueServices {
  service: DialogueService;
  personas: PersonaLibrary;
  barks: BarkLibrary;
}

/**
 * The conversations of one scene: a player line to an NPC becomes that NPC's reply, written by the
 * dialogue tiers within the scene's persona, phase, directives and constraint pack, and spoken as
 * it is written.
 */
export class SceneDialogue {
  private personas: Promise<Map<string, Persona>> | undefined;

  constructor(
    private readonly ctx: SceneContext,
    private readonly talk: DialogueServices,
    private readonly definition: SceneDefinition,
    private readonly pack: CompiledPack | undefined,
    private readonly performances: ScenePerformances,
  ) {}

  /**
   * Reads every model-voiced NPC's prompt ahead, in the background, so that its first reply reads
   * only the player's words. A broken persona is reported when a player first talks.
   */
  prime(): void {
    this.primeFor(undefined);
  }

  /**
   * A player joined (or came back): every model-voiced NPC the player has talked to reads its
   * prompt with what it remembers of them, so that the player's first line reads only its words.
   */
  joined(playerId: string): void {
    this.primeFor(playerId);
  }

  private primeFor(playerId: string | undefined): void {
    const voiced = this.definition.cast.filter((m) => this.talk.service.firstModel(castTier(m)));
    void Promise.all(
      voiced.map(async (member) => {
        const base = await this.base(member.id).catch(() => undefined);
        if (base) await this.talk.service.prime({ ...base, ...(playerId ? { playerId } : {}) });
      }),
    );
  }

  /** Starts the NPC's reply to a player line; returns its performance id. Throws ClientMessageError. */
  async reply(npcId: string, playerId: string, playerLine: string, requestId = ''): Promise<string> {
    const base = await this.base(npcId);
    const stream = this.talk.service.respond({
      ...base,
      playerId,
      playerLine,
      guard: { sceneId: base.sceneId, npcId, rating: this.definition.rating, bounds: base.bounds },
    });
    const delivery = stream.reply.then((r) => ({
      emotion: r.emotion,
      intensity: r.intensity,
      intent: r.intent,
      gesture: r.gesture,
    }));
    const performanceId = this.performances.sayStream(npcId, stream.text, delivery, requestId);
    stream.reply.then(
      (r) =>
        this.ctx.record('dialogue.reply', {
          npcId,
          playerId,
          performanceId,
          tier: r.tier,
          engine: r.engine,
          emotion: r.emotion,
          intent: r.intent,
          gesture: r.gesture,
          line: r.line,
          ...(r.fallback ? { fallback: r.fallback } : {}),
          ...(r.prompt ? { promptTokens: r.prompt.tokens, readTokens: r.prompt.read } : {}),
        }),
      (err: unknown) => this.ctx.log.error({ err, npcId, performanceId }, 'dialogue failed'),
    );
    return performanceId;
  }

  /** What every reply of `npcId` is built from now: persona, phase, bounds, tier. */
  private async base(npcId: string) {
    const { definition, pack } = this;
    const scene = this.ctx.state;
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
    const stance = live ? STANCE.fromWire(live.stance) : undefined;
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
      tier: castTier(member),
      names,
    };
  }

  /** The cast's personas, resolved once; a broken persona file is reported with its position. */
  private personaMap(): Promise<Map<string, Persona>> {
    const sceneId = this.ctx.sceneId;
    this.personas ??= personasForScene(this.definition, { library: this.talk.personas })
      .then((personas) => {
        for (const [npcId, persona] of personas) this.talk.barks.setNpc(sceneId, npcId, persona.barks);
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
    this.talk.barks.forgetScene(this.ctx.sceneId);
  }
}
