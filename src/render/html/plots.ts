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

/** Powers of ten across [min, max], each a tick of a log axis. */
function decades(min: number, max: number): number[] {
  const ticks: number[] = []
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) ticks.push(10 ** k)
  return ticks
}

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
  const value = chart.unit === 'bytes' ? formatBytes(d.value) : formatNs(d.value)
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
    width: several ? 360 * chart.machines.length + 180 : 1000,
    height: order.length * ROW_HEIGHT + 60,
    marginLeft: 170,
    marginRight: several ? 20 : 260,
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
  const [min, max] = [Math.min(...values) / 1.6, Math.max(...values) * 1.6]
  const several = chart.machines.length > 1
  const withFloor = data.filter((d) => d.floorValue !== undefined)
  const withInterval = data.filter((d) => d.interval !== undefined)
  const stripes = data.filter((d) => d.group % 2 === 1)
  return svg(
    Plot.plot({
      ...rowFrame(chart, order, document),
      x: {type: 'log', domain: [min, max], ticks: decades(min, max), tickFormat: (v: number) => formatNs(v), grid: true, label: `${chart.measure} (log scale) →`},
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
      x: {domain: [0, max * 1.05], grid: true, label: 'MiB of resident memory one loaded plugin adds →'},
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
  return [...panels.values()].map((panel) => ({...panel, lines: panel.lines.slice(0, LINE_COLOURS.length)}))
}

/**
 * Call p50 against payload size, both on log axes, for one panel; every panel of a machine shares the y domain
 * so panels compare at a glance. The legend is the page's (HTML), so labels never overlap lines.
 */
export function payloadPlot(panel: PayloadPanel, sizes: readonly number[], domainNs: [number, number], document: Document): string {
  const points = panel.lines.flatMap((line, index) => line.points.map((p) => ({...p, mechanism: line.mechanism, colour: LINE_COLOURS[index]!})))
  const [min, max] = domainNs
  return svg(
    Plot.plot({
      document,
      style: FONT,
      width: 340,
      height: 240,
      marginLeft: 58,
      marginRight: 14,
      x: {type: 'log', domain: [sizes[0]! / 1.5, sizes.at(-1)! * 1.5], axis: null},
      y: {type: 'log', domain: [min, max], axis: null},
      marks: [
        Plot.frame({stroke: '#ccc'}),
        Plot.gridY(decades(min, max).filter((v) => v >= min && v <= max), {stroke: '#eee', strokeOpacity: 1}),
        Plot.axisY(decades(min, max).filter((v) => v >= min && v <= max), {text: (v: number) => formatNs(v), label: null, tickSize: 4}),
        Plot.axisX(sizes, {text: (v: number) => formatBytes(v), label: null, tickSize: 4}),
        Plot.line(points, {x: 'bytes', y: 'ns', z: 'mechanism', stroke: 'colour', strokeWidth: 1.8}),
        Plot.dot(points, {x: 'bytes', y: 'ns', fill: 'colour', r: 3, title: (p: {mechanism: string; bytes: number; ns: number}) => `${p.mechanism}: ${formatNs(p.ns)} at ${formatBytes(p.bytes)}`}),
      ],
    }),
  )
}

/** The y domain all panels of a machine share. */
export function payloadDomain(machine: LineChart['machines'][number]): [number, number] {
  const ns = machine.lines.flatMap((line) => line.points.map((p) => p.ns))
  return [Math.min(...ns) / 1.5, Math.max(...ns) * 1.5]
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
  const ticks = decades(min, max).filter((v) => v >= min && v <= max)
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
  return cell.orphans > 0 ? `${main}\n${cell.orphans} left` : main
}

function cellTitle(cell: CrashCell): string {
  const detail = [cell.errorCode, cell.detectMs !== undefined ? `detected in ${formatMs(cell.detectMs)}` : undefined, cell.orphans > 0 ? `${cell.orphans} plugin processes left running` : undefined, cell.asExpected ? undefined : 'differs from the documented expectation']
  return [`${cell.mechanism} × ${cell.fault}: ${OUTCOME_WORDS[cell.outcome]}`, ...detail.filter(Boolean)].join('\n')
}

const CELL_WIDTH = 52

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
        Plot.cell(unexpected, {x: 'fault', y: 'mechanism', fill: 'none', stroke: '#111', strokeWidth: 2.5, strokeDasharray: '4 2', inset: 2.5, className: 'unexpected'}),
        Plot.text(grid.cells, {x: 'fault', y: 'mechanism', text: cellText, fill: (cell: CrashCell) => (DARK_OUTCOMES.has(cell.outcome) ? 'white' : '#222'), lineHeight: 1.1}),
      ],
    }),
  )
}
