import type { TierName } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { DialogueConfig } from '../config/config.js';
import type { DialogueEngine } from '../engines/dialogue/dialogue.js';
import { dialogueMetrics } from '../engines/dialogue/dialogue-metrics.js';
import { DialogueQueue } from '../engines/dialogue/dialogue-queue.js';
import { type HostCommand, LlamaChildEngine } from '../engines/dialogue/llama-child-engine.js';
import { fallbackCounter } from '../engines/tier-router.js';
import type { Database } from '../persistence/database.js';
import type { Metrics } from '../telemetry/metrics.js';
import { BarkEngine } from './bark-engine.js';
import { BarkLibrary } from './barks.js';
import { DialogueGuard } from './dialogue-guard.js';
import { DialogueService } from './dialogue-service.js';
import { MemoryStore } from './memory-store.js';
import { Moderator } from './moderation.js';
import { PersonaLibrary } from './persona.js';

export interface OpenDialogueOptions {
  config: DialogueConfig;
  personasDir: string;
  database: Database;
  metrics: Metrics;
  logger: Logger;
  /** How to start the model host process; the compiled host by default. */
  host?: HostCommand;
}

export interface OpenDialogue {
  service: DialogueService;
  personas: PersonaLibrary;
  /** Authored lines; scenes give each NPC its persona's own. */
  barks: BarkLibrary;
  close(): Promise<void>;
}

/**
 * The process's dialogue: a model per configured tier, each in its own host process behind a
 * fair queue and a first-words deadline, authored lines as the bronze tier, moderation, and
 * memory in the database.
 */
export function openDialogue(options: OpenDialogueOptions): OpenDialogue {
  const { config, logger } = options;
  const metrics = dialogueMetrics(options.metrics);
  const barks = new BarkLibrary();
  const models: DialogueEngine[] = [];
  const tier = (modelPath: string | undefined, name: TierName): DialogueEngine | undefined => {
    if (!modelPath) return undefined;
    const engine = new LlamaChildEngine({
      modelPath,
      name: `llama-${name}`,
      tier: name,
      gpu: name === 'gold' ? 'auto' : false,
      sequences: config.sequences,
      threads: config.threads > 0 ? config.threads : undefined,
      host: options.host,
    });
    models.push(engine);
    logger.info({ tier: name, model: modelPath }, 'dialogue model configured');
    return new DialogueQueue(engine, { concurrency: config.sequences, maxDepth: config.queue, metrics });
  };
  const service = new DialogueService({
    tiers: {
      gold: tier(config.gold, 'gold'),
      silver: tier(config.silver, 'silver'),
      bronze: new BarkEngine(barks),
    },
    firstWordsMs: config.deadlineMs,
    guard: new DialogueGuard({ moderator: Moderator.fromDefaultTerms(), barks, logger }),
    memory: new MemoryStore(options.database),
    log: logger,
    fallbacks: fallbackCounter(options.metrics),
    fallbackReasons: options.metrics.counter({
      name: 'stagecraft_dialogue_fallbacks_total',
      help: 'Replies the first dialogue tier did not write, by reason: deadline, queue-full, failure, safety',
      labels: ['reason'],
    }),
  });
  return {
    service,
    personas: new PersonaLibrary(options.personasDir),
    barks,
    close: async () => {
      await Promise.all(models.map((m) => m.close().catch(() => undefined)));
    },
  };
}
