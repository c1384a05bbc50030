// The fixed buckets of every latency histogram in a report (results/figures.ts HistogramData): the measuring side
// fills them, the Go harness keeps the same ones, and renderers read their bounds.

/** Buckets per doubling of the value: each bucket spans a factor of 2^(1/16), about 4.4%. */
export const BUCKETS_PER_OCTAVE = 16

/** The bucket of a value in ns: bucket i holds values in [2^(i/16), 2^((i+1)/16)). */
export function bucketOf(ns: number): number {
  return Math.floor(Math.log2(Math.max(ns, 1e-3)) * BUCKETS_PER_OCTAVE)
}

/** The range of values bucket i holds, in ns. */
export function bucketBounds(index: number): {lowNs: number; highNs: number} {
  return {lowNs: 2 ** (index / BUCKETS_PER_OCTAVE), highNs: 2 ** ((index + 1) / BUCKETS_PER_OCTAVE)}
}

/** The value reported for a bucket: its geometric middle. */
export function bucketMiddle(index: number): number {
  return 2 ** ((index + 0.5) / BUCKETS_PER_OCTAVE)
}
