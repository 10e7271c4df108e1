import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as GameServer } from '@colyseus/core';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { openDialogue } from './dialogue/open-dialogue.js';
import type { HostCommand } from './engines/dialogue/llama-child-engine.js';
import { CastVoices } from './engines/tts/cast-voices.js';
import { voiceMetrics as createVoiceMetrics } from './engines/tts/voice-metrics.js';
import { Readiness } from './health/readiness.js';
import { restrictCors } from './http/cors.js';
import { operatorAuth } from './http/operator-auth.js';
import { INSPECTOR_DIR, inspectorBuilt } from './inspector/inspector-assets.js';
import { createLogger } from './logger.js';
import { DATABASE, type Database, EventLog, eventLogMetrics, RevokedTokens, SceneStore } from './persistence/index.js';
import { createGameServer } from './rooms/game-server.js';
import { databaseResume } from './rooms/scene-resume.js';
import { warmVoices } from './rooms/warm-voices.js';
import { LocalScenes, localSceneMetrics } from './scenes/local-scenes.js';
import { SceneCatalog } from './scenes/scene-catalog.js';
import { SceneWatcher } from './scenes/scene-watcher.js';
import { gpuMetrics } from './telemetry/gpu-metrics.js';
import { httpMetrics } from './telemetry/http-metrics.js';
import { openMetrics, type ProcessMetrics } from './telemetry/open-metrics.js';
import { processLoopMetrics } from './telemetry/process-loop-metrics.js';

export interface RunningServer {
  /** Base URL for HTTP and the SDK, e.g. http://localhost:2567. */
  url: string;
  port: number;
  app: NestExpressApplication;
  gameServer: GameServer;
  logger: Logger;
  /** The process's metrics: Prometheus text and, when configured, the published window. */
  metrics: ProcessMetrics;
  /** Drains rooms, flushes the event log and closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** How to start the dialogue model host; the compiled host beside the server by default. */
  dialogueHost?: HostCommand;
  /** Makes performance ids (and so their faces' seeds); random UUIDs by default. */
  performanceIds?: () => string;
}

/** Boots NestJS and Colyseus on one HTTP port. */
export async function startServer(
  config: AppConfig,
  logger = createLogger(config),
  options: StartOptions = {},
): Promise<RunningServer> {
  const published = await openMetrics(config.metrics, { logger, processMetrics: true });
  const metrics = published.metrics;
  const loop = processLoopMetrics(metrics);
  const gpu = await gpuMetrics(metrics);
  if (!gpu) logger.debug('no nvidia-smi: GPU metrics are not published');
  const live = new LocalScenes();
  localSceneMetrics(metrics, live);
  // abortOnError: false lets a start-up failure (a data folder in use) reach the caller, which
  // logs it and exits non-zero, instead of Nest exiting the process by itself.
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger, { metrics: published.prometheus, live }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(NestPinoLogger));
  app.use(httpMetrics(metrics));
  app.use(
    operatorAuth({ key: config.operatorKey, tokensOn: config.jwtSecret !== undefined, metrics: config.metricsNeedKey }),
  );
  restrictCors(config.corsOrigins);
  if (inspectorBuilt()) app.useStaticAssets(INSPECTOR_DIR, { index: 'index.html' });
  else logger.warn({ dir: INSPECTOR_DIR }, 'inspector bundle not built; run `npm run build`');
  await app.init();

  eventLogMetrics(metrics, app.get(EventLog));
  const voiceMetrics = createVoiceMetrics(metrics);
  const voices = await CastVoices.create({
    modelsDir: config.modelsDir,
    cacheDir: config.cacheDir,
    metrics: voiceMetrics,
    logger,
  });
  const dialogue = openDialogue({
    config: config.dialogue,
    personasDir: config.personasDir,
    database: app.get<Database>(DATABASE),
    metrics,
    logger,
    host: options.dialogueHost,
  });
  const catalog = app.get(SceneCatalog);
  const revoked = app.get(RevokedTokens);
  for (const broken of catalog.problems)
    logger.error({ file: broken.file, problems: broken.problems }, 'scene file skipped');
  const watcher = config.watchScenes
    ? new SceneWatcher(catalog, [config.personasDir], (e) => logger.error({ err: e }, 'watching scene files'))
    : undefined;
  // Scenes created after a reload read their cast's persona files afresh.
  catalog.onReload(() => {
    dialogue.personas.clear();
    for (const broken of catalog.problems)
      logger.error(
        { file: broken.file, problems: broken.problems, keptPrevious: broken.keptPrevious },
        'scene file not reloaded',
      );
  });

  // Before listening: the first line after start is then as fast as the tenth.
  const warm = await warmVoices(
    catalog.list().map((f) => f.scene),
    voices,
    { metrics: voiceMetrics, faceFps: config.faceFps, log: logger },
  );
  logger.info({ voices: warm.voices, ms: Math.round(warm.ms) }, 'voices warmed');

  const gameServer = createGameServer(
    app.getHttpServer() as HttpServer,
    {
      catalog,
      recorder: app.get(EventLog),
      registry: app.get(SceneStore),
      resume: databaseResume(app.get<Database>(DATABASE)),
      voices,
      voiceMetrics,
      live,
      logger,
      reconnectSeconds: config.reconnectSeconds,
      maxMessagesPerSecond: config.maxMessagesPerSecond,
      maxBytesPerSecond: config.maxBytesPerSecond,
      inline: config.inlineScenes,
      faceFps: config.faceFps,
      fanout: { dropBytes: config.media.dropBytes, closeBytes: config.media.closeBytes },
      opus: { bitrate: config.media.opusBitrate, complexity: config.media.opusComplexity },
      performanceIds: options.performanceIds ?? randomUUID,
      dialogue,
    },
    {
      metrics,
      jwtSecret: config.jwtSecret,
      tokens: { maxTtlSeconds: config.tokenMaxTtlSeconds, isRevoked: (jti) => revoked.isRevoked(jti) },
    },
  );
  await gameServer.listen(config.port, config.host);

  const port = ((app.getHttpServer() as HttpServer).address() as AddressInfo).port;
  const readiness = app.get(Readiness);
  readiness.set(true, 'listening');
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  logger.info(
    { url, database: config.databaseUrl ? 'postgres' : 'pglite', scenes: catalog.list().length },
    'listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      readiness.set(false, 'shutting down');
      await withTimeout(gameServer.gracefullyShutdown(false), config.shutdownTimeoutMs, () =>
        logger.warn('rooms did not drain in time; closing anyway'),
      );
      watcher?.close();
      const eventLog = app.get(EventLog);
      try {
        await app.close(); // Nest logs, and does not throw, what a shutdown hook throws
      } finally {
        await voices.close();
        await dialogue.close();
        loop.stop();
        gpu?.stop();
        await published.close();
      }
      const unwritten = eventLog.counters.pending;
      if (unwritten > 0) {
        // The one line an operator must see: scene events that never reached the database.
        const message = `EVENTS UNWRITTEN: event log closed with ${unwritten} events unwritten`;
        logger.fatal({ event: 'event_log.unwritten', unwritten }, message);
        throw new Error(message);
      }
    })();
    return closing;
  };
  return { url, port, app, gameServer, logger, metrics: published, close };
}

async function withTimeout(work: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  await Promise.race([work.then(() => undefined), timeout]);
  clearTimeout(timer);
}
