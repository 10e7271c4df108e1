// What a voice can say: a letter, a digit or a pictograph. Text of punctuation and spaces only
// ("...", "—") makes no sound, so it is never sent to a voice and never counts as a reply.
const SPEAKABLE = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;

/** True when `text` holds something a voice can say. */
export function isSpeakable(text: string): boolean {
  return SPEAKABLE.test(text);
}
