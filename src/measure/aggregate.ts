// From what the rounds returned to the figures of a row: the call distribution over every round, the cold start
// over every sample, each with the interval of its median.
import type {CallStats, ColdStart, Interval} from '../results/figures.js'
import {LogHistogram, percentiles} from './histogram.js'
import {findModes} from './modes.js'
import type {RoundResult} from './rounds-protocol.js'
import {medianInterval, quantile, round, samplesNeeded} from './stats.js'

function intervalOf(values: readonly number[], digits: number): {median: number; interval?: Interval} {
  const m = medianInterval(values)!
  return {median: round(m.median, digits), interval: m.n > 1 ? {low: round(m.low, digits), high: round(m.high, digits), confidence: round(m.confidence, 4)} : undefined}
}

/** The call figures of a row from all its rounds; p50 is the median of the rounds' medians, the tails from the histogram. */
export function callStats(rounds: readonly RoundResult[]): CallStats | undefined {
  if (rounds.length === 0) return undefined
  const histogram = new LogHistogram()
  for (const r of rounds) histogram.merge(LogHistogram.from(r.histogram))
  const tails = percentiles(histogram)
  const perRound = rounds.map((r) => r.medianNs)
  const {median, interval} = intervalOf(perRound, 1)
  // Calls below 1 µs are batched: the batch size is picked per process, so rounds may differ; the largest says it.
  const batch = Math.max(...rounds.map((r) => r.batch))
  const modes = findModes(histogram)
  return {
    timing: batch > 1 ? 'batch-mean' : 'per-call',
    batch,
    p50Ns: median,
    ...(tails.p90Ns !== undefined ? {p90Ns: round(tails.p90Ns, 1)} : {}),
    ...(tails.p99Ns !== undefined ? {p99Ns: round(tails.p99Ns, 1)} : {}),
    ...(tails.p999Ns !== undefined ? {p999Ns: round(tails.p999Ns, 1)} : {}),
    maxNs: round(tails.maxNs, 1),
    meanNs: round(histogram.meanNs, 1),
    opsPerSec: Math.round(1e9 / histogram.meanNs),
    samples: histogram.count,
    rounds: perRound,
    ...(interval ? {p50Interval: interval} : {}),
    histogram: histogram.toJSON(),
    ...(modes ? {modes: modes.map((m) => ({ns: round(m.ns, 1), share: m.share})) as CallStats['modes']} : {}),
  }
}

/** Cold start from its samples: p50 with its interval, p90 and p99 only from enough samples, the maximum always. */
export function coldStartStats(samplesMs: readonly number[]): ColdStart | undefined {
  if (samplesMs.length === 0) return undefined
  const sorted = [...samplesMs].sort((a, b) => a - b)
  const {median, interval} = intervalOf(samplesMs, 3)
  const tail = (q: number) => (sorted.length >= samplesNeeded(q) ? round(quantile(sorted, q), 3) : undefined)
  const p90Ms = tail(0.9)
  const p99Ms = tail(0.99)
  return {
    p50Ms: median,
    ...(p90Ms !== undefined ? {p90Ms} : {}),
    ...(p99Ms !== undefined ? {p99Ms} : {}),
    maxMs: round(sorted.at(-1)!, 3),
    meanMs: round(sorted.reduce((s, x) => s + x, 0) / sorted.length, 3),
    samples: sorted.length,
    samplesMs: samplesMs.map((v) => round(v, 3)),
    ...(interval ? {p50Interval: interval} : {}),
  }
}
