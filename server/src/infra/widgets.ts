import type { WidgetMetric } from './metric-refs.js';

export interface Widget {
  type: 'metric' | 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

export interface DashboardBody {
  start: string;
  periodOverride: 'auto' | 'inherit';
  widgets: Widget[];
}

type Placed = Omit<Widget, 'x' | 'y'>;

/** A line graph of `metrics` (arrays, or `{ expression, label, id }` objects). */
export function graph(
  title: string,
  metrics: (WidgetMetric | Record<string, unknown>)[],
  region: string,
  options: {
    stat?: string;
    period?: number;
    width?: number;
    unit?: string;
    threshold?: number;
    stacked?: boolean;
  } = {},
): Placed {
  const properties: Record<string, unknown> = {
    title,
    view: 'timeSeries',
    stacked: options.stacked ?? false,
    region,
    stat: options.stat ?? 'Average',
    period: options.period ?? 60,
    metrics: metrics.map((m) => (Array.isArray(m) ? m : [m])),
  };
  if (options.unit) properties.yAxis = { left: { label: options.unit, showUnits: false } };
  if (options.threshold !== undefined)
    properties.annotations = { horizontal: [{ label: 'alarm', value: options.threshold }] };
  return { type: 'metric', width: options.width ?? 8, height: 6, properties };
}

export function text(markdown: string, width = 24, height = 2): Placed {
  return { type: 'text', width, height, properties: { markdown } };
}

/** Places widgets left to right on CloudWatch's 24-column grid, wrapping into rows. */
export function layout(widgets: Placed[]): Widget[] {
  const out: Widget[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const w of widgets) {
    if (x + w.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    out.push({ ...w, x, y });
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
  }
  return out;
}

export function dashboard(widgets: Placed[]): DashboardBody {
  return { start: '-PT6H', periodOverride: 'inherit', widgets: layout(widgets) };
}
