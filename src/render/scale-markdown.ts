// The report's Scale section: plugins loaded at once and calls in flight, a table and charts each. The charts
// are mermaid in the markdown and SVG in the HTML page, both drawn from the same chart data.
import type {Machine} from '../report/merge.js'
import {callsAt, instancesAt, largestOk, scaleColumns, type ScaleRow, type ScaleRowOk} from '../results/scale.js'
import {MAX_LINES_PER_CHART, seriesChart} from './charts.js'
import {formatCount, formatMs, formatNs, formatRatio} from './format.js'
import {code, notMeasured, table, type Block} from './markdown-parts.js'
import {scaleChart, type ScaleChart} from './scale-chart-data.js'
import {instancesFloorCell, partNotes, perPluginMemory} from './scale-cells.js'

type Series = {label: string; values: number[]}

const okRows = (rows: readonly ScaleRow[]) => rows.filter((row): row is ScaleRowOk => row.status === 'ok')
const notRun = (rows: readonly ScaleRow[]) => rows.filter((row): row is Exclude<ScaleRow, ScaleRowOk> => row.status !== 'ok')

/** A row that did not run, in a table of `columns` cells after the mechanism: its status (the reason is in the notes). */
const notRunLine = (row: Exclude<ScaleRow, ScaleRowOk>, columns: number) => [code(row.mechanism), row.status === 'skipped' ? 'skipped' : `failed (${row.errorCode})`, ...Array<string>(columns - 1).fill('-')]

/** The unit of a linear axis that suits its largest value: 1 unit, a thousand, a million. */
function magnitude(max: number, units: readonly [string, string, string]): {unit: string; divisor: number} {
  if (max >= 1e6) return {unit: units[2], divisor: 1e6}
  return max >= 1e3 ? {unit: units[1], divisor: 1e3} : {unit: units[0], divisor: 1}
}

// Charts per floor, with the rows over it, so each row's curve is read against its transport's; each chart on
// a linear axis in the unit of its own largest value, at most MAX_LINES_PER_CHART lines. One block: the HTML
// report draws the same chart data as SVG panels.
function chartsByFloor(chart: ScaleChart, title: string, draw: (title: string, lines: Series[]) => string): Block[] {
  if (chart.panels.length === 0) return []
  const charts = chart.panels.flatMap((panel) => {
    const lines = panel.lines.map((line) => ({label: line.mechanism, values: line.points.map((p) => p.y)}))
    const groupTitle = `${title}: ${panel.floor === undefined ? 'rows without a floor in this run' : `${panel.floor} and the rows over it`}`
    const parts = Math.ceil(lines.length / MAX_LINES_PER_CHART)
    const drawn: string[] = []
    for (let start = 0, part = 1; start < lines.length; start += MAX_LINES_PER_CHART, part++) {
      drawn.push(draw(`${groupTitle}${parts > 1 ? ` (${part} of ${parts})` : ''}`, lines.slice(start, start + MAX_LINES_PER_CHART)))
    }
    return drawn
  })
  return [{figure: chart, markdown: charts.join('\n\n')}]
}

function instancesBlocks(rows: readonly ScaleRow[], machine: string): Block[] {
  const {ns} = scaleColumns(rows)
  const measured = okRows(rows).filter((row) => row.instances.status === 'measured')
  if (measured.length === 0) return ['_No row held plugins at once in this run (see the notes)._']
  const cell = (row: ScaleRowOk, n: number) => {
    const p = instancesAt(row, n)
    if (p === undefined) return ['-', '-']
    if (p.status === 'failed') return [`failed (${p.errorCode})`, `${p.answeredExactly} of ${n} answered`]
    if (p.status === 'shared') return [formatMs(p.allAnsweredMs), `${n} loads gave ${p.distinctInstances}`]
    return [formatMs(p.allAnsweredMs), perPluginMemory(p.memory)]
  }
  const head = ['mechanism', ...ns.flatMap((n) => [`N=${n} all up`, 'per plugin']), `vs floor at N=${ns.at(-1)}: start · memory`]
  const body = [
    ...measured.map((row) => [code(row.mechanism), ...ns.flatMap((n) => cell(row, n)), instancesFloorCell(row.instances.status === 'measured' ? largestOk(row.instances.points, (p) => p.n) : undefined, ns.at(-1))]),
    ...notRun(rows).map((row) => notRunLine(row, head.length - 1)),
  ]
  // Memory against N: the whole tree with N plugins, for the rows that measured it at every N.
  const draw = (title: string, lines: Series[]) => {
    const gib = Math.max(...lines.flatMap((line) => line.values)) >= 1024 ** 3
    const scaled = lines.map((line) => ({...line, values: line.values.map((v) => v / 1024 ** (gib ? 3 : 2))}))
    return seriesChart({title, xAxis: 'N plugins loaded at once', xLabels: ns.map(String), yAxis: `${gib ? 'GiB' : 'MiB'}, the whole process tree`, lines: scaled})
  }
  return [table(head, body), ...chartsByFloor(scaleChart(rows, 'memory', machine), 'Memory against N', draw)]
}

function callsBlocks(rows: readonly ScaleRow[], machine: string): Block[] {
  const {cs} = scaleColumns(rows)
  const measured = okRows(rows).filter((row) => row.calls.status === 'measured')
  if (measured.length === 0) return ['_No row kept calls in flight in this run (see the notes)._']
  const cell = (row: ScaleRowOk, c: number) => {
    const p = callsAt(row, c)
    if (p === undefined) return ['-', '-']
    if (p.status === 'failed') return [`failed (${p.errorCode})`, '-']
    const spread = `${formatCount(Math.min(...p.windowCallsPerSec))}–${formatCount(Math.max(...p.windowCallsPerSec))}`
    return [`${formatCount(p.callsPerSec)}/s (${spread})${p.capped ? ' capped' : ''}`, formatNs(p.p99Ns)]
  }
  const top = (row: ScaleRowOk) => (row.calls.status === 'measured' ? largestOk(row.calls.points, (p) => p.c) : undefined)
  const head = ['mechanism', ...cs.flatMap((c) => [`C=${c} calls/s`, 'p99']), `C=${cs.at(-1)} / C=${cs[0]}`, `vs floor at C=${cs.at(-1)}`]
  const body = [
    ...measured.map((row) => [code(row.mechanism), ...cs.flatMap((c) => cell(row, c)), formatRatio(top(row)?.gainOverC1), formatRatio(top(row)?.vsFloor)]),
    ...notRun(rows).map((row) => notRunLine(row, head.length - 1)),
  ]
  const draw = (title: string, lines: Series[]) => {
    const scale = magnitude(Math.max(...lines.flatMap((line) => line.values)), ['calls/s', 'thousand calls/s', 'million calls/s'])
    return seriesChart({title, xAxis: 'C calls in flight', xLabels: cs.map(String), yAxis: scale.unit, lines: lines.map((line) => ({...line, values: line.values.map((v) => v / scale.divisor)}))})
  }
  return [table(head, body), ...chartsByFloor(scaleChart(rows, 'throughput', machine), 'Throughput against C', draw)]
}

function rowNotes(rows: readonly ScaleRow[]): string {
  return rows
    .flatMap((row) => {
      if (row.status === 'skipped') return [`- ${code(row.mechanism)} skipped: ${row.reason}`]
      if (row.status === 'failed') return [`- ${code(row.mechanism)} failed (${row.errorCode}): ${row.reason}`]
      return partNotes(row).map((note) => `- ${code(row.mechanism)} ${note}`)
    })
    .join('\n')
}

/** Blocks per machine, under a heading of its own when there are several. */
function perMachine(machines: readonly Machine[], render: (rows: readonly ScaleRow[], machine: string) => Block[]): Block[] {
  if (machines.length === 1) return render(machines[0]!.report.scale ?? [], machines[0]!.label)
  return machines.flatMap((m) => [`#### ${m.label}`, ...render(m.report.scale ?? [], m.label)])
}

export const SCALE_INTRO =
  "How each mechanism's cost grows with the work. *Plugins at once*: N instances of the sample loaded together in a fresh host; *all up*: from starting them to the last one's first exact answer; *per plugin*: the growth of the host's whole process tree (the host and every plugin process, Pss on Linux) once all N answered, divided by N. *Calls in flight*: C callers on one plugin, each starting its next call when its last answered, every answer checked against its own input; calls/s over the run's wall time (in parentheses: the slowest and fastest of its five equal windows; *capped*: the run stopped at its call cap), p99 per call. *vs floor*: the row against its transport's floor measured the same way (start and memory: ratio of costs; calls: ratio of throughputs)."

export function scaleSection(machines: readonly Machine[]): Block[] {
  const intro = ['## Scale', SCALE_INTRO]
  if (machines.every((m) => m.report.scale === undefined)) return [...intro, notMeasured('scale figures', 'plugin-survey scale')]
  const notes = machines.flatMap((m) => {
    const text = rowNotes(m.report.scale ?? [])
    return text === '' ? [] : machines.length > 1 ? [`#### ${m.label}`, text] : [text]
  })
  return [...intro, '### Plugins loaded at once', ...perMachine(machines, instancesBlocks), '### Calls in flight', ...perMachine(machines, callsBlocks), ...(notes.length === 0 ? [] : ['### Notes', ...notes])]
}
