// Mermaid xychart-beta blocks, which GitHub renders in markdown. Latencies span six orders of magnitude, and
// xychart has no log axis: the charts plot log10 of the value in ns and say so on the axis, and the tables
// beside them give the real figures.
import {round} from '../core/numbers.js'
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
  return ns <= 1 ? 0 : round(Math.log10(ns), 2)
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

/** A line per row across payload sizes, with a text legend (xychart draws none); at most MAX_LINES_PER_CHART lines. */
export function payloadLineChart(title: string, sizes: readonly number[], lines: readonly ChartLine[]): string {
  const shown = lines.slice(0, MAX_LINES_PER_CHART)
  const values = shown.map((line) => line.ns.map(log10Ns))
  const chart = block(
    ['  xyChart:', '    width: 700', '    height: 400', '  themeVariables:', '    xyChart:', `      plotColorPalette: ${quote(PALETTE.slice(0, shown.length).map((p) => p.hex).join(', '))}`],
    [
      `title ${quote(`${title} (log scale)`)}`,
      `x-axis ${quote('payload')} [${sizes.map((bytes) => quote(formatBytes(bytes))).join(', ')}]`,
      `y-axis ${quote(LOG_AXIS)} 0 --> ${axisTop(values.flat())}`,
      ...shown.map((line, index) => `line ${quote(line.label)} [${values[index]!.join(', ')}]`),
    ],
  )
  const legend = shown.map((line, index) => `${PALETTE[index]!.square} \`${line.label}\``).join(' · ')
  return `${chart}\n\n${legend}`
}
