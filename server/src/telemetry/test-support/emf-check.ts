import { Ajv } from 'ajv';

// The structure of an EMF document as CloudWatch's "Specification: Embedded metric format" gives
// it; the rules JSON Schema cannot state (each dimension and metric names a member of the root,
// of the right type) are checked in `emfProblems`.
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];
const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      additionalProperties: false,
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['Namespace', 'Dimensions', 'Metrics'],
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 1024, pattern: '\\S' },
              Dimensions: {
                type: 'array',
                items: { type: 'array', maxItems: 30, items: { type: 'string', minLength: 1, maxLength: 250 } },
              },
              Metrics: {
                type: 'array',
                maxItems: 100,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['Name'],
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: { enum: UNITS },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true }).compile(EMF_SCHEMA);

/** What breaks the EMF specification in `doc`; empty when nothing does. */
export function emfProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!validate(doc)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  const aws = doc._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  for (const directive of aws.CloudWatchMetrics ?? []) {
    for (const set of directive.Dimensions)
      for (const key of set) if (typeof doc[key] !== 'string') problems.push(`dimension ${key} is not a string member`);
    for (const { Name } of directive.Metrics) {
      const v = doc[Name];
      const ok =
        (typeof v === 'number' && Number.isFinite(v)) ||
        (Array.isArray(v) && v.length >= 1 && v.length <= 100 && v.every((x) => typeof x === 'number'));
      if (!ok) problems.push(`metric ${Name} is not a number or an array of 1–100 numbers`);
    }
  }
  return problems;
}
