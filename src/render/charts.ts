// Mermaid xychart-beta blocks, which GitHub renders in markdown (GitHub runs mermaid 11; every block is parsed by
// mermaid itself in the tests). xychart has no log axis and latencies span six orders of magnitude, so rows are
// charted by magnitude: one linear chart per unit (ns, µs, ms, s), each group of rows beside its floor, bars
// horizontal so every label gets a line of its own, and each label carrying the figure and its ratio.
import type {Bar, BarChart, BarGroup, LineChart, Metric, PayloadLine} from './chart-data.js'
import {formatBytes, formatNs, formatRatio} from './format.js'

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

const ROW_COLOUR = PALETTE[0]!.hex

/** GitHub shows a markdown column about 830 px wide: a wider chart is scaled down and its labels shrink. */
const CHART_WIDTH = 800
const BAR_HEIGHT = 30
const CHART_CHROME = 130
// Below this mermaid drops the value axis's title for lack of room.
const MIN_BAR_CHART_HEIGHT = 260

interface Scale {
  unit: string
  divisor: number
}

const TIME_SCALES: Scale[] = [
  {unit: 'ns', divisor: 1},
  {unit: 'µs', divisor: 1e3},
  {unit: 'ms', divisor: 1e6},
  {unit: 's', divisor: 1e9},
]

function timeScale(maxNs: number): Scale {
  return [...TIME_SCALES].reverse().find((scale) => maxNs >= scale.divisor) ?? TIME_SCALES[0]!
}

function byteScale(maxBytes: number): Scale {
  if (maxBytes >= 1024 ** 3) return {unit: 'GiB', divisor: 1024 ** 3}
  if (maxBytes >= 1024 ** 2) return {unit: 'MiB', divisor: 1024 ** 2}
  return maxBytes >= 1024 ? {unit: 'KiB', divisor: 1024} : {unit: 'B', divisor: 1}
}

/** Three significant figures, as a number mermaid reads. */
function plotted(value: number, scale: Scale): number {
  return Number((value / scale.divisor).toPrecision(3))
}

const AXIS_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]

/** A round number a little above `max`, so the longest bar ends short of the axis. */
export function axisTop(max: number): number {
  if (!(max > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(max * 1.05))
  return Number(AXIS_STEPS.map((step) => step * magnitude).find((top) => top >= max * 1.05)!.toPrecision(3))
}

const quote = (text: string) => `"${text.replace(/"/g, "'")}"`

function block(config: string[], lines: string[]): string {
  return ['```mermaid', '---', 'config:', ...config, '---', ...lines, '```'].join('\n')
}

const AXIS: Record<Metric, string> = {call: 'per call, p50', 'cold-start': 'to the first answer, p50', memory: 'added, resident'}
const TITLE: Record<Metric, string> = {call: 'Per call', 'cold-start': 'Cold start', memory: 'Memory'}

const formatValue = (chart: BarChart, value: number) => (chart.unit === 'bytes' ? formatBytes(value) : formatNs(value))

/** "child-rpc · 28.1 µs · 1.46x (1.3–1.6x) ⚠": the figure itself, then how it compares to the floor above it. */
export function barLabel(chart: BarChart, bar: Bar): string {
  const parts = [bar.mechanism, formatValue(chart, bar.value)]
  if (bar.role === 'floor') parts.push('floor')
  else if (bar.ratio !== undefined) parts.push(`${formatRatio(bar.ratio)}${bar.ratioInterval ? ` (${formatRatio(bar.ratioInterval.low)}–${formatRatio(bar.ratioInterval.high)})` : ''}`)
  return `${parts.join(' · ')}${bar.flag ? ' ⚠' : ''}`
}

// One series: xychart colours a series, not a bar, and a second series padded with zeros leaves a stub on every
// bar. A floor is told apart by its label.
function barBlock(chart: BarChart, title: string, groups: readonly BarGroup[], scale: Scale): string {
  const bars = groups.flatMap((group) => group.bars)
  const top = axisTop(Math.max(...bars.map((bar) => bar.value)) / scale.divisor)
  return block(
    ['  xyChart:', `    width: ${CHART_WIDTH}`, `    height: ${Math.max(MIN_BAR_CHART_HEIGHT, CHART_CHROME + bars.length * BAR_HEIGHT)}`, '  themeVariables:', '    xyChart:', `      plotColorPalette: ${quote(ROW_COLOUR)}`],
    [
      'xychart-beta horizontal',
      `  title ${quote(title)}`,
      `  x-axis [${bars.map((bar) => quote(barLabel(chart, bar))).join(', ')}]`,
      `  y-axis ${quote(`${scale.unit} ${AXIS[chart.metric]}`)} 0 --> ${top}`,
      `  bar [${bars.map((bar) => plotted(bar.value, scale)).join(', ')}]`,
    ],
  )
}

/**
 * The bar charts of one machine: groups sorted into charts by the unit that suits their floor, so a 9 ns call
 * and a 200 µs round trip never share a linear axis.
 */
export function barCharts(chart: BarChart, groups: readonly BarGroup[], titleSuffix = ''): string[] {
  const groupMax = (group: BarGroup) => Math.max(...group.bars.map((bar) => bar.value))
  if (chart.unit === 'bytes') {
    if (groups.length === 0) return []
    const scale = byteScale(Math.max(...groups.map(groupMax)))
    return [barBlock(chart, `${TITLE[chart.metric]}, ${scale.unit}${titleSuffix}`, groups, scale)]
  }
  // A floor's group stays together; rows without a floor go each to the chart of its own unit.
  const byUnit = new Map<string, {scale: Scale; groups: BarGroup[]}>()
  const add = (group: BarGroup) => {
    const scale = timeScale(groupMax(group))
    if (!byUnit.has(scale.unit)) byUnit.set(scale.unit, {scale, groups: []})
    const known = byUnit.get(scale.unit)!.groups
    const unfloored = group.floor === undefined ? known.find((g) => g.floor === undefined) : undefined
    if (unfloored) unfloored.bars.push(...group.bars)
    else known.push({...group, bars: [...group.bars]})
  }
  // A row far above its floor (a 5 µs sandbox call over a 16 ns direct call) goes to the chart of its own unit,
  // its ratio in its label: on its floor's axis the floor's group would be bars too short to see.
  for (const group of groups) {
    if (group.floor === undefined) {
      for (const bar of group.bars) add({bars: [bar]})
      continue
    }
    const unit = timeScale(group.bars[0]!.value).unit
    const far = group.bars.filter((bar) => bar.role === 'row' && timeScale(bar.value).unit !== unit)
    add({...group, bars: group.bars.filter((bar) => !far.includes(bar))})
    for (const bar of far) add({bars: [bar]})
  }
  return TIME_SCALES.filter((scale) => byUnit.has(scale.unit)).map((scale) => {
    const entry = byUnit.get(scale.unit)!
    return barBlock(chart, `${TITLE[chart.metric]}, rows in ${scale.unit}${titleSuffix}`, entry.groups, scale)
  })
}

export function barLegend(chart: BarChart): string {
  if (!chart.machines.some((m) => m.groups.some((g) => g.floor !== undefined))) return ''
  const ratio = chart.metric === 'memory' ? '' : ', and each row gives its ratio to that floor'
  return `A *floor* is the bare transport a row runs on, measured in the same run: it is drawn above the rows measured against it${ratio}.`
}

function lineBlock(title: string, sizes: readonly number[], lines: readonly PayloadLine[]): string {
  const scale = timeScale(Math.max(...lines.flatMap((line) => line.points.map((p) => p.ns))))
  const chart = block(
    [
      '  xyChart:',
      `    width: ${CHART_WIDTH}`,
      '    height: 400',
      '  themeVariables:',
      '    xyChart:',
      `      plotColorPalette: ${quote(PALETTE.slice(0, lines.length).map((p) => p.hex).join(', '))}`,
    ],
    [
      'xychart-beta',
      `  title ${quote(`${title}, in ${scale.unit}`)}`,
      `  x-axis ${quote('payload echoed')} [${sizes.map((bytes) => quote(formatBytes(bytes))).join(', ')}]`,
      `  y-axis ${quote(`${scale.unit} per call, p50`)} 0 --> ${axisTop(Math.max(...lines.flatMap((line) => line.points.map((p) => p.ns))) / scale.divisor)}`,
      ...lines.map((line) => `  line ${quote(line.mechanism)} [${line.points.map((p) => plotted(p.ns, scale)).join(', ')}]`),
    ],
  )
  const legend = lines.map((line, index) => `${PALETTE[index]!.square} \`${line.mechanism}\` ${formatNs(line.points.at(-1)!.ns)} at ${formatBytes(line.points.at(-1)!.bytes)}`).join(' · ')
  return `${chart}\n\n${legend}`
}

/**
 * Line charts of one machine's payload scaling, one per unit of the rows' largest figure (and at most
 * MAX_LINES_PER_CHART lines each, with a text legend: xychart draws none).
 */
export function payloadCharts(machine: LineChart['machines'][number], titleSuffix = ''): string[] {
  const byUnit = new Map<string, PayloadLine[]>()
  for (const line of machine.lines) {
    const unit = timeScale(Math.max(...line.points.map((p) => p.ns))).unit
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), line])
  }
  const out: string[] = []
  for (const scale of TIME_SCALES) {
    const lines = byUnit.get(scale.unit)
    if (!lines) continue
    const parts = Math.ceil(lines.length / MAX_LINES_PER_CHART)
    for (let start = 0, part = 1; start < lines.length; start += MAX_LINES_PER_CHART, part++) {
      out.push(lineBlock(`Call p50 by payload${parts > 1 ? ` (${part} of ${parts})` : ''}${titleSuffix}`, machine.sizes, lines.slice(start, start + MAX_LINES_PER_CHART)))
    }
  }
  return out
}

/** Lines over labelled x values on one linear axis, the values already in the axis's unit (scale's charts). */
export interface SeriesChart {
  title: string
  xAxis: string
  xLabels: readonly string[]
  yAxis: string
  lines: readonly {label: string; values: readonly number[]}[]
}

/** A line per series with a text legend (xychart draws none); at most MAX_LINES_PER_CHART lines. */
export function seriesChart(chart: SeriesChart): string {
  const lines = chart.lines.slice(0, MAX_LINES_PER_CHART)
  const top = axisTop(Math.max(...lines.flatMap((line) => line.values)))
  const drawn = block(
    ['  xyChart:', `    width: ${CHART_WIDTH}`, '    height: 400', '  themeVariables:', '    xyChart:', `      plotColorPalette: ${quote(PALETTE.slice(0, lines.length).map((p) => p.hex).join(', '))}`],
    [
      'xychart-beta',
      `  title ${quote(chart.title)}`,
      `  x-axis ${quote(chart.xAxis)} [${chart.xLabels.map(quote).join(', ')}]`,
      `  y-axis ${quote(chart.yAxis)} 0 --> ${top}`,
      ...lines.map((line) => `  line ${quote(line.label)} [${line.values.map((v) => Number(v.toPrecision(3))).join(', ')}]`),
    ],
  )
  return `${drawn}\n\n${lines.map((line, index) => `${PALETTE[index]!.square} \`${line.label}\``).join(' · ')}`
}
