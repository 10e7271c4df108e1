import {
  type CastMember,
  CastMemberSchema,
  create,
  DirectorMode,
  type DirectorStatus,
  DirectorStatusSchema,
  type SceneDelta,
  SceneDeltaSchema,
  type SceneSnapshot,
  SceneSnapshotSchema,
  STANCE,
  TIER,
} from '@stagecraft/protocol';
import { type CastDefinition, castTier, type SceneDefinition } from '../scenes/scene-definition.js';

export function castMemberFrom(def: CastDefinition): CastMember {
  return create(CastMemberSchema, {
    id: def.id,
    name: def.name ?? def.id,
    role: def.role ?? '',
    tier: TIER.toWire(castTier(def)),
    stance: STANCE.toWire(def.stance ?? 'neutral'),
    present: def.present ?? true,
    voice: (typeof def.voice === 'string' ? def.voice : def.voice?.id) ?? '',
    faceRig: def.faceRig ?? '',
  });
}

/** A change to apply to the scene; unset fields stay as they are. */
export interface SceneChange {
  phase?: string;
  castUpserts?: CastMember[];
  castRemoved?: string[];
  director?: DirectorStatus;
  paused?: boolean;
}

/**
 * The authoritative state of one scene. Every change advances `version` by one
 * and yields the delta that takes a client from the previous version to it.
 */
export class SceneState {
  private version = 0;
  private phase: string;
  private paused = false;
  private readonly cast = new Map<string, CastMember>();
  private director: DirectorStatus;

  constructor(
    readonly sceneId: string,
    readonly title: string,
    definition: SceneDefinition,
    private readonly clockMs: () => number,
  ) {
    this.phase = definition.phase ?? 'start';
    for (const member of definition.cast) this.cast.set(member.id, castMemberFrom(member));
    this.director = create(DirectorStatusSchema, { mode: DirectorMode.IDLE });
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get currentVersion(): number {
    return this.version;
  }

  member(id: string): CastMember | undefined {
    return this.cast.get(id);
  }

  castIds(): string[] {
    return [...this.cast.keys()];
  }

  snapshot(): SceneSnapshot {
    return create(SceneSnapshotSchema, {
      sceneId: this.sceneId,
      title: this.title,
      version: this.version,
      phase: this.phase,
      cast: [...this.cast.values()],
      director: this.director,
      clockMs: Math.floor(this.clockMs()),
      paused: this.paused,
    });
  }

  /** Applies a change; returns the delta to broadcast, or undefined when nothing changed. */
  apply(change: SceneChange): SceneDelta | undefined {
    const delta = create(SceneDeltaSchema, { baseVersion: this.version });
    let changed = false;
    if (change.phase !== undefined && change.phase !== this.phase) {
      this.phase = delta.phase = change.phase;
      changed = true;
    }
    if (change.paused !== undefined && change.paused !== this.paused) {
      this.paused = delta.paused = change.paused;
      changed = true;
    }
    for (const member of change.castUpserts ?? []) {
      this.cast.set(member.id, member);
      delta.castUpserts.push(member);
      changed = true;
    }
    for (const id of change.castRemoved ?? []) {
      if (this.cast.delete(id)) {
        delta.castRemoved.push(id);
        changed = true;
      }
    }
    if (change.director !== undefined) {
      this.director = delta.director = change.director;
      changed = true;
    }
    if (!changed) return undefined;
    this.version += 1;
    delta.version = this.version;
    delta.clockMs = Math.floor(this.clockMs());
    return delta;
  }
}
