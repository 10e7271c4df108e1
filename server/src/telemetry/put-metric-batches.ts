import type { MetricDatum as WireDatum } from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH_LIMITS, type MetricDatum } from './datum.js';

/** A datum as PutMetricData takes it. */
export function wireDatum(d: MetricDatum): WireDatum {
  return {
    MetricName: d.name,
    Unit: d.unit,
    Timestamp: new Date(d.timestampMs),
    Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({ Name, Value })),
    ...(d.value !== undefined ? { Value: d.value } : { Values: d.values, Counts: d.counts }),
  };
}

/** Bytes a datum adds to a JSON-protocol request body (before compression), a slight overestimate. */
export function datumBytes(d: WireDatum): number {
  // The SDK writes Timestamp as epoch seconds; a Date stringifies longer, so this never underestimates.
  return Buffer.byteLength(JSON.stringify(d)) + 1;
}

/** Room for `{"Namespace":…,"MetricData":[]}` around the datums. */
const ENVELOPE_BYTES = 512;

type Limits = { datums?: number; bytes?: number };

/**
 * How many datums from the front of `datums` fit one request within CloudWatch's limits (at most
 * 1,000 datums and 1 MB); at least one. Reads no further than that request, so a sender with a
 * long buffer sizes only what it sends next. `limits` narrows them, for tests.
 */
export function firstBatchLength(datums: readonly WireDatum[], limits: Limits = {}): number {
  const maxDatums = limits.datums ?? CLOUDWATCH_LIMITS.datumsPerRequest;
  const maxBytes = (limits.bytes ?? CLOUDWATCH_LIMITS.bytesPerRequest) - ENVELOPE_BYTES;
  let bytes = 0;
  let n = 0;
  for (const d of datums) {
    const size = datumBytes(d);
    if (n > 0 && (n >= maxDatums || bytes + size > maxBytes)) break;
    bytes += size;
    n++;
  }
  return n;
}
