import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as GameServer } from '@colyseus/core';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { openDialogue } from './dialogue/open-dialogue.js';
import type { HostCommand } from './engines/dialogue/llama-child-engine.js';
import { Readiness } from './health/readiness.js';
import { INSPECTOR_DIR, inspectorBuilt } from './inspector/inspector-assets.js';
import { createLogger } from './logger.js';
import { CastVoices } from './performance/cast-voices.js';
import { createVoiceMetrics } from './performance/metrics.js';
import { DATABASE, type Database, EventLog, SceneStore } from './persistence/index.js';
import { createGameServer } from './rooms/game-server.js';
import { openJudge } from './rooms/open-judge.js';
import { databaseResume } from './rooms/scene-resume.js';
import { SceneCatalog } from './scenes/scene-catalog.js';
import { METRICS_REGISTRY } from './telemetry/metrics.controller.js';

export interface RunningServer {
  /** Base URL for HTTP and the SDK, e.g. http://localhost:2567. */
  url: string;
  port: number;
  app: NestExpressApplication;
  gameServer: GameServer;
  logger: Logger;
  /** Drains rooms, flushes the event log and closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** How to start the dialogue model host; the compiled host beside the server by default. */
  dialogueHost?: HostCommand;
}

/** Boots NestJS and Colyseus on one HTTP port. */
export async function startServer(
  config: AppConfig,
  logger = createLogger(config),
  options: StartOptions = {},
): Promise<RunningServer> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    bufferLogs: true,
  });
  app.useLogger(app.get(NestPinoLogger));
  if (inspectorBuilt()) app.useStaticAssets(INSPECTOR_DIR, { index: 'index.html' });
  else logger.warn({ dir: INSPECTOR_DIR }, 'inspector bundle not built; run `npm run build`');
  await app.init();

  const voiceMetrics = createVoiceMetrics(app.get<Registry>(METRICS_REGISTRY));
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
    registry: app.get<Registry>(METRICS_REGISTRY),
    logger,
    host: options.dialogueHost,
  });
  const catalog = app.get(SceneCatalog);
  for (const broken of catalog.problems)
    logger.error({ file: broken.file, problems: broken.problems }, 'scene file skipped');

  const gameServer = createGameServer(
    app.getHttpServer() as HttpServer,
    {
      catalog,
      recorder: app.get(EventLog),
      registry: app.get(SceneStore),
      judge: openJudge,
      resume: databaseResume(app.get<Database>(DATABASE)),
      voices,
      voiceMetrics,
      logger,
      reconnectSeconds: config.reconnectSeconds,
      maxMessagesPerSecond: config.maxMessagesPerSecond,
      faceFps: config.faceFps,
      dialogue,
    },
    config.jwtSecret,
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
      await app.close();
      await voices.close();
      await dialogue.close();
    })();
    return closing;
  };
  return { url, port, app, gameServer, logger, close };
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
