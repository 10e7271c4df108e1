import type { GenEnum } from '@bufbuild/protobuf/codegenv2';
import { type Blendshape, BlendshapeSchema } from './gen/stagecraft/v1/performance_pb.js';
import {
  CueKind,
  CueKindSchema,
  Emotion,
  EmotionSchema,
  Gesture,
  GestureSchema,
  Intent,
  IntentSchema,
  Outcome,
  OutcomeSchema,
  PacingMode,
  PacingModeSchema,
  Stance,
  StanceSchema,
  Tier,
  TierSchema,
} from './gen/stagecraft/v1/vocabulary_pb.js';

// The closed vocabularies of schemas/proto/stagecraft/v1/vocabulary.proto as words: what
// designers write in YAML and what server code passes around. Words come from the generated
// enums, so the .proto stays the one source: EMOTION_JOY is 'joy', GESTURE_HEAD_SHAKE is
// 'head_shake'; pacing modes and blendshapes are camelCase ('buildUp', 'eyeBlinkLeft').

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** The words of a generated enum object: its keys in lower snake case, without UNSPECIFIED. */
export type SnakeWords<E> = Exclude<Lowercase<Extract<keyof E, string>>, 'unspecified'>;
/** The words of a generated enum object in camelCase, without UNSPECIFIED. */
export type CamelWords<E> = Exclude<Camel<Lowercase<Extract<keyof E, string>>>, 'unspecified'>;

/** One closed vocabulary: its words in wire order, and the conversions to and from the wire enum. */
export interface Vocabulary<W extends string, E extends number> {
  /** Every word, in the order of the enum's values. */
  readonly words: readonly W[];
  /** The enum value of a word. */
  toWire(word: W): E;
  /** The word of an enum value; undefined for the zero "not given" value or an unknown number. */
  fromWire(value: E | number): W | undefined;
  /** Narrows a string to a word of this vocabulary. */
  has(word: string): word is W;
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function vocabulary<W extends string, E extends number>(
  schema: GenEnum<E>,
  options: { camelCase?: boolean; zeroIsWord?: boolean } = {},
): Vocabulary<W, E> {
  const toWord = (localName: string) => {
    const lower = localName.toLowerCase();
    return (options.camelCase ? camel(lower) : lower) as W;
  };
  const values = schema.values.filter((v) => options.zeroIsWord || v.number !== 0);
  const words = values.map((v) => toWord(v.localName));
  const byWord = new Map<string, E>(values.map((v, i) => [words[i] as string, v.number as E]));
  const byNumber = new Map<number, W>(values.map((v, i) => [v.number, words[i] as W]));
  return {
    words: Object.freeze(words),
    toWire: (word) => {
      const value = byWord.get(word);
      if (value === undefined) throw new RangeError(`"${word}" is not a word of ${schema.typeName}`);
      return value;
    },
    fromWire: (value) => byNumber.get(value),
    has: (word): word is W => byWord.has(word),
  };
}

export type TierName = SnakeWords<typeof Tier>;
export const TIER = vocabulary<TierName, Tier>(TierSchema);
/** gold, silver, bronze: best first. */
export const TIERS = TIER.words;
/** The tier of a cast member that names none. */
export const DEFAULT_TIER: TierName = 'silver';

export type StanceName = SnakeWords<typeof Stance>;
export const STANCE = vocabulary<StanceName, Stance>(StanceSchema);
export const STANCES = STANCE.words;

export type EmotionName = SnakeWords<typeof Emotion>;
export const EMOTION = vocabulary<EmotionName, Emotion>(EmotionSchema);
export const EMOTIONS = EMOTION.words;

export type GestureName = SnakeWords<typeof Gesture>;
export const GESTURE = vocabulary<GestureName, Gesture>(GestureSchema);
export const GESTURES = GESTURE.words;

export type IntentName = SnakeWords<typeof Intent>;
export const INTENT = vocabulary<IntentName, Intent>(IntentSchema);
export const INTENTS = INTENT.words;

export type CueKindName = SnakeWords<typeof CueKind>;
export const CUE_KIND = vocabulary<CueKindName, CueKind>(CueKindSchema);
export const CUE_KINDS = CUE_KIND.words;

export type PacingModeName = CamelWords<typeof PacingMode>;
export const PACING_MODE = vocabulary<PacingModeName, PacingMode>(PacingModeSchema, { camelCase: true });
export const PACING_MODES = PACING_MODE.words;

export type OutcomeName = SnakeWords<typeof Outcome>;
export const OUTCOME = vocabulary<OutcomeName, Outcome>(OutcomeSchema);
export const OUTCOMES = OUTCOME.words;

export type BlendshapeName = Camel<Lowercase<Extract<keyof typeof Blendshape, string>>>;
/** Blendshape value 0 is `eyeBlinkLeft`, a real blendshape: every value is a word. */
export const BLENDSHAPE = vocabulary<BlendshapeName, Blendshape>(BlendshapeSchema, {
  camelCase: true,
  zeroIsWord: true,
});

/**
 * The 15 OVR/OpenXR visemes in their customary spelling, index = `Viseme` enum value
 * (VISEME_PP = 1 is 'PP'); vocabulary.test.ts checks the two agree.
 */
export const VISEMES = [
  'sil',
  'PP',
  'FF',
  'TH',
  'DD',
  'kk',
  'CH',
  'SS',
  'nn',
  'RR',
  'aa',
  'E',
  'ih',
  'oh',
  'ou',
] as const;
export type VisemeName = (typeof VISEMES)[number];
