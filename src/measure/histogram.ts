// A log-bucketed latency histogram in the spirit of HdrHistogram: fixed buckets, so histograms from different
// rounds, processes and languages (the Go harness keeps the same buckets) merge by adding counts, and a JSON form
// small enough to keep for every row.
import {BUCKETS_PER_OCTAVE, bucketMiddle, bucketOf} from '../results/buckets.js'
import type {HistogramData} from '../results/figures.js'

export {BUCKETS_PER_OCTAVE, bucketBounds, bucketMiddle, bucketOf} from '../results/buckets.js'
import {samplesNeeded} from './stats.js'

export class LogHistogram {
  readonly counts = new Map<number, number>()
  count = 0
  minNs = Number.POSITIVE_INFINITY
  maxNs = Number.NEGATIVE_INFINITY
  sumNs = 0

  static from(data: HistogramData): LogHistogram {
    if (data.bucketsPerOctave !== BUCKETS_PER_OCTAVE) throw new Error(`a histogram with ${data.bucketsPerOctave} buckets per octave cannot be read: this version uses ${BUCKETS_PER_OCTAVE}`)
    const h = new LogHistogram()
    for (const [index, count] of data.buckets) h.counts.set(index, (h.counts.get(index) ?? 0) + count)
    h.count = data.count
    h.minNs = data.minNs
    h.maxNs = data.maxNs
    h.sumNs = data.sumNs
    return h
  }

  static of(samplesNs: readonly number[]): LogHistogram {
    const h = new LogHistogram()
    for (const v of samplesNs) h.record(v)
    return h
  }

  record(ns: number, times = 1): void {
    const index = bucketOf(ns)
    this.counts.set(index, (this.counts.get(index) ?? 0) + times)
    this.count += times
    this.sumNs += ns * times
    if (ns < this.minNs) this.minNs = ns
    if (ns > this.maxNs) this.maxNs = ns
  }

  /** Adds another histogram's counts into this one. */
  merge(other: LogHistogram): this {
    for (const [index, count] of other.counts) this.counts.set(index, (this.counts.get(index) ?? 0) + count)
    this.count += other.count
    this.sumNs += other.sumNs
    this.minNs = Math.min(this.minNs, other.minNs)
    this.maxNs = Math.max(this.maxNs, other.maxNs)
    return this
  }

  get meanNs(): number {
    return this.count === 0 ? Number.NaN : this.sumNs / this.count
  }

  /** The buckets in increasing order of value. */
  sortedBuckets(): [number, number][] {
    return [...this.counts.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0])
  }

  /**
   * The q-quantile by nearest rank: the value of the bucket holding the ceil(q * count)-th smallest sample, within
   * half a bucket (2.2%) of it; q = 0 and q = 1 give the exact minimum and maximum.
   */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN
    if (q <= 0) return this.minNs
    if (q >= 1) return this.maxNs
    const rank = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    for (const [index, count] of this.sortedBuckets()) {
      seen += count
      if (seen >= rank) return Math.min(this.maxNs, Math.max(this.minNs, bucketMiddle(index)))
    }
    return this.maxNs
  }

  toJSON(): HistogramData {
    const tenth = (ns: number) => Math.round(ns * 10) / 10
    return {bucketsPerOctave: BUCKETS_PER_OCTAVE, count: this.count, minNs: tenth(this.minNs), maxNs: tenth(this.maxNs), sumNs: tenth(this.sumNs), buckets: this.sortedBuckets()}
  }
}

/** The percentiles a report shows, each only when there are enough samples for it (else "max of N"). */
export const PERCENTILES = [
  {key: 'p50Ns', q: 0.5},
  {key: 'p90Ns', q: 0.9},
  {key: 'p99Ns', q: 0.99},
  {key: 'p999Ns', q: 0.999},
] as const


export interface Percentiles {
  p50Ns: number
  p90Ns?: number
  p99Ns?: number
  p999Ns?: number
  maxNs: number
  count: number
}

/** p50 always; p90, p99 and p99.9 only from enough samples; the maximum always. */
export function percentiles(h: LogHistogram): Percentiles {
  const out: Percentiles = {p50Ns: h.quantile(0.5), maxNs: h.maxNs, count: h.count}
  for (const {key, q} of PERCENTILES) if (key !== 'p50Ns' && h.count >= samplesNeeded(q)) out[key] = h.quantile(q)
  return out
}
