// The HTML report's charts: Observable Plot drawn to static SVG when the report is written (a DOM from jsdom stands
// in for the browser's), so the page needs no script and no network, and the same data always gives the same SVG.
import * as Plot from '@observablehq/plot'
import type {Bar, BarChart, CellOutcome, CrashCell, CrashGrid, Distribution, LineChart, PayloadLine} from '../chart-data.js'
import {formatBytes, formatMs, formatNs, formatRatio} from '../format.js'

export const ROW_COLOUR = '#1f77b4'
export const FLOOR_COLOUR = '#6b6b6b'
const STRIPE = '#f1f3f6'
const FONT = {fontSize: '12px', fontFamily: 'system-ui, sans-serif'}
const ROW_HEIGHT = 26

export const OUTCOME_COLOURS: Record<CellOutcome, string> = {
  recovered: '#3d9a50',
  survived: '#f0c24b',
  died: '#d64541',
  froze: '#7b1f1f',
  skipped: '#e4e6ea',
  'probe-failed': '#9aa0a6',
}

export const OUTCOME_WORDS: Record<CellOutcome, string> = {
  recovered: 'host survived, next call answered after a restart',
  survived: 'host survived, no recovery',
  died: 'host died',
  froze: 'host froze (killed by the watchdog)',
  skipped: 'not applicable here',
  'probe-failed': 'the probe itself failed',
}

const DARK_OUTCOMES = new Set<CellOutcome>(['recovered', 'died', 'froze'])

const svg = (element: Element) => element.outerHTML

interface BarDatum extends Bar {
  machine: string
  group: number
  floorValue?: number
}

function barData(chart: BarChart): BarDatum[] {
  return chart.machines.flatMap((m) =>
    m.groups.flatMap((group, index) => {
      const floorValue = group.floor === undefined ? undefined : group.bars[0]!.value
      return group.bars.map((bar) => ({...bar, machine: m.machine, group: index, ...(bar.role === 'row' && floorValue !== undefined ? {floorValue} : {})}))
    }),
  )
}

/** Mechanisms in the order of the first machine that has them: its floors each above their rows. */
function mechanismOrder(data: readonly BarDatum[]): string[] {
  return [...new Set(data.map((d) => d.mechanism))]
}

function valueText(chart: BarChart, d: Bar): string {
  const value = `${chart.unit === 'bytes' ? formatBytes(d.value) : formatNs(d.value)}${d.batchMean ? ' batch mean' : ''}`
  const interval = d.interval ? ` [${chart.unit === 'bytes' ? formatBytes(d.interval.low) : formatNs(d.interval.low)}–${chart.unit === 'bytes' ? formatBytes(d.interval.high) : formatNs(d.interval.high)}]` : ''
  if (d.role === 'floor') return `${value}${interval} · floor`
  if (d.ratio === undefined) return `${value}${interval}`
  const ratioInterval = d.ratioInterval ? ` (${formatRatio(d.ratioInterval.low)}–${formatRatio(d.ratioInterval.high)})` : ''
  return `${value}${interval} · ${formatRatio(d.ratio)}${ratioInterval}${d.flag ? ' ⚠' : ''}`
}

/** The frame both row charts share: a band per mechanism, a panel per machine, the figures in a right-hand column. */
function rowFrame(chart: BarChart, order: readonly string[], document: Document) {
  const several = chart.machines.length > 1
  return {
    document,
    style: FONT,
    width: several ? 360 * chart.machines.length + 180 : 1240,
    height: order.length * ROW_HEIGHT + 70,
    marginLeft: 170,
    // The axis label below the tick labels: beside them it ran into the last panel's ticks.
    marginBottom: 46,
    // Room for the longest figure text: "165 µs [155 µs–175 µs] · 2.28x (2.09x–2.63x) ⚠".
    marginRight: several ? 20 : 400,
    fx: several ? {label: null, domain: chart.machines.map((m) => m.machine), padding: 0.2} : undefined,
  }
}

const tooltip = (chart: BarChart) => (d: BarDatum) => `${d.mechanism} on ${d.machine}: ${valueText(chart, d)}${d.flag ? `\n⚠ ${d.flag}` : ''}`

/**
 * Times on a real log axis: a dot per row at its p50, its confidence interval as an error bar when the report has
 * one, and a line from the row's floor to the row, so the overhead reads as a length. Machines side by side.
 */
export function timePlot(chart: BarChart, document: Document): string {
  const data = barData(chart)
  const order = mechanismOrder(data)
  const values = data.flatMap((d) => [d.value, d.interval?.low ?? d.value, d.interval?.high ?? d.value])
  const [min, max] = logDomain(values)
  const several = chart.machines.length > 1
  const withFloor = data.filter((d) => d.floorValue !== undefined)
  const withInterval = data.filter((d) => d.interval !== undefined)
  const stripes = data.filter((d) => d.group % 2 === 1)
  return svg(
    Plot.plot({
      ...rowFrame(chart, order, document),
      x: {type: 'log', domain: [min, max], ticks: logTicks(min, max), tickFormat: (v: number) => formatNs(v), grid: true, label: `${chart.measure} (log scale) →`, labelOffset: 40, labelAnchor: 'center'},
      y: {domain: order, label: null},
      marks: [
        Plot.barX(stripes, {y: 'mechanism', x1: min, x2: max, fx: several ? 'machine' : undefined, fill: STRIPE}),
        Plot.ruleY(withFloor, {y: 'mechanism', x1: 'floorValue', x2: 'value', fx: several ? 'machine' : undefined, stroke: ROW_COLOUR, strokeOpacity: 0.35, strokeWidth: 5, className: 'overhead'}),
        Plot.tickX(withFloor, {x: 'floorValue', y: 'mechanism', fx: several ? 'machine' : undefined, stroke: FLOOR_COLOUR, strokeWidth: 2, insetTop: 6, insetBottom: 6}),
        Plot.ruleY(withInterval, {y: 'mechanism', x1: (d: BarDatum) => d.interval!.low, x2: (d: BarDatum) => d.interval!.high, fx: several ? 'machine' : undefined, stroke: '#111', strokeWidth: 1.5, className: 'interval'}),
        Plot.tickX(withInterval, {x: (d: BarDatum) => d.interval!.low, y: 'mechanism', fx: several ? 'machine' : undefined, stroke: '#111', insetTop: 7, insetBottom: 7, className: 'interval'}),
        Plot.tickX(withInterval, {x: (d: BarDatum) => d.interval!.high, y: 'mechanism', fx: several ? 'machine' : undefined, stroke: '#111', insetTop: 7, insetBottom: 7, className: 'interval'}),
        Plot.dot(data, {x: 'value', y: 'mechanism', fx: several ? 'machine' : undefined, r: 5, fill: (d: BarDatum) => (d.role === 'floor' ? FLOOR_COLOUR : ROW_COLOUR), stroke: 'white', title: tooltip(chart)}),
        ...(several ? [] : [Plot.text(data, {x: max, y: 'mechanism', text: (d: BarDatum) => valueText(chart, d), textAnchor: 'start', dx: 12, fill: (d: BarDatum) => (d.flag ? '#b00020' : 'currentColor')})]),
      ],
    }),
  )
}

/** Memory on a linear axis (a bar must start at zero): MiB, a bar per row, floors in grey. Machines side by side. */
export function memoryPlot(chart: BarChart, document: Document): string {
  const data = barData(chart)
  const order = mechanismOrder(data)
  const several = chart.machines.length > 1
  const mib = (bytes: number) => bytes / 1024 ** 2
  const max = Math.max(...data.map((d) => mib(d.value)), 0.001)
  return svg(
    Plot.plot({
      ...rowFrame(chart, order, document),
      x: {domain: [0, max * 1.05], grid: true, label: 'MiB of resident memory one loaded plugin adds →', labelOffset: 40, labelAnchor: 'center'},
      y: {domain: order, label: null, padding: 0.25},
      marks: [
        Plot.barX(data, {x: (d: BarDatum) => mib(d.value), y: 'mechanism', fx: several ? 'machine' : undefined, fill: (d: BarDatum) => (d.role === 'floor' ? FLOOR_COLOUR : ROW_COLOUR), title: tooltip(chart)}),
        Plot.ruleX([0]),
        ...(several ? [] : [Plot.text(data, {x: max * 1.05, y: 'mechanism', text: (d: BarDatum) => valueText(chart, d), textAnchor: 'start', dx: 12})]),
      ],
    }),
  )
}

export const LINE_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf']

export interface PayloadPanel {
  /** The floor the panel's rows run over, or undefined for rows without one. */
  floor?: string
  lines: PayloadLine[]
  /** "1 of 2" when a panel had more rows than colours. */
  part?: string
}

/** The payload lines of one machine in panels: each floor with the rows measured against it, and the rest. */
export function payloadPanels(machine: LineChart['machines'][number]): PayloadPanel[] {
  const key = (line: PayloadLine) => (line.role === 'floor' ? line.mechanism : line.floor)
  const panels = new Map<string | undefined, PayloadPanel>()
  for (const line of machine.lines) {
    const floor = key(line)
    if (!panels.has(floor)) panels.set(floor, floor === undefined ? {lines: []} : {floor, lines: []})
    panels.get(floor)!.lines.push(line)
  }
  return [...panels.values()].flatMap((panel) => panelParts(panel))
}

/** A panel with more rows than the palette has colours, as several panels: the floor's line in each, "(1 of 2)". */
export function panelParts<L extends {role: 'row' | 'floor'}, P extends {lines: L[]}>(panel: P): (P & {part?: string})[] {
  const floors = panel.lines.filter((line) => line.role === 'floor')
  const rows = panel.lines.filter((line) => line.role === 'row')
  const size = LINE_COLOURS.length - floors.length
  if (rows.length <= size) return [panel]
  const parts = Math.ceil(rows.length / size)
  return Array.from({length: parts}, (_, index) => ({...panel, lines: [...floors, ...rows.slice(index * size, (index + 1) * size)], part: `${index + 1} of ${parts}`}))
}

/** A line of a log-log plot, drawn in its colour; a floor's line is dashed. */
export interface LogLogLine {
  mechanism: string
  colour: string
  floor: boolean
  /** `low` and `high`: an error bar at the point, when the data has one. */
  points: {x: number; y: number; low?: number; high?: number}[]
}

export interface LogLogAxes {
  xs: readonly number[]
  xText: (x: number) => string
  /** What x is, under its axis. */
  xLabel: string
  yDomain: [number, number]
  yTicks: readonly number[]
  yText: (y: number) => string
  /** The tooltip of one point. */
  title: (mechanism: string, x: number, y: number) => string
}

/**
 * Lines over a few x values, both axes on log scales, in a small panel; its legend is the page's (HTML), so
 * labels never overlap lines. Error bars of lines sharing an x are set a little apart, so none hides another.
 */
export function logLogPlot(lines: readonly LogLogLine[], axes: LogLogAxes, document: Document): string {
  const [min, max] = axes.yDomain
  const clamp = (y: number) => Math.min(max, Math.max(min, y))
  const points = lines.flatMap((line) => line.points.map((p) => ({...p, mechanism: line.mechanism, colour: line.colour})))
  const errorBars = lines.flatMap((line, index) => {
    const bars = line.points.filter((p) => p.low !== undefined && p.high !== undefined).map((p) => ({x: p.x, y1: clamp(p.low!), y2: clamp(p.high!), colour: line.colour}))
    return bars.length === 0 ? [] : [Plot.ruleX(bars, {x: 'x', y1: 'y1', y2: 'y2', stroke: 'colour', strokeWidth: 1.2, dx: (index - (lines.length - 1) / 2) * 3, className: 'interval'})]
  })
  return svg(
    Plot.plot({
      document,
      style: FONT,
      width: 340,
      height: 250,
      marginLeft: 62,
      marginRight: 14,
      marginBottom: 40,
      x: {type: 'log', domain: [axes.xs[0]! / 1.5, axes.xs.at(-1)! * 1.5], axis: null},
      y: {type: 'log', domain: [min, max], axis: null},
      marks: [
        Plot.frame({stroke: '#ccc'}),
        Plot.gridY(axes.yTicks, {stroke: '#eee', strokeOpacity: 1}),
        Plot.axisY(axes.yTicks, {text: axes.yText, label: null, tickSize: 4}),
        Plot.axisX(axes.xs, {text: axes.xText, label: axes.xLabel, labelAnchor: 'right', labelArrow: 'right', labelOffset: 34, tickSize: 4}),
        ...errorBars,
        ...lines.map((line) => Plot.line(line.points, {x: 'x', y: 'y', stroke: line.colour, strokeWidth: 1.8, strokeDasharray: line.floor ? '5 3' : undefined})),
        Plot.dot(points, {x: 'x', y: 'y', fill: 'colour', r: 3, title: (p: {mechanism: string; x: number; y: number}) => axes.title(p.mechanism, p.x, p.y)}),
      ],
    }),
  )
}

/** Lines coloured for a panel: a floor grey and dashed, the rows in the palette's order (at most its length: see panelParts). */
export function colouredLines<L extends {mechanism: string; role: 'row' | 'floor'}>(lines: readonly L[], points: (line: L) => LogLogLine['points']): LogLogLine[] {
  let row = 0
  return lines.map((line) => ({mechanism: line.mechanism, colour: line.role === 'floor' ? FLOOR_COLOUR : LINE_COLOURS[row++]!, floor: line.role === 'floor', points: points(line)}))
}

/**
 * A log axis's domain in whole powers of `base` around the values (with a little room at each end), so the axis
 * has a labelled tick at each end and every tick lies on it.
 */
export function logDomain(values: readonly number[], base = 10): [number, number] {
  const positive = values.filter((v) => v > 0)
  const power = (v: number, round: (x: number) => number) => base ** round(Math.log(v) / Math.log(base))
  return [power(Math.min(...positive) / 1.2, Math.floor), power(Math.max(...positive) * 1.2, Math.ceil)]
}

/** Ticks of a log axis within [min, max]: the powers of `base` there. */
export function logTicks(min: number, max: number, base = 10): number[] {
  const ticks: number[] = []
  for (let k = Math.floor(Math.log(min) / Math.log(base)); k <= Math.ceil(Math.log(max) / Math.log(base)); k++) {
    const tick = base ** k
    if (tick >= min && tick <= max) ticks.push(tick)
  }
  return ticks
}

/** Call p50 against payload size for one panel; every panel of a machine shares the y domain, so panels compare at a glance. */
export function payloadPlot(panel: PayloadPanel, sizes: readonly number[], domainNs: [number, number], document: Document): string {
  const lines = colouredLines(panel.lines, (line) => line.points.map((p) => ({x: p.bytes, y: p.ns})))
  return logLogPlot(lines, {xs: sizes, xText: formatBytes, xLabel: 'payload', yDomain: domainNs, yTicks: logTicks(...domainNs), yText: formatNs, title: (mechanism, bytes, ns) => `${mechanism}: ${formatNs(ns)} at ${formatBytes(bytes)}`}, document)
}

/** The y domain all panels of a machine share. */
export function payloadDomain(machine: LineChart['machines'][number]): [number, number] {
  return logDomain(machine.lines.flatMap((line) => line.points.map((p) => p.ns)))
}

/** The x domain all histograms of a machine share, so their modes line up. */
export function distributionDomain(rows: readonly Distribution[]): [number, number] {
  const bins = rows.flatMap((row) => row.bins)
  return [Math.min(...bins.map((b) => b.lowNs)) / 1.2, Math.max(...bins.map((b) => b.highNs)) * 1.2]
}

/** One row's calls as a histogram on a log axis (bins of equal width in log), each bar its share of the calls; modes marked. */
export function histogramPlot(row: Distribution, domainNs: [number, number], document: Document): string {
  const total = row.bins.reduce((sum, bin) => sum + bin.count, 0)
  const [min, max] = domainNs
  const ticks = logTicks(min, max)
  return svg(
    Plot.plot({
      document,
      style: FONT,
      width: 340,
      height: 170,
      marginLeft: 44,
      marginRight: 14,
      x: {type: 'log', domain: [min, max], axis: null},
      y: {grid: true, tickFormat: (share: number) => `${Math.round(share * 100)}%`, label: null},
      marks: [
        Plot.rectY(row.bins, {x1: 'lowNs', x2: 'highNs', y: (bin: {count: number}) => bin.count / total, fill: ROW_COLOUR, insetLeft: 0.5, title: (bin: {lowNs: number; highNs: number; count: number}) => `${formatNs(bin.lowNs)}–${formatNs(bin.highNs)}: ${bin.count} calls`}),
        Plot.axisX(ticks, {text: (v: number) => formatNs(v), label: null, tickSize: 4}),
        Plot.ruleY([0]),
        ...(row.modes ? [Plot.ruleX(row.modes, {x: 'ns', stroke: '#b00020', strokeDasharray: '3 2', className: 'mode'})] : []),
      ],
    }),
  )
}

function cellText(cell: CrashCell): string {
  const main =
    cell.outcome === 'died' ? cell.ended! : cell.outcome === 'froze' ? 'froze' : cell.outcome === 'skipped' ? '–' : cell.outcome === 'probe-failed' ? 'failed' : cell.detectMs !== undefined ? formatMs(cell.detectMs) : 'ok'
  const text = cell.asExpected || cell.outcome === 'skipped' ? main : `${main} !`
  return cell.orphans > 0 ? `${text}\n${cell.orphans} left` : text
}

function cellTitle(cell: CrashCell): string {
  const detail = [cell.errorCode, cell.detectMs !== undefined ? `detected in ${formatMs(cell.detectMs)}` : undefined, cell.orphans > 0 ? `${cell.orphans} plugin processes left running` : undefined, cell.asExpected ? undefined : 'differs from the documented expectation']
  return [`${cell.mechanism} × ${cell.fault}: ${OUTCOME_WORDS[cell.outcome]}`, ...detail.filter(Boolean)].join('\n')
}

const CELL_WIDTH = 52
// A border no outcome's fill is close to: a dark one vanished on the red and dark-red cells.
export const UNEXPECTED_COLOUR = '#e600ac'

/** The fault matrix as a colour grid: a cell per mechanism and fault, the detection time or how the host ended in it. */
export function crashPlot(grid: CrashGrid, document: Document): string {
  const unexpected = grid.cells.filter((cell) => !cell.asExpected && cell.outcome !== 'skipped')
  return svg(
    Plot.plot({
      document,
      style: {...FONT, fontSize: '10.5px'},
      width: 170 + grid.faults.length * CELL_WIDTH + 90,
      height: 130 + grid.mechanisms.length * 34,
      marginLeft: 170,
      marginTop: 120,
      marginRight: 90,
      x: {domain: grid.faults, axis: 'top', tickRotate: -45, label: null, padding: 0},
      y: {domain: grid.mechanisms, label: null, padding: 0},
      color: {domain: Object.keys(OUTCOME_COLOURS), range: Object.values(OUTCOME_COLOURS)},
      marks: [
        Plot.cell(grid.cells, {x: 'fault', y: 'mechanism', fill: 'outcome', inset: 1, title: cellTitle}),
        Plot.cell(unexpected, {x: 'fault', y: 'mechanism', fill: 'none', stroke: UNEXPECTED_COLOUR, strokeWidth: 3, inset: 2, className: 'unexpected'}),
        Plot.text(grid.cells, {x: 'fault', y: 'mechanism', text: cellText, fill: (cell: CrashCell) => (DARK_OUTCOMES.has(cell.outcome) ? 'white' : '#222'), lineHeight: 1.1}),
      ],
    }),
  )
}
