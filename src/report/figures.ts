// The data of a measured figure beyond its p50: its distribution, its rounds, and how sure it is.
// docs/schema.md describes each field for users.

/** A log-bucketed histogram of latencies in ns: bucket i holds values in [2^(i/b), 2^((i+1)/b)), b = bucketsPerOctave. */
export interface HistogramData {
  bucketsPerOctave: number
  count: number
  minNs: number
  maxNs: number
  /** The sum of all samples, for the mean (and so that histograms merge exactly). */
  sumNs: number
  /** [bucket index, count] for every non-empty bucket, in increasing order. */
  buckets: [number, number][]
}

/** One mode of a bimodal distribution: its median and the share of the samples in it. */
export interface Mode {
  ns: number
  share: number
}
