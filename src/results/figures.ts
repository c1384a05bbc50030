// The data of a measured figure beyond its p50: its rounds, its distribution, and how sure it is.
// docs/schema.md describes each field for users; the HTML and markdown renderers draw from these alone.

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

/** A distribution-free interval around a median; `confidence` is its real coverage (below 0.95 with few values). */
export interface Interval {
  low: number
  high: number
  confidence: number
}

/** How each sample of `call` was timed: one call alone, or the mean of `batch` calls timed together. */
export type Timing = 'per-call' | 'batch-mean'

/** Per-call latency of a row over all its rounds. */
export interface CallStats {
  timing: Timing
  /** Calls timed together per sample (1 when `timing` is per-call). */
  batch: number
  p50Ns: number
  /** Each percentile only from enough samples (10, 100, 1000); renderers say "max of N" otherwise. */
  p90Ns?: number
  p99Ns?: number
  p999Ns?: number
  maxNs: number
  meanNs: number
  opsPerSec: number
  samples: number
  /** The p50 of each round, in the order measured: the interval below, and `compare`, come from them. */
  rounds: number[]
  /** The interval of the median of `rounds`. */
  p50Interval?: Interval
  histogram: HistogramData
  /** Present when the distribution has two clear modes (lower first). */
  modes?: [Mode, Mode]
}

/** Cold start: every sample, each from nothing to the first correct answer. */
export interface ColdStart {
  p50Ms: number
  p90Ms?: number
  p99Ms?: number
  maxMs: number
  meanMs: number
  samples: number
  samplesMs: number[]
  p50Interval?: Interval
}

/** Why a ratio may not mean what it seems to; renderers write the words and the advice. */
export type StabilityFlag =
  /** The interval spans more than the allowed factor (high / low). */
  | {code: 'wide-interval'; widthFactor: number}
  /** The first and second half of the rounds differ (Mann-Whitney p below 0.01): the machine changed during the run. */
  | {code: 'rounds-disagree'; firstHalf: number; secondHalf: number; p: number}
  /** The row came out faster than the bare transport it runs on. */
  | {code: 'below-floor'; median: number}

/** What a ratio compares: a row's per-call p50 or its cold start, against a floor or another row. */
export type RatioFigure = 'call' | 'coldStart'

/** A ratio measured in paired rounds: each round of the row next to a round of its comparand, in the same machine state. */
export interface PairedRatio extends Interval {
  figure: RatioFigure
  /** The floor or row compared with. */
  against: string
  /** A floor (the row's overhead over its transport) or another row (a comparison of two mechanisms). */
  kind: 'floor' | 'row'
  median: number
  /** The ratio of each pair of rounds, in order. */
  rounds: number[]
  /**
   * The geometric mean of each block of two pairs (A B, B A), in order: `median`, the interval and the flags come from
   * these. Absent in reports written before blocks were kept, whose figures came from `rounds`.
   */
  blocks?: number[]
  /** Empty when the ratio is stable. */
  flags: StabilityFlag[]
}
