import type { Logger } from 'pino';
import type { InlineScenesConfig } from '../config/config.js';
import type { CastVoices } from '../engines/tts/cast-voices.js';
import type { VoiceMetrics } from '../engines/tts/voice-metrics.js';
import type { LocalScenes } from '../scenes/local-scenes.js';
import type { SceneCatalog } from '../scenes/scene-catalog.js';
import type { SceneDefinition } from '../scenes/scene-definition.js';
import type { Counter } from '../telemetry/metrics.js';
import type { FanoutLimits, MediaMetrics } from './media-fanout.js';
import type { DialogueServices } from './scene-dialogue.js';
import type { SceneMetrics } from './scene-metrics.js';
import type { SceneResume } from './scene-resume.js';
import type { OpusSettings } from './wire/opus-audio.js';

/** Where a scene writes its append-only event log. */
export interface SceneRecorder {
  /** Loads the scene's last stored seq so appends continue from it. */
  open(sceneId: string): Promise<number>;
  append(sceneId: string, kind: string, payload: unknown): number;
  flush(): Promise<void>;
  /** True while so many events wait for the database that client writes are refused. */
  readonly backPressure: boolean;
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

/** What every scene room needs from the process, handed over through `define(..., { services })`. */
export interface SceneServices {
  catalog: SceneCatalog;
  recorder: SceneRecorder;
  registry: SceneRegistry;
  resume: SceneResume;
  voices: CastVoices;
  voiceMetrics: VoiceMetrics;
  /** This process's live scenes; every room adds itself. */
  live: LocalScenes;
  logger: Logger;
  reconnectSeconds: number;
  maxMessagesPerSecond: number;
  /** Bytes one client may send in a second before it is closed (4002). */
  maxBytesPerSecond: number;
  /** Clients the server closed (4002), by reason: `messages`, `bytes`. */
  clientsClosed: Counter<'reason'>;
  /** Verdict and director-tick times, bytes sent. */
  sceneMetrics: SceneMetrics;
  /** Who may create inline scenes, how many and how large. */
  inline: InlineScenesConfig;
  /** Face frames per second of every performance; 0 sends no face stream. */
  faceFps: number;
  /** How far behind a client may fall before its media, then its connection, is dropped. */
  fanout: FanoutLimits;
  mediaMetrics: MediaMetrics;
  /** How Opus is encoded for the clients that ask for it. */
  opus: OpusSettings;
  /** Makes performance ids; their first 8 hex digits seed the face's blinks and gaze. */
  performanceIds: () => string;
  /** NPC replies to player lines; without it player lines are only transcribed. */
  dialogue?: DialogueServices;
}
