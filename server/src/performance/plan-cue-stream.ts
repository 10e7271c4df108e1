import type { EmotionName, GestureName, IntentName } from '@stagecraft/protocol';
import { type Cue, planCues } from '../face/cues.js';
import type { Timed } from '../media/timed.js';

export interface CueLine {
  emotion: EmotionName;
  intensity: number;
  intent: IntentName;
  gesture: GestureName;
}

/** A clause far past any line: planning with and without it shows which cues depend on the end. */
const FAR_MS = 1e9;
const keyOf = (c: Cue) => `${c.kind}@${Math.round(c.startMs)}`;

/**
 * Plans a line's body-language cues as its clauses arrive. After each clause it returns the cues
 * that no later clause can move (planning with an extra far-off clause, plain or stressed, gives
 * the same cue); cues that hang on the line's end (a farewell nod, a question's lean-in, a
 * gesture waiting for a stressed clause) come out of `finish()`, as the line's last audio leaves.
 */
export class CueStream {
  private readonly clauses: Timed<string>[] = [];
  private readonly sent = new Set<string>();

  constructor(private readonly line: CueLine) {}

  /** Adds a clause on the performance clock; returns the cues it settles. */
  add(clause: Timed<string>): Cue[] {
    this.clauses.push(clause);
    const now = planCues({ ...this.line, clauses: this.clauses });
    const stable = (extra: string) => {
      const clauses = [...this.clauses, { startMs: FAR_MS, endMs: FAR_MS + 1, value: extra }];
      return new Set(planCues({ ...this.line, clauses }).map(keyOf));
    };
    const [plain, stressed] = [stable(''), stable('NOW!')];
    return this.take(now.filter((c) => plain.has(keyOf(c)) && stressed.has(keyOf(c))));
  }

  /** The line is over: the cues not sent yet. */
  finish(): Cue[] {
    return this.take(planCues({ ...this.line, clauses: this.clauses }));
  }

  private take(cues: Cue[]): Cue[] {
    const fresh = cues.filter((c) => !this.sent.has(keyOf(c)));
    for (const c of fresh) this.sent.add(keyOf(c));
    return fresh;
  }
}

/**
 * The cues of a line whose delivery (emotion, intent, gesture) may be known only after some of
 * its clauses: until then clauses are kept, and on delivery they are planned at once.
 */
export class LineCues {
  private stream: CueStream | undefined;
  private readonly clauses: Timed<string>[] = [];

  constructor(line?: CueLine) {
    if (line) this.stream = new CueStream(line);
  }

  /** The delivery is known now: the cues the clauses so far settle. */
  deliver(line: CueLine): Cue[] {
    if (this.stream) return [];
    this.stream = new CueStream(line);
    return this.clauses.flatMap((c) => (this.stream as CueStream).add(c));
  }

  add(clause: Timed<string>): Cue[] {
    this.clauses.push(clause);
    return this.stream?.add(clause) ?? [];
  }

  finish(): Cue[] {
    return this.stream?.finish() ?? [];
  }
}
