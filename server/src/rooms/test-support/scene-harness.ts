import { readFileSync } from 'node:fs';
import type { ServerMessage } from '@stagecraft/protocol';
import pino from 'pino';
import type { CompiledPack } from '../../direction/compiled-pack.js';
import { loadExamplePack } from '../../direction/test-support/packs.js';
import { CastVoices } from '../../engines/tts/cast-voices.js';
import { voiceMetrics } from '../../engines/tts/voice-metrics.js';
import { parseSceneDefinition, type SceneDefinition } from '../../scenes/scene-definition.js';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import { type Answer, handleClientMessage, type Sender } from '../client-messages.js';
import { LiveScene } from '../live-scene.js';

export interface SceneHarness {
  scene: LiveScene;
  /** Every message the scene sent to all its clients, oldest first. */
  broadcasts: ServerMessage['body'][];
  /** Every event it wrote to its log. */
  records: { kind: string; payload: unknown }[];
  /** Sends one client message as `sender`; returns what the sender was answered and what failed. */
  send(msg: Parameters<typeof handleClientMessage>[0], sender?: Partial<Sender>): Promise<Answered>;
  close(): Promise<void>;
}

export interface Answered {
  replies: ServerMessage['body'][];
  /** Errors thrown by the handling, or reported after it. */
  errors: unknown[];
  /** Media subscriptions the sender asked for. */
  subscriptions: ('all' | readonly string[])[];
}

/**
 * A live scene from a scene file of the repository, without a server: its messages and events are
 * captured, its voices are the real engines of this machine (espeak-ng when installed).
 */
export async function openScene(
  file: 'tavern' | 'bridge-ambush',
  options: { pack?: string | CompiledPack; definition?: Partial<SceneDefinition> } = {},
) {
  const text = readFileSync(new URL(`../../../../scenes/${file}.yaml`, import.meta.url), 'utf8');
  const definition = { ...parseSceneDefinition(text, `scenes/${file}.yaml`), ...options.definition };
  const log = pino({ level: 'silent' });
  const metrics = voiceMetrics(new PrometheusMetrics());
  const voices = await CastVoices.create({ modelsDir: undefined, cacheDir: undefined, metrics, logger: log });
  const broadcasts: ServerMessage['body'][] = [];
  const records: { kind: string; payload: unknown }[] = [];
  const scene = await LiveScene.open(
    {
      broadcast: (b) => broadcasts.push(b),
      // The harness hears every NPC, as a client that asked for PCM16.
      media: (m) => {
        if (m.pcm16) broadcasts.push(m.pcm16);
      },
      wantsOpus: () => false,
      record: (kind, payload) => records.push({ kind, payload }),
      flush: async () => undefined,
      log,
    },
    {
      sceneId: definition.id,
      definition,
      pack: typeof options.pack === 'string' ? loadExamplePack(options.pack) : options.pack,
      voices,
      voiceMetrics: metrics,
      faceFps: 0,
    },
  );
  const harness: SceneHarness = {
    scene,
    broadcasts,
    records,
    async send(msg, sender = {}) {
      const answered: Answered = { replies: [], errors: [], subscriptions: [] };
      const answer: Answer = {
        reply: (b) => answered.replies.push(b),
        fail: (e) => answered.errors.push(e),
        subscribe: (media) => answered.subscriptions.push(media),
      };
      const from: Sender = { sessionId: 's1', name: 'Ada', role: 'game', ...sender };
      try {
        handleClientMessage(msg, from, scene, answer);
      } catch (e) {
        answered.errors.push(e);
      }
      await new Promise((r) => setTimeout(r, 0));
      return answered;
    },
    async close() {
      await scene.close();
      await voices.close();
    },
  };
  return harness;
}
