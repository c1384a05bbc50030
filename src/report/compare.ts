// Two runs, figure by figure, as benchstat compares benchmarks: the change as a factor with its interval (the
// Hodges-Lehmann estimate over the rounds of both runs) and a Mann-Whitney U test on those rounds; a change that
// is not significant is "~". A significant slow-down beyond the threshold is a regression.
import {mannWhitney, mannWhitneyExactCdf, shiftFactor, type ShiftEstimate} from '../measure/stats.js'
import type {Machine} from './merge.js'
import {scaleFigures} from './compare-scale.js'
import type {BenchRow, BenchRowOk} from './types.js'

/** Significance level of the Mann-Whitney test. */
export const ALPHA = 0.05
export const DEFAULT_THRESHOLD_PCT = 10

export type ChangeVerdict = 'better' | 'worse' | 'same' | 'untested'

/** One figure of one row in both runs. Every figure is smaller-is-better. */
export interface FigureChange {
  mechanism: string
  /** `call`, `coldStart`, or a paired ratio: `call vs <floor or row>`, `coldStart vs <floor>`. */
  figure: string
  unit: 'ns' | 'ms' | 'x' | 'bytes'
  before: number
  after: number
  /** Rounds (or samples) behind each side. */
  beforeRounds: number
  afterRounds: number
  /** after / before, with its interval; absent without values on both sides. */
  change?: ShiftEstimate
  /** Two-sided Mann-Whitney p-value of the rounds. */
  p?: number
  /** `untested`: too few rounds on a side for any change to be significant. */
  verdict: ChangeVerdict
  /** A significant slow-down by more than the threshold. */
  regression: boolean
}

/** A row whose status changed between the runs (it failed, was skipped, or appeared). */
export interface StatusChange {
  mechanism: string
  /** `scale` for a row of scale's figures; bench's otherwise. */
  part?: 'scale'
  before: BenchRow['status'] | 'absent'
  after: BenchRow['status'] | 'absent'
  reason?: string
}

export interface MachineComparison {
  label: string
  /** The baseline machine's label, when the two differ (one machine in each file, compared anyway). */
  beforeLabel?: string
  figures: FigureChange[]
  statusChanges: StatusChange[]
}

export interface Comparison {
  thresholdPct: number
  alpha: number
  machines: MachineComparison[]
  /** Machines found in only one of the runs. */
  unmatched: {label: string; side: 'before' | 'after'}[]
  regressions: number
}

/** A figure of one run: its median and the rounds (or samples) behind it. */
export interface Figure {
  figure: string
  unit: FigureChange['unit']
  median: number
  values: number[]
}

/** The figures `compare` reads from a row: its call p50 and cold start, and each of its paired ratios. */
export function figuresOf(row: BenchRowOk): Figure[] {
  const out: Figure[] = []
  if (row.call) out.push({figure: 'call', unit: 'ns', median: row.call.p50Ns, values: row.call.rounds})
  if (row.coldStart) out.push({figure: 'coldStart', unit: 'ms', median: row.coldStart.p50Ms, values: row.coldStart.samplesMs})
  for (const ratio of row.ratios ?? []) out.push({figure: `${ratio.figure} vs ${ratio.against}`, unit: 'x', median: ratio.median, values: ratio.blocks ?? ratio.rounds})
  return out
}

// With this few rounds on a side, even two runs that do not overlap at all are not significant.
function tooFew(n1: number, n2: number): boolean {
  return 2 * mannWhitneyExactCdf(n1, n2, 0) > ALPHA
}

export function compareFigure(mechanism: string, before: Figure, after: Figure, thresholdPct: number): FigureChange {
  const base = {mechanism, figure: after.figure, unit: after.unit, before: before.median, after: after.median, beforeRounds: before.values.length, afterRounds: after.values.length}
  const change = shiftFactor(before.values, after.values)
  const test = mannWhitney(before.values, after.values)
  if (!change || !test || tooFew(before.values.length, after.values.length)) return {...base, ...(change ? {change} : {}), ...(test ? {p: test.p} : {}), verdict: 'untested', regression: false}
  const verdict: ChangeVerdict = test.p >= ALPHA ? 'same' : change.factor > 1 ? 'worse' : 'better'
  return {...base, change, p: test.p, verdict, regression: verdict === 'worse' && (change.factor - 1) * 100 > thresholdPct}
}

type Rows<R> = {rows: readonly R[]; figures: (row: Extract<R, {status: 'ok'}>) => Figure[]; part?: 'scale'}

// The rows of one section (bench's, scale's) in both runs: their figures compared, their status changes listed.
function compareRows<R extends {mechanism: string; status: 'ok' | 'skipped' | 'failed'; reason?: string}>(before: Rows<R>, after: Rows<R>, thresholdPct: number): Pick<MachineComparison, 'figures' | 'statusChanges'> {
  const figures: FigureChange[] = []
  const statusChanges: StatusChange[] = []
  const part = after.part ? {part: after.part} : {}
  const ids = [...new Set([...after.rows, ...before.rows].map((r) => r.mechanism))]
  for (const id of ids) {
    const old = before.rows.find((r) => r.mechanism === id)
    const now = after.rows.find((r) => r.mechanism === id)
    if (old?.status !== now?.status) {
      statusChanges.push({mechanism: id, ...part, before: old?.status ?? 'absent', after: now?.status ?? 'absent', ...(now && now.status !== 'ok' ? {reason: now.reason} : {})})
    }
    if (old?.status !== 'ok' || now?.status !== 'ok') continue
    const oldFigures = before.figures(old as Extract<R, {status: 'ok'}>)
    for (const figure of after.figures(now as Extract<R, {status: 'ok'}>)) {
      const previous = oldFigures.find((f) => f.figure === figure.figure)
      if (previous) figures.push(compareFigure(id, previous, figure, thresholdPct))
    }
  }
  return {figures, statusChanges}
}

function compareMachine(before: Machine, after: Machine, thresholdPct: number): MachineComparison {
  const bench = compareRows({rows: before.report.bench ?? [], figures: figuresOf}, {rows: after.report.bench ?? [], figures: figuresOf}, thresholdPct)
  const scale = compareRows({rows: before.report.scale ?? [], figures: scaleFigures, part: 'scale'}, {rows: after.report.scale ?? [], figures: scaleFigures, part: 'scale'}, thresholdPct)
  return {
    label: after.label,
    ...(before.label !== after.label ? {beforeLabel: before.label} : {}),
    figures: [...bench.figures, ...scale.figures],
    statusChanges: [...bench.statusChanges, ...scale.statusChanges],
  }
}

/**
 * Compares the machines of two runs by label; when each run holds exactly one machine, those two are compared
 * whatever their labels (the result names both).
 */
export function compareRuns(before: readonly Machine[], after: readonly Machine[], thresholdPct = DEFAULT_THRESHOLD_PCT): Comparison {
  const pairs: [Machine, Machine][] =
    before.length === 1 && after.length === 1 ? [[before[0]!, after[0]!]] : after.flatMap((m) => before.filter((b) => b.label === m.label).map((b) => [b, m] as [Machine, Machine]))
  const matched = new Set(pairs.flatMap(([b, a]) => [`before:${b.label}`, `after:${a.label}`]))
  const unmatched = [...before.map((m) => ({label: m.label, side: 'before' as const})), ...after.map((m) => ({label: m.label, side: 'after' as const}))].filter((m) => !matched.has(`${m.side}:${m.label}`))
  const machines = pairs.map(([b, a]) => compareMachine(b, a, thresholdPct))
  return {thresholdPct, alpha: ALPHA, machines, unmatched, regressions: machines.reduce((n, m) => n + m.figures.filter((f) => f.regression).length, 0)}
}
