// Mermaid xychart-beta blocks, which GitHub renders in markdown. Latencies span six orders of magnitude, and
// xychart has no log axis: the charts plot log10 of the value in ns and say so on the axis, and the tables
// beside them give the real figures.
import {formatBytes} from './format.js'

export interface ChartBar {
  label: string
  ns: number
}

export interface ChartLine {
  label: string
  /** One value per x label, in ns. */
  ns: number[]
}

/** One colour per series, named by the emoji square of the same colour, so a legend can be written in text. */
const PALETTE = [
  {hex: '#1f77b4', square: '🟦'},
  {hex: '#d62728', square: '🟥'},
  {hex: '#2ca02c', square: '🟩'},
  {hex: '#ff7f0e', square: '🟧'},
  {hex: '#9467bd', square: '🟪'},
  {hex: '#e5c200', square: '🟨'},
  {hex: '#8c564b', square: '🟫'},
  {hex: '#333333', square: '⬛'},
]

export const MAX_LINES_PER_CHART = PALETTE.length

const LOG_AXIS = 'log10 of ns (3 = 1 µs, 6 = 1 ms)'

export function log10Ns(ns: number): number {
  return ns <= 1 ? 0 : Math.round(Math.log10(ns) * 100) / 100
}

const quote = (text: string) => `"${text.replace(/"/g, "'")}"`

function axisTop(values: readonly number[]): number {
  return Math.max(1, Math.ceil(Math.max(0, ...values)))
}

function block(config: string[], body: string[]): string {
  return ['```mermaid', '---', 'config:', ...config, '---', 'xychart-beta', ...body.map((line) => `  ${line}`), '```'].join('\n')
}

/** A bar per row: per-call p50 on a log10 axis. */
export function latencyBarChart(title: string, bars: readonly ChartBar[]): string {
  const values = bars.map((bar) => log10Ns(bar.ns))
  return block(
    ['  xyChart:', `    width: ${Math.max(600, bars.length * 70)}`, '    height: 400'],
    [
      `title ${quote(`${title} (log scale)`)}`,
      `x-axis [${bars.map((bar) => quote(bar.label)).join(', ')}]`,
      `y-axis ${quote(LOG_AXIS)} 0 --> ${axisTop(values)}`,
      `bar [${values.join(', ')}]`,
    ],
  )
}

/** A line chart's data, its values already on the y axis's scale. */
export interface LineChart {
  title: string
  xAxis: string
  xLabels: readonly string[]
  yAxis: string
  lines: readonly {label: string; values: readonly number[]}[]
}

/** A line per series, with a text legend (xychart draws none); at most MAX_LINES_PER_CHART lines. */
export function lineChart(chart: LineChart): string {
  const shown = chart.lines.slice(0, MAX_LINES_PER_CHART)
  const drawn = block(
    ['  xyChart:', '    width: 700', '    height: 400', '  themeVariables:', '    xyChart:', `      plotColorPalette: ${quote(PALETTE.slice(0, shown.length).map((p) => p.hex).join(', '))}`],
    [
      `title ${quote(chart.title)}`,
      `x-axis ${quote(chart.xAxis)} [${chart.xLabels.map(quote).join(', ')}]`,
      `y-axis ${quote(chart.yAxis)} 0 --> ${axisTop(shown.flatMap((line) => line.values))}`,
      ...shown.map((line) => `line ${quote(line.label)} [${line.values.join(', ')}]`),
    ],
  )
  const legend = shown.map((line, index) => `${PALETTE[index]!.square} \`${line.label}\``).join(' · ')
  return `${drawn}\n\n${legend}`
}

/** A line per row across payload sizes (log scale); at most MAX_LINES_PER_CHART lines. */
export function payloadLineChart(title: string, sizes: readonly number[], lines: readonly ChartLine[]): string {
  return lineChart({
    title: `${title} (log scale)`,
    xAxis: 'payload',
    xLabels: sizes.map((bytes) => formatBytes(bytes)),
    yAxis: LOG_AXIS,
    lines: lines.map((line) => ({label: line.label, values: line.ns.map(log10Ns)})),
  })
}

/** Splits series into groups of MAX_LINES_PER_CHART, numbering the titles when there are several charts. */
export function chartGroups<T>(title: string, series: readonly T[]): {title: string; series: T[]}[] {
  const groups: {title: string; series: T[]}[] = []
  const count = Math.ceil(series.length / MAX_LINES_PER_CHART)
  for (let start = 0; start < series.length; start += MAX_LINES_PER_CHART) {
    groups.push({title: count > 1 ? `${title}, ${start / MAX_LINES_PER_CHART + 1} of ${count}` : title, series: series.slice(start, start + MAX_LINES_PER_CHART)})
  }
  return groups
}
