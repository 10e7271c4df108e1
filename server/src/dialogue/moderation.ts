import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { formatFieldPath, SourceError, type SourceProblem } from '../common/source-error.js';
import { parseYamlSource, positionOf, validateYamlSource } from '../common/yaml-source.js';
import { normalizeForMatch, type TermMatcher, termMatcher } from './normalize-text.js';

/** Content ratings a scene may carry, mildest first. */
export const RATINGS = ['G', 'PG', 'PG-13', 'R'] as const;
export type Rating = (typeof RATINGS)[number];
export const DEFAULT_RATING: Rating = 'PG-13';

/** Which side of the conversation a line came from. */
export type ModerationSide = 'input' | 'output';

/** One category of the terms file, as written. */
export interface ModerationCategoryDefinition {
  description?: string;
  blocks: Rating[];
  sides?: ModerationSide[];
  terms?: string[];
  patterns?: string[];
  allow?: string[];
}

export interface ModerationTermsDefinition {
  categories: Record<string, ModerationCategoryDefinition>;
}

/** The answer for one line: allowed, or blocked with the category that blocked it. */
export type ModerationVerdict = { allowed: true } | { allowed: false; category: string };

/** The built-in terms file. */
export const MODERATION_TERMS_URL = new URL('../../data/moderation-terms.yaml', import.meta.url);

const TERMS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['categories'],
  properties: {
    categories: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z][a-z0-9_]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['blocks'],
        properties: {
          description: { type: 'string' },
          blocks: { type: 'array', uniqueItems: true, items: { enum: [...RATINGS] } },
          sides: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['input', 'output'] } },
          terms: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 } },
          patterns: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 500 } },
          allow: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
  },
} as const;

interface Category {
  name: string;
  blocks: ReadonlySet<Rating>;
  sides: ReadonlySet<ModerationSide>;
  terms: TermMatcher;
  patterns: RegExp[];
  allow: RegExp | undefined;
}

/** Parses a terms file; errors (including a pattern that does not compile) name file, line and field. */
export function parseModerationTerms(text: string, file: string): ModerationTermsDefinition {
  const src = parseYamlSource(text, file);
  const def = validateYamlSource(
    src,
    new Ajv({ allErrors: true, verbose: true }).compile<ModerationTermsDefinition>(TERMS_SCHEMA),
  );
  const problems: SourceProblem[] = [];
  for (const [name, category] of Object.entries(def.categories)) {
    for (const [i, pattern] of (category.patterns ?? []).entries()) {
      try {
        new RegExp(pattern, 'iu');
      } catch (e) {
        const at = ['categories', name, 'patterns', i];
        problems.push({
          file,
          ...positionOf(src, at),
          field: formatFieldPath(at),
          message: `is not a valid regular expression: ${(e as Error).message}`,
        });
      }
    }
  }
  if (problems.length > 0) throw new SourceError(problems);
  return def;
}

/**
 * Checks player input and generated lines against word and phrase lists, by scene rating.
 * Terms match whole words after normalisation, so "Scunthorpe" passes and "k 1 l l  y o u" does not.
 */
export class Moderator {
  private readonly categories: Category[];

  constructor(definition: ModerationTermsDefinition) {
    this.categories = Object.entries(definition.categories).map(([name, c]) => {
      const allow = (c.allow ?? []).map(normalizeForMatch).filter(Boolean);
      return {
        name,
        blocks: new Set(c.blocks),
        sides: new Set(c.sides ?? ['input', 'output']),
        terms: termMatcher(c.terms ?? [], { suffixes: true }),
        patterns: (c.patterns ?? []).map((p) => new RegExp(p, 'iu')),
        allow: allow.length > 0 ? allowRemover(allow) : undefined,
      };
    });
  }

  /** The moderator of the built-in terms file. */
  static fromDefaultTerms(): Moderator {
    const file = fileURLToPath(MODERATION_TERMS_URL);
    return new Moderator(parseModerationTerms(readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file));
  }

  /** Category names, in file order. */
  categoryNames(): string[] {
    return this.categories.map((c) => c.name);
  }

  /** Whether `text` may pass on `side` in a scene rated `rating`; the first blocking category wins. */
  check(text: string, side: ModerationSide, rating: Rating = DEFAULT_RATING): ModerationVerdict {
    const raw = text.normalize('NFKC');
    const normalized = normalizeForMatch(text);
    for (const c of this.categories) {
      if (!c.blocks.has(rating) || !c.sides.has(side)) continue;
      const subject = c.allow ? normalized.replace(c.allow, ' ') : normalized;
      if (c.terms.test(subject) || c.patterns.some((p) => p.test(raw))) return { allowed: false, category: c.name };
    }
    return { allowed: true };
  }
}

function allowRemover(phrases: string[]): RegExp {
  const body = phrases
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'gu');
}
