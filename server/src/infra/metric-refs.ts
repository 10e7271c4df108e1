// How dashboards and alarms name metrics. The Stagecraft namespace's process dimensions are
// ClusterName and ServiceName (set on each task as STAGECRAFT_METRICS_DIMENSIONS); a metric's
// labels follow them. A reference names every dimension of the series, as CloudWatch requires.
import type { InfraService, InfraSettings } from './infra-settings.js';

/** The process dimensions every task of `service` publishes with. */
export function processDimensions(s: InfraSettings, service: InfraService): Record<string, string> {
  return { ClusterName: s.cluster, ServiceName: service.name };
}

/** The value of STAGECRAFT_METRICS_DIMENSIONS for a service's tasks. */
export function dimensionsSetting(s: InfraSettings, service: InfraService): string {
  return Object.entries(processDimensions(s, service))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export type WidgetMetric = (string | Record<string, unknown>)[];

/** A dashboard metric array: namespace, name, dimension pairs, then options. */
export function metric(
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
  options: Record<string, unknown> = {},
): WidgetMetric {
  const out: WidgetMetric = [namespace, name, ...Object.entries(dimensions).flat()];
  if (Object.keys(options).length > 0) out.push(options);
  return out;
}

/**
 * A SEARCH expression over every series of `name` that has exactly the dimensions
 * `{namespace, ...dimensionNames}`, narrowed to `where` (e.g. this cluster).
 */
export function search(
  namespace: string,
  name: string,
  dimensionNames: string[],
  where: Record<string, string>,
  stat: string,
  periodS: number,
): string {
  const terms = [`MetricName="${name}"`, ...Object.entries(where).map(([k, v]) => `${k}="${v}"`)];
  return `SEARCH('{${[namespace, ...dimensionNames].join(',')}} ${terms.join(' ')}', '${stat}', ${periodS})`;
}
