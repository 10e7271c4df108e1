// Spotting attempts to steer the model through player text. Detection only flags: the defence is
// the framing in build-prompt.ts (player text is quoted and the system prompt says it is never
// an instruction), which holds whether or not a pattern here matched.

/** Kinds of attempt the detector knows. */
export const INJECTION_KINDS = [
  'override-instructions',
  'role-change',
  'role-marker',
  'prompt-extraction',
  'break-character',
  'jailbreak',
] as const;
export type InjectionKind = (typeof INJECTION_KINDS)[number];

const SPAN = '[^.!?\\n]{0,40}?';
const w = (words: string) => `(?:${words})`;

/** Patterns over lower-cased text with whitespace runs made one space. */
const PATTERNS: { kind: InjectionKind; pattern: RegExp }[] = [
  {
    kind: 'override-instructions',
    pattern: new RegExp(
      `\\b${w('ignore|disregard|forget|override|bypass|drop')}\\b${SPAN}\\b${w('previous|prior|above|earlier|all|any|your|the|these|those|system')}\\b${SPAN}\\b${w('instructions?|rules?|prompts?|persona|directions?|guidelines?|programming|constraints?|character')}\\b`,
    ),
  },
  {
    kind: 'override-instructions',
    pattern: /\b(?:new|updated|real) (?:instructions?|rules?|system prompt)\b/,
  },
  {
    kind: 'role-change',
    pattern: /\b(?:you are now|you're now|from now on,? you(?: are|'re| will)|you are no longer|stop being)\b/,
  },
  {
    kind: 'role-change',
    pattern:
      /\b(?:pretend|act|behave|respond) (?:to be|as if you (?:are|were)|as) (?:an? )?(?:ai|assistant|chatbot|different|another|unrestricted|uncensored)\b/,
  },
  {
    kind: 'role-marker',
    pattern: /(?:^|[.!?:;] ?)(?:system|assistant|developer|user)\s*:/,
  },
  {
    kind: 'role-marker',
    pattern:
      /[<‹]\|?\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id)|\[\/?(?:inst|sys)\]|<<\/?sys>>|###\s*(?:instruction|system|response)/,
  },
  {
    kind: 'prompt-extraction',
    pattern: new RegExp(
      `\\b${w('reveal|show|print|repeat|recite|output|tell me|what (?:is|are)')}\\b${SPAN}\\b${w('system prompt|your (?:instructions|prompt|rules|system message)|initial prompt|hidden (?:instructions|prompt)')}`,
    ),
  },
  {
    kind: 'break-character',
    pattern: /\b(?:break|drop|leave|step out of|get out of) (?:your |the )?character\b|\bout of character\b|\booc\b/,
  },
  {
    kind: 'break-character',
    pattern: /\b(?:as an ai|large language model|language model|you are an ai|you're an ai|chatgpt|openai)\b/,
  },
  {
    kind: 'jailbreak',
    pattern: /\b(?:jailbreak|dan mode|developer mode|do anything now|no restrictions|without (?:any )?restrictions)\b/,
  },
];

/** What the detector found in one line; `kinds` is empty for an ordinary line. */
export interface InjectionFinding {
  suspicious: boolean;
  kinds: InjectionKind[];
}

/**
 * Flags text that tries to give the model instructions: overriding its rules, changing who it is,
 * forging chat roles or template tags, asking for its prompt, breaking character, or naming a
 * known jailbreak. Works on the cleaned line (see cleanPlayerText), ignoring case.
 */
export function detectInjection(text: string): InjectionFinding {
  const flat = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
  const kinds = new Set<InjectionKind>();
  for (const { kind, pattern } of PATTERNS) if (pattern.test(flat)) kinds.add(kind);
  return { suspicious: kinds.size > 0, kinds: INJECTION_KINDS.filter((k) => kinds.has(k)) };
}
