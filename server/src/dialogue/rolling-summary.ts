// The rolling summary: an extractive summary (sentences kept verbatim, never rewritten), so it
// needs no model, cannot invent facts, and keeps names and numbers exactly as they were said.

import type { DialogueTurn } from '../engines/dialogue/dialogue.js';

/** The longest summary kept, in characters; lowest-value sentences are dropped to fit. */
export const SUMMARY_MAX_CHARS = 1500;
/** The longest sentence kept, in characters; longer ones are cut. */
const SENTENCE_MAX_CHARS = 200;

const LABEL: Record<DialogueTurn['speaker'], string> = { player: 'The player said', npc: 'You said' };
const LINE = /^- (The player said|You said): (.*)$/;

// Verbs that state a fact, a want or a promise: the sentences worth remembering.
const FACT_CUES =
  /\b(?:is|are|was|were|has|have|had|owes?|lives?|works?|named|called|killed|stole|stolen|hid|hidden|knows?|wants?|needs?|promised?|will|must|owns?|lost|found|left|took|gave|sold|bought|married|hates?|loves?|fears?)\b/i;

// Words that often start a sentence with a capital without being a name.
const OPENERS = new Set(
  (
    'a an the this that these those there here it its he she they we you my your his her our their ' +
    'what who where when why how which yes no well oh ah hm hmm okay ok and but so if then aye nay ' +
    'good evening hello hi hey please thanks sorry maybe perhaps now never always come go let'
  ).split(' '),
);

/** A summary line with the score that decides whether it is kept. */
interface Kept {
  line: string;
  score: number;
  order: number;
}

/**
 * How much a sentence is worth keeping: names (capitalised words, not common openers), numbers and
 * fact-stating verbs count for it; questions, and fillers of fewer than four words, count
 * against it.
 */
export function sentenceScore(sentence: string): number {
  const words = sentence.split(/\s+/).filter(Boolean);
  let names = 0;
  for (const [i, word] of words.entries()) {
    if (!/^\p{Lu}[\p{L}'-]+/u.test(word) || /^I\b/.test(word)) continue;
    // A capital at the start of a sentence is a name only when the word is not a common opener.
    if (i === 0 && OPENERS.has(word.replace(/[^\p{L}']/gu, '').toLowerCase())) continue;
    names++;
  }
  let score = 2 * Math.min(names, 3);
  if (/\d/.test(sentence)) score += 2;
  if (FACT_CUES.test(sentence)) score += 1;
  if (sentence.trimEnd().endsWith('?')) score -= 1;
  if (words.length < 4) score -= 2;
  return score;
}

/** Splits a turn's text into sentences. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Folds turns into a summary: every sentence that scores above zero is added as
 * `- The player said: …` or `- You said: …`, repeats are dropped, and while the summary is over
 * `maxChars` the lowest-scoring line (the oldest among equals) is dropped.
 */
export function foldIntoSummary(summary: string, turns: readonly DialogueTurn[], maxChars = SUMMARY_MAX_CHARS): string {
  const kept: Kept[] = [];
  const seen = new Set<string>();
  const add = (label: string, sentence: string) => {
    const text = sentence.length > SENTENCE_MAX_CHARS ? `${sentence.slice(0, SENTENCE_MAX_CHARS - 1)}…` : sentence;
    const key = `${label}|${text.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    kept.push({ line: `- ${label}: ${text}`, score: sentenceScore(text), order: kept.length });
  };
  for (const line of summary.split('\n')) {
    const m = LINE.exec(line);
    if (m) add(m[1] as string, m[2] as string);
  }
  for (const turn of turns) {
    for (const s of sentences(turn.text)) if (sentenceScore(s) > 0) add(LABEL[turn.speaker], s);
  }
  let total = kept.reduce((n, k) => n + k.line.length + 1, 0);
  while (total > maxChars && kept.length > 0) {
    let worst = 0;
    for (let i = 1; i < kept.length; i++) {
      const k = kept[i] as Kept;
      const w = kept[worst] as Kept;
      if (k.score < w.score || (k.score === w.score && k.order < w.order)) worst = i;
    }
    total -= (kept[worst] as Kept).line.length + 1;
    kept.splice(worst, 1);
  }
  return kept.map((k) => k.line).join('\n');
}
