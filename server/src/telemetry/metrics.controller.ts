import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { PrometheusMetrics } from './prometheus-metrics.js';

export const PROMETHEUS_METRICS = Symbol('PROMETHEUS_METRICS');

@Controller()
export class MetricsController {
  constructor(@Inject(PROMETHEUS_METRICS) private readonly metrics: PrometheusMetrics) {}

  /** Prometheus text exposition of every metric in the process. */
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  text(): Promise<string> {
    return this.metrics.text();
  }
}
