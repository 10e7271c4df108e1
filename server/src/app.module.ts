import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.js';
import { HealthModule } from './health/health.module.js';
import { TokensController } from './http/tokens.controller.js';
import { InspectorController } from './inspector/inspector.controller.js';
import { PersistenceModule } from './persistence/index.js';
import type { LocalScenes } from './scenes/local-scenes.js';
import { ScenesModule } from './scenes/scenes.module.js';
import type { PrometheusMetrics } from './telemetry/prometheus-metrics.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** What the process keeps outside Nest's container: its metrics and its live scenes. */
export interface ProcessState {
  metrics: PrometheusMetrics;
  live: LocalScenes;
}

const QUIET_PATHS = /^\/(healthz|readyz|version|metrics)\b/;

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger, process: ProcessState): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
            serializers: {
              req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
              res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
            },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
          },
        }),
        PersistenceModule.forRoot({
          url: config.databaseUrl,
          dataDir: config.dataDir,
          schema: config.databaseSchema,
          statementTimeoutMs: config.databaseTimeouts.statementMs,
          connectTimeoutMs: config.databaseTimeouts.connectMs,
          maxPending: config.eventBuffer,
          closeWithinMs: config.shutdownTimeoutMs,
        }),
        HealthModule,
        ScenesModule.forRoot(config.scenesDir, process.live),
        TelemetryModule.forRoot(process.metrics),
      ],
      controllers: [InspectorController, TokensController],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
