// What the report's charts show, as plain data: both the mermaid writer (markdown) and the SVG plots (HTML) draw
// from these, so the two formats never disagree about which rows sit beside which floor. Optional figures (an
// interval, a histogram) are carried only when the report has them; a drawer leaves out what is absent.
import type {ClaimWords} from './claims.js'
import {benchRow, type Machine} from '../report/merge.js'
import type {BenchRowOk, CrashRow} from '../results/types.js'
import {ratioOf} from '../report/ratios.js'
import {bucketBounds} from '../results/buckets.js'
import type {PairedRatio} from '../results/figures.js'
import {flagReason} from './figures.js'
import type {ScaleChart} from './scale-chart-data.js'

/** A range a figure lies in with stated confidence, in the figure's own unit. */
export interface Interval {
  low: number
  high: number
}

export interface Bar {
  mechanism: string
  /** ns for times, bytes for memory. */
  value: number
  role: 'row' | 'floor'
  /** The row's value divided by its floor's, measured in the same run. */
  ratio?: number
  ratioInterval?: Interval
  interval?: Interval
  /** Why the figure should not be trusted as it stands (a wide interval, a row below its floor). */
  flag?: string
  /** A call figure timed in batches (calls under 1 µs): the mean call of a batch, not a single call's p50. */
  batchMean?: true
}

/** A floor followed by the rows measured against it; `floor` is absent for rows that have none. */
export interface BarGroup {
  floor?: string
  bars: Bar[]
}

export interface MachineBars {
  machine: string
  groups: BarGroup[]
}

export type Metric = 'call' | 'cold-start' | 'memory'

export interface BarChart {
  kind: 'bars'
  metric: Metric
  unit: 'ns' | 'bytes'
  /** What one bar is, e.g. "p50 per call". */
  measure: string
  machines: MachineBars[]
}

export interface PayloadLine {
  mechanism: string
  role: 'row' | 'floor'
  floor?: string
  points: {bytes: number; ns: number}[]
}

export interface LineChart {
  kind: 'payload'
  machines: {machine: string; sizes: number[]; lines: PayloadLine[]}[]
}

export type CellOutcome = 'recovered' | 'survived' | 'died' | 'froze' | 'skipped' | 'probe-failed'

export interface CrashCell {
  mechanism: string
  fault: string
  outcome: CellOutcome
  /** How the host ended, when it did: a signal, "exit N". */
  ended?: string
  detectMs?: number
  asExpected: boolean
  orphans: number
  errorCode?: string
}

export interface CrashGrid {
  kind: 'crash'
  machine: string
  faults: string[]
  mechanisms: string[]
  cells: CrashCell[]
}

/** One bin of a latency histogram: the calls that took from `lowNs` up to `highNs`. */
export interface HistogramBin {
  lowNs: number
  highNs: number
  count: number
}

export interface Distribution {
  mechanism: string
  bins: HistogramBin[]
  /** The two modes of a bimodal row, lower first, each with its share of the calls. */
  modes?: {ns: number; share: number}[]
}

export interface DistributionChart {
  kind: 'distribution'
  machines: {machine: string; rows: Distribution[]}[]
}

export interface ClaimsTable {
  kind: 'claims'
  claims: ClaimWords[]
}

export type Figure = BarChart | LineChart | CrashGrid | DistributionChart | ClaimsTable | ScaleChart

const measured = (machine: Machine) => (machine.report.bench ?? []).filter((row): row is BenchRowOk => row.status === 'ok')

interface MetricSpec {
  measure: string
  unit: BarChart['unit']
  value: (row: BenchRowOk) => number | undefined
  /** The value's 95% interval, in the chart's unit. */
  interval: (row: BenchRowOk) => Interval | undefined
  floor: (row: BenchRowOk) => string | undefined
  ratio: (row: BenchRowOk) => PairedRatio | undefined
}

const scaled = (interval: Interval | undefined, factor: number): Interval | undefined => (interval ? {low: interval.low * factor, high: interval.high * factor} : undefined)

const METRICS: Record<Metric, MetricSpec> = {
  call: {measure: 'p50 per call', unit: 'ns', value: (row) => row.call?.p50Ns, interval: (row) => scaled(row.call?.p50Interval, 1), floor: (row) => row.floor, ratio: (row) => ratioOf(row, 'call')},
  'cold-start': {
    measure: 'p50 cold start',
    unit: 'ns',
    value: (row) => (row.coldStart ? row.coldStart.p50Ms * 1e6 : undefined),
    interval: (row) => scaled(row.coldStart?.p50Interval, 1e6),
    floor: (row) => row.coldStartFloor,
    ratio: (row) => ratioOf(row, 'coldStart'),
  },
  // A plugin's memory is set beside its call floor's: the bare transport's processes cost memory too.
  memory: {measure: 'resident memory one loaded plugin adds', unit: 'bytes', value: (row) => row.rssBytes, interval: () => undefined, floor: (row) => row.floor, ratio: () => undefined},
}

/** The rows of one machine that have the metric, each group led by its floor; groups in increasing order of their floor. */
export function barGroups(machine: Machine, metric: Metric): BarGroup[] {
  const spec = METRICS[metric]
  const rows = measured(machine).filter((row) => row.family !== 'floor' && spec.value(row) !== undefined)
  const bar = (row: BenchRowOk, role: Bar['role']): Bar => {
    const ratio = role === 'row' ? spec.ratio(row) : undefined
    const interval = spec.interval(row)
    return {
      mechanism: row.mechanism,
      value: spec.value(row)!,
      role,
      ...(interval ? {interval} : {}),
      ...(ratio ? {ratio: ratio.median} : {}),
      ...(ratio && ratio.rounds.length > 1 && ratio.low !== ratio.high ? {ratioInterval: {low: ratio.low, high: ratio.high}} : {}),
      ...(ratio && ratio.flags.length > 0 ? {flag: ratio.flags.map((f) => flagReason(f, ratio)).join('; ')} : {}),
      ...(metric === 'call' && row.call?.timing === 'batch-mean' ? {batchMean: true as const} : {}),
    }
  }
  const floorRow = (id: string | undefined) => {
    const row = id === undefined ? undefined : benchRow(machine, id)
    return row?.status === 'ok' && spec.value(row) !== undefined ? row : undefined
  }
  const groups = new Map<string | undefined, BarGroup>()
  for (const row of rows) {
    const floor = floorRow(spec.floor(row))?.mechanism
    if (!groups.has(floor)) groups.set(floor, floor === undefined ? {bars: []} : {floor, bars: [bar(floorRow(floor)!, 'floor')]})
    groups.get(floor)!.bars.push(bar(row, 'row'))
  }
  const floorValue = (group: BarGroup) => (group.floor === undefined ? Number.POSITIVE_INFINITY : group.bars[0]!.value)
  return [...groups.values()].sort((a, b) => floorValue(a) - floorValue(b))
}

export function barChart(machines: readonly Machine[], metric: Metric): BarChart {
  const {measure, unit} = METRICS[metric]
  return {kind: 'bars', metric, unit, measure, machines: machines.map((m) => ({machine: m.label, groups: barGroups(m, metric)})).filter((m) => m.groups.length > 0)}
}

/** Rows measured at every payload size of their machine (a line with a gap would mislead). */
export function payloadChart(machines: readonly Machine[]): LineChart {
  const perMachine = machines.map((machine) => {
    const rows = measured(machine).filter((row) => (row.payload?.length ?? 0) > 0)
    const sizes = [...new Set(rows.flatMap((row) => row.payload!.map((p) => p.bytes)))].sort((a, b) => a - b)
    const lines = rows
      .filter((row) => sizes.every((bytes) => row.payload!.some((p) => p.bytes === bytes)))
      .map((row) => ({mechanism: row.mechanism, role: row.family === 'floor' ? ('floor' as const) : ('row' as const), ...(row.floor ? {floor: row.floor} : {}), points: sizes.map((bytes) => ({bytes, ns: row.payload!.find((p) => p.bytes === bytes)!.p50Ns}))}))
    return {machine: machine.label, sizes, lines}
  })
  return {kind: 'payload', machines: perMachine.filter((m) => m.lines.length > 0)}
}

/** The histogram of each row timed call by call (the IPC rows), with its modes when bimodal. */
export function distributionChart(machines: readonly Machine[]): DistributionChart {
  const rows = (machine: Machine): Distribution[] =>
    measured(machine)
      .filter((row) => row.call?.timing === 'per-call')
      .map((row) => {
        const {histogram, modes} = row.call!
        const bins = histogram.buckets.map(([index, count]) => ({...bucketBounds(index), count}))
        return {mechanism: row.mechanism, bins, ...(modes ? {modes} : {})}
      })
  return {kind: 'distribution', machines: machines.map((machine) => ({machine: machine.label, rows: rows(machine)})).filter((m) => m.rows.length > 0)}
}

function crashCell(row: CrashRow): CrashCell {
  // A cell that was not probed has no outcome to compare (the markdown lists only probed cells as differing) and leaves nothing behind.
  if (row.status !== 'ok') return {mechanism: row.mechanism, fault: row.fault, asExpected: true, orphans: 0, outcome: row.status === 'skipped' ? 'skipped' : 'probe-failed'}
  const base = {mechanism: row.mechanism, fault: row.fault, asExpected: row.asExpected, orphans: row.orphans}
  const extra = {...(row.detectMs !== undefined ? {detectMs: row.detectMs} : {}), ...(row.errorCode ? {errorCode: row.errorCode} : {})}
  // A host that crash-test's watchdog killed froze: the SIGKILL is crash-test's, not the plugin's.
  if (row.errorCode === 'HOST_HUNG') return {...base, ...extra, outcome: 'froze'}
  if (!row.hostSurvived) return {...base, ...extra, outcome: 'died', ended: row.signal ?? (row.exitCode !== undefined ? `exit ${row.exitCode}` : 'died')}
  return {...base, ...extra, outcome: row.recovered ? 'recovered' : 'survived'}
}

/** The fault matrix of one machine; mechanisms skipped for every fault are left to the text below the grid. */
export function crashGrid(machine: Machine, mechanisms: readonly string[]): CrashGrid {
  const rows = (machine.report.crash ?? []).filter((row) => mechanisms.includes(row.mechanism))
  return {kind: 'crash', machine: machine.label, faults: [...new Set(rows.map((row) => row.fault))], mechanisms: [...mechanisms], cells: rows.map(crashCell)}
}
