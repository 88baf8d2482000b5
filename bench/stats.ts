/** Order statistics of a sample, nearest-rank (no interpolation: every value was really observed). */
export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  const s = [...values].sort((a, b) => a - b);
  const rank = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { n: s.length, min: s[0]!, median: rank(0.5), p90: rank(0.9), max: s[s.length - 1]! };
}
