import { type DynamicModule, Global, Module } from '@nestjs/common';
import { MetricsController, PROMETHEUS_METRICS } from './metrics.controller.js';
import type { PrometheusMetrics } from './prometheus-metrics.js';

/** Serves the process's metrics as Prometheus text at `GET /metrics`. */
@Global()
@Module({})
export class TelemetryModule {
  static forRoot(metrics: PrometheusMetrics): DynamicModule {
    return {
      module: TelemetryModule,
      controllers: [MetricsController],
      providers: [{ provide: PROMETHEUS_METRICS, useValue: metrics }],
      exports: [PROMETHEUS_METRICS],
    };
  }
}
