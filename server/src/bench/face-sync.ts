import type { Performance } from '@stagecraft/sdk';

/** Arrival times (performance.now) of one performance's audio chunks and face messages at the client. */
export interface Arrivals {
  audio: { endMs: number; at: number }[];
  /** `untilMs`: time of the message's last frame. */
  face: { untilMs: number; at: number }[];
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;

/** How open the mouth should be for each wire viseme (enum order sil, PP, FF … ou): the reference. */
const OPENNESS = [0, 0, 0.15, 0.25, 0.3, 0.35, 0.3, 0.2, 0.25, 0.35, 1, 0.7, 0.5, 0.8, 0.5];
const MAX_LAG_MS = 150;

/**
 * The lag, ms, that best lines up the FacePlayer's jawOpen with the openness of the visemes in
 * the audio's own phoneme timing (cross-correlation at 1 ms steps). Negative: the face leads.
 */
async function lagMs(p: Performance, durationMs: number): Promise<number> {
  const visemes = [];
  for await (const events of p.visemes) visemes.push(...events.visemes);
  const n = Math.floor(durationMs);
  const face = new Float64Array(n);
  const target = new Float64Array(n);
  let k = 0;
  for (let ms = 0; ms < n; ms++) {
    face[ms] = p.facePlayer.namedWeightsAt(ms).jawOpen;
    while (k < visemes.length && (visemes[k]?.endMs ?? 0) <= ms) k++;
    const v = visemes[k];
    target[ms] = v && v.startMs <= ms ? (OPENNESS[v.viseme] ?? 0) : 0;
  }
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
  const mf = mean(face);
  const mt = mean(target);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let lag = -MAX_LAG_MS; lag <= MAX_LAG_MS; lag++) {
    let score = 0;
    for (let ms = MAX_LAG_MS; ms < n - MAX_LAG_MS; ms++)
      score += ((face[ms + lag] as number) - mf) * ((target[ms] as number) - mt);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/**
 * Sync at the SDK client. Lead: for every audio chunk, how long before it the face message that
 * covers its end arrived (negative would mean the face came late). Skew: per line, the lag that
 * best aligns the FacePlayer's jaw with the visemes of the audio's phoneme timing.
 */
export async function measurePlayer(performances: Performance[], arrivals: Map<string, Arrivals>) {
  const leads: number[] = [];
  const lags: number[] = [];
  for (const p of performances) {
    const a = arrivals.get(p.id);
    if (!a) throw new Error(`no arrivals recorded for performance ${p.id}`);
    for (const chunk of a.audio) {
      const face = a.face.find((m) => m.untilMs >= chunk.endMs);
      leads.push(face ? chunk.at - face.at : Number.NEGATIVE_INFINITY);
    }
    const end = await p.ended;
    lags.push(await lagMs(p, end.durationMs));
  }
  const abs = lags.map(Math.abs);
  return {
    performances: performances.length,
    minLeadMs: Math.min(...leads),
    medianLeadMs: median(leads),
    meanLagMs: lags.reduce((s, v) => s + v, 0) / Math.max(1, lags.length),
    maxSkewMs: Math.max(...abs),
  };
}
