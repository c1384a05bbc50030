// How every renderer writes a figure: batched rows say "batch mean", a tail the samples cannot give says
// "max of N", a ratio carries its interval and a ⚠ when flagged, and a flag is written out with its advice.
import type {CallStats, ColdStart, PairedRatio, StabilityFlag} from '../results/figures.js'
import type {BenchRowOk} from '../results/types.js'
import {formatMs, formatNs, formatRatio} from './format.js'

const BATCH = 'batch mean'

/** A call figure in ns, labelled "batch mean" when the row's calls were timed in batches. */
export function callFigure(call: CallStats, ns: number | undefined): string {
  if (ns === undefined) return '-'
  return call.timing === 'batch-mean' ? `${formatNs(ns)} ${BATCH}` : formatNs(ns)
}

type Tail = 'p90Ns' | 'p99Ns' | 'p999Ns'

/** A tail percentile, or "max X of N" when there were too few samples for it. */
export function tailFigure(call: CallStats, tail: Tail): string {
  const value = call[tail]
  if (value !== undefined) return callFigure(call, value)
  return `max ${callFigure(call, call.maxNs)} of ${call.samples}`
}

/** Cold start's p99, or its maximum "of N" samples when they are too few for a p99 (5 samples have none). */
export function coldTail(cold: ColdStart): string {
  return cold.p99Ms !== undefined ? formatMs(cold.p99Ms) : `max ${formatMs(cold.maxMs)} of ${cold.samples}`
}

const percent = (confidence: number) => `${Math.floor(confidence * 1000) / 10}%`

/** " (1.05–1.2)" of a ratio's interval, with its coverage when it is below 95%. */
export function intervalFigure(low: number, high: number, confidence: number): string {
  const coverage = confidence < 0.95 ? `, ${percent(confidence)}` : ''
  const bound = (value: number) => formatRatio(value).replace(/x$/, '')
  return ` (${bound(low)}–${bound(high)}${coverage})`
}

/** "1.12x (1.05–1.2)", the interval's coverage when it is below 95%, and ⚠ when the ratio is flagged. */
export function ratioFigure(ratio: PairedRatio | undefined): string {
  if (!ratio) return '-'
  const interval = ratio.rounds.length > 1 && ratio.low !== ratio.high ? intervalFigure(ratio.low, ratio.high, ratio.confidence) : ''
  return `${formatRatio(ratio.median)}${interval}${ratio.flags.length > 0 ? ' ⚠' : ''}`
}

/** What a flag means, in a few words. */
export function flagReason(flag: StabilityFlag, ratio: PairedRatio): string {
  switch (flag.code) {
    case 'wide-interval':
      return `its interval ${formatRatio(ratio.low)}–${formatRatio(ratio.high)} is wide (a factor of ${flag.widthFactor})`
    case 'rounds-disagree':
      return `the first half of the rounds gave ${formatRatio(flag.firstHalf)} and the second half ${formatRatio(flag.secondHalf)} (Mann-Whitney p = ${flag.p})`
    case 'below-floor':
      return `${formatRatio(flag.median)} is below its floor, and no mechanism is faster than the transport it runs on`
  }
}

export const FLAG_ADVICE = 'the machine state changed during the run (other load, idle cores waking): rerun, or use --rounds N for more pairs of rounds'

/** One line per flagged ratio of the rows: which ratio, why, and what to do. */
export function flagLines(rows: readonly BenchRowOk[]): string[] {
  const lines: string[] = []
  for (const row of rows) {
    for (const ratio of row.ratios ?? []) {
      if (ratio.flags.length === 0) continue
      const what = `${row.mechanism} ${ratio.figure === 'coldStart' ? 'cold start' : 'call'} vs ${ratio.against} ${formatRatio(ratio.median)}`
      lines.push(`⚠ ${what}: ${ratio.flags.map((f) => flagReason(f, ratio)).join('; ')}: ${FLAG_ADVICE}`)
    }
  }
  return lines
}

/** "bimodal: 15.2 µs (62%) and 112 µs (31%)" for a row whose calls fall in two modes. */
export function modesText(call: CallStats): string | undefined {
  if (!call.modes) return undefined
  const [low, high] = call.modes
  return `bimodal: ${callFigure(call, low.ns)} (${Math.round(low.share * 100)}%) and ${callFigure(call, high.ns)} (${Math.round(high.share * 100)}%)`
}

/** Resident memory, or "not measured" where this platform could not read it. */
export function rssFigure(row: BenchRowOk, format: (bytes: number) => string): string {
  if (row.rssBytes !== undefined) return format(row.rssBytes)
  return row.call ? 'not measured' : '-'
}
