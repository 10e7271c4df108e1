import { Global, Module } from '@nestjs/common';
import { EventLog } from '../persistence/index.js';
import { METRICS_REGISTRY, MetricsController } from './metrics.controller.js';
import { createMetricsRegistry } from './metrics-registry.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, inject: [EventLog], useFactory: createMetricsRegistry }],
  exports: [METRICS_REGISTRY],
})
export class TelemetryModule {}
