import type { ActionProposal, Verdict } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { BarkLibrary } from '../dialogue/barks.js';
import type { DialogueService } from '../dialogue/dialogue-service.js';
import type { PersonaLibrary } from '../dialogue/persona.js';
import type { CastVoices } from '../performance/cast-voices.js';
import type { VoiceMetrics } from '../performance/metrics.js';
import type { SceneCatalog } from '../scenes/scene-catalog.js';
import type { SceneDefinition } from '../scenes/scene-definition.js';
import type { SceneResume } from './scene-resume.js';
import type { SceneState } from './scene-state.js';

/** Where a scene writes its append-only event log. */
export interface SceneRecorder {
  /** Loads the scene's last stored seq so appends continue from it. */
  open(sceneId: string): Promise<number>;
  append(sceneId: string, kind: string, payload: unknown): number;
  flush(): Promise<void>;
}

/** Where a scene records that it exists and whether it is live. */
export interface SceneRegistry {
  upsert(scene: {
    id: string;
    title: string;
    definition: SceneDefinition;
    status: 'live' | 'closed';
  }): Promise<unknown>;
  setStatus(id: string, status: 'live' | 'closed'): Promise<unknown>;
}

/** Decides on an NPC's proposed action. */
export interface ProposalJudge {
  judge(proposal: ActionProposal, scene: SceneState): Verdict;
}

/** What every scene room needs from the process, handed over through `define(..., { services })`. */
export interface SceneServices {
  catalog: SceneCatalog;
  recorder: SceneRecorder;
  registry: SceneRegistry;
  /** Judge for scenes without a constraint pack. */
  judge: ProposalJudge;
  resume: SceneResume;
  voices: CastVoices;
  voiceMetrics: VoiceMetrics;
  logger: Logger;
  reconnectSeconds: number;
  maxMessagesPerSecond: number;
  /** Face frames per second of every performance; 0 sends no face stream. */
  faceFps: number;
  /** NPC replies to player lines; without it player lines are only transcribed. */
  dialogue?: { service: DialogueService; personas: PersonaLibrary; barks: BarkLibrary };
}
