const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Parses `90s`, `4m`, `1m30s`, `500ms`, `1.5m` or a number of ms; undefined when malformed. */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== at) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Formats ms for people: `4m`, `1m30s`, `750ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m === 0) return `${s}s`;
  return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}

const UNIT_WORDS: [RegExp, string][] = [
  [/^(milliseconds?|millis?|msecs?|ms)$/, 'ms'],
  [/^(seconds?|secs?|s)$/, 's'],
  [/^(minutes?|mins?|m)$/, 'm'],
  [/^(hours?|hrs?|h)$/, 'h'],
];

/** The accepted form of a duration written in words (`3 minutes` → `3m`, `2:30` → `2m30s`), if it is one. */
export function durationSuggestion(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  const clock = /^(\d+):([0-5]\d)$/.exec(text);
  if (clock) return Number(clock[2]) === 0 ? `${clock[1]}m` : `${clock[1]}m${Number(clock[2])}s`;
  let out = '';
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)|(and|,)|(\S+)/g)) {
    if (m[3]) continue;
    if (m[4] !== undefined) return undefined;
    const unit = UNIT_WORDS.find(([re]) => re.test(m[2] ?? ''))?.[1];
    if (!unit) return undefined;
    out += `${m[1]}${unit}`;
  }
  return out && out !== text && parseDurationMs(out) !== undefined ? out : undefined;
}
