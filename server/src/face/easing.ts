/** 0 → 1 over x in 0..1 with zero slope at both ends; clamps outside. */
export function easeInOut(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

/**
 * How much of a segment [startMs, endMs) a smoothing window centred on `tMs` sees: the segment's
 * indicator convolved with a kernel that looks `leadMs` ahead and `lagMs` back (two raised-cosine
 * halves meeting at their peak). It ramps in from `startMs − leadMs`, ramps out until
 * `endMs + lagMs`, and the weights of segments that tile the time line sum to 1 at every instant.
 * Its slope never exceeds `2 / (leadMs + lagMs)` per ms.
 */
export function segmentWeight(tMs: number, startMs: number, endMs: number, leadMs: number, lagMs: number): number {
  return windowCdf(endMs - tMs, leadMs, lagMs) - windowCdf(startMs - tMs, leadMs, lagMs);
}

/** Share of the kernel that lies before offset `u` (ms from the window's centre). */
function windowCdf(u: number, lead: number, lag: number): number {
  if (u <= -lag) return 0;
  if (u >= lead) return 1;
  const h = 2 / (lead + lag);
  if (u <= 0) return (h / 2) * (u + lag + (lag / Math.PI) * Math.sin((Math.PI * u) / lag));
  return (h * lag) / 2 + (h / 2) * (u + (lead / Math.PI) * Math.sin((Math.PI * u) / lead));
}
