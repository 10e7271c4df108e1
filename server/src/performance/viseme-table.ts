import { readFileSync } from 'node:fs';
import { VISEMES, type VisemeName } from '@stagecraft/protocol';

/** The phoneme → viseme table of server/data/phoneme-visemes.json (documented in docs/voice.md). */
export interface VisemeTable {
  /** Visemes a phoneme symbol maps to; several split its time evenly. */
  lookup(symbol: string): VisemeName[];
  weight(viseme: VisemeName): number;
}

interface TableFile {
  ignore: string[];
  fallback: string;
  weights: Record<string, number>;
  phonemes: Record<string, string | string[]>;
}

const TABLE_URL = new URL('../../data/phoneme-visemes.json', import.meta.url);
let loaded: VisemeTable | undefined;

function asViseme(name: string, where: string): VisemeName {
  if (!(VISEMES as readonly string[]).includes(name))
    throw new Error(`${where}: "${name}" is not one of the 15 visemes`);
  return name as VisemeName;
}

/** Parses a table file; errors name the file and the phoneme entry. */
export function parseVisemeTable(json: string, file = TABLE_URL.pathname): VisemeTable {
  const data = JSON.parse(json) as TableFile;
  const map = new Map<string, VisemeName[]>();
  for (const [symbol, value] of Object.entries(data.phonemes)) {
    const names = Array.isArray(value) ? value : [value];
    map.set(
      symbol,
      names.map((n) => asViseme(n, `${file}: phonemes["${symbol}"]`)),
    );
  }
  const fallback = asViseme(data.fallback, `${file}: fallback`);
  const ignore = new Set(data.ignore);
  const weights = new Map(Object.entries(data.weights));
  const cache = new Map<string, VisemeName[]>();
  const resolve = (symbol: string): VisemeName[] => {
    const clean = [...symbol].filter((c) => !ignore.has(c)).join('');
    if (clean === '') return ['sil'];
    const direct = map.get(clean);
    if (direct) return direct;
    // Unknown clusters: map each longest known prefix in turn.
    const out: VisemeName[] = [];
    let rest = clean;
    while (rest.length > 0) {
      let n = Math.min(rest.length, 4);
      while (n > 0 && !map.has(rest.slice(0, n))) n--;
      if (n === 0) {
        out.push(fallback);
        rest = rest.slice(1);
      } else {
        out.push(...(map.get(rest.slice(0, n)) ?? []));
        rest = rest.slice(n);
      }
    }
    return out.filter((v, i) => v !== out[i - 1]);
  };
  return {
    lookup(symbol) {
      let hit = cache.get(symbol);
      if (!hit) {
        hit = resolve(symbol);
        cache.set(symbol, hit);
      }
      return hit;
    },
    weight: (viseme) => weights.get(viseme) ?? 1,
  };
}

/** The shipped table, read once. */
export function visemeTable(): VisemeTable {
  loaded ??= parseVisemeTable(readFileSync(TABLE_URL, 'utf8'));
  return loaded;
}
