// The report's Scale section: plugins loaded at once and calls in flight, a table and a chart each.
import type {Machine} from '../report/merge.js'
import {callsAt, instancesAt, largestOk, scaleColumns, type ScaleRow, type ScaleRowOk} from '../report/scale.js'
import {chartGroups, lineChart} from './charts.js'
import {formatCount, formatMs, formatNs, formatRatio} from './format.js'
import {code, notMeasured, perMachine, table} from './markdown-parts.js'
import {instancesFloorCell, partNotes, perPluginMemory} from './scale-cells.js'

const MIB = 1024 * 1024

const okRows = (rows: readonly ScaleRow[]) => rows.filter((row): row is ScaleRowOk => row.status === 'ok')

/** A row that did not run, in a table of `columns` cells after the mechanism: its status, the reason under the table. */
const notRunLine = (row: Exclude<ScaleRow, ScaleRowOk>, columns: number) => [code(row.mechanism), row.status === 'skipped' ? 'skipped' : `failed (${row.errorCode})`, ...Array<string>(columns - 1).fill('-')]
const notRun = (rows: readonly ScaleRow[]) => rows.filter((row): row is Exclude<ScaleRow, ScaleRowOk> => row.status !== 'ok')

// A chart per floor, with the rows over it, so each row's curve is read against its transport's.
function chartsByFloor(rows: readonly ScaleRowOk[], title: string, series: (row: ScaleRowOk) => {label: string; values: number[]} | undefined, draw: (title: string, lines: {label: string; values: number[]}[]) => string): string[] {
  const floorOf = (row: ScaleRowOk) => (row.family === 'floor' ? row.mechanism : (row.floor ?? ''))
  const floorsSeen = [...new Set(rows.map(floorOf))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : 0))
  return floorsSeen.flatMap((floor) => {
    const inGroup = rows.filter((row) => floorOf(row) === floor)
    const lines = inGroup.flatMap((row) => series(row) ?? [])
    const hasFloor = rows.some((row) => row.mechanism === floor)
    const groupTitle = `${title}: ${floor === '' || !hasFloor ? 'rows without a floor in this run' : `${floor} and the rows over it`}`
    return chartGroups(groupTitle, lines).map((group) => draw(group.title, group.series))
  })
}

function instancesTable(rows: readonly ScaleRow[]): string {
  const {ns} = scaleColumns(rows)
  const measured = okRows(rows).filter((row) => row.instances.status === 'measured')
  if (measured.length === 0) return '_No row held plugins at once in this run (see the notes)._'
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
  const out = [table(head, body)]
  // Memory against N: the whole tree with N plugins, for the rows that measured it at every N.
  const totals = (row: ScaleRowOk) => {
    const values = ns.map((n) => {
      const p = instancesAt(row, n)
      return p !== undefined && p.status !== 'failed' && p.memory.measured ? Math.round((p.memory.totalBytes / MIB) * 10) / 10 : undefined
    })
    return values.every((v) => v !== undefined) ? {label: row.mechanism, values: values as number[]} : undefined
  }
  const draw = (title: string, lines: {label: string; values: number[]}[]) => lineChart({title, xAxis: 'N plugins loaded at once', xLabels: ns.map(String), yAxis: 'MiB (the whole process tree)', lines})
  out.push(...chartsByFloor(measured, 'Memory against N', totals, draw))
  return out.join('\n\n')
}

const log10 = (value: number) => (value <= 1 ? 0 : Math.round(Math.log10(value) * 100) / 100)

function callsTable(rows: readonly ScaleRow[]): string {
  const {cs} = scaleColumns(rows)
  const measured = okRows(rows).filter((row) => row.calls.status === 'measured')
  if (measured.length === 0) return '_No row kept calls in flight in this run (see the notes)._'
  const cell = (row: ScaleRowOk, c: number) => {
    const p = callsAt(row, c)
    if (p === undefined) return ['-', '-']
    if (p.status === 'failed') return [`failed (${p.errorCode})`, '-']
    const spread = `${formatCount(p.windowCallsPerSec.min)}–${formatCount(p.windowCallsPerSec.max)}`
    return [`${formatCount(p.callsPerSec)}/s (${spread})${p.capped ? ' capped' : ''}`, formatNs(p.p99Ns)]
  }
  const top = (row: ScaleRowOk) => (row.calls.status === 'measured' ? largestOk(row.calls.points, (p) => p.c) : undefined)
  const head = ['mechanism', ...cs.flatMap((c) => [`C=${c} calls/s`, 'p99']), `C=${cs.at(-1)} / C=${cs[0]}`, `vs floor at C=${cs.at(-1)}`]
  const body = [
    ...measured.map((row) => [code(row.mechanism), ...cs.flatMap((c) => cell(row, c)), formatRatio(top(row)?.gainOverC1), formatRatio(top(row)?.vsFloor)]),
    ...notRun(rows).map((row) => notRunLine(row, head.length - 1)),
  ]
  const out = [table(head, body)]
  const rates = (row: ScaleRowOk) => {
    const values = cs.map((c) => {
      const p = callsAt(row, c)
      return p?.status === 'ok' ? log10(p.callsPerSec) : undefined
    })
    return values.every((v) => v !== undefined) ? {label: row.mechanism, values: values as number[]} : undefined
  }
  const draw = (title: string, lines: {label: string; values: number[]}[]) =>
    lineChart({title: `${title} (log scale)`, xAxis: 'C calls in flight', xLabels: cs.map(String), yAxis: 'log10 of calls/s (3 = 1k/s, 6 = 1M/s)', lines})
  out.push(...chartsByFloor(measured, 'Throughput against C', rates, draw))
  return out.join('\n\n')
}

function rowNotes(rows: readonly ScaleRow[]): string {
  const lines = rows.flatMap((row) => {
    if (row.status === 'skipped') return [`- ${code(row.mechanism)} skipped: ${row.reason}`]
    if (row.status === 'failed') return [`- ${code(row.mechanism)} failed (${row.errorCode}): ${row.reason}`]
    return partNotes(row).map((note) => `- ${code(row.mechanism)} ${note}`)
  })
  return lines.join('\n')
}

export function scaleSection(machines: readonly Machine[]): string {
  const intro =
    "## Scale\n\nHow each mechanism's cost grows with the work. *Plugins at once*: N instances of the sample loaded together in a fresh host; *all up*: from starting them to the last one's first exact answer; *per plugin*: the growth of the host's whole process tree (the host and every plugin process, Pss on Linux) once all N answered, divided by N. *Calls in flight*: C callers on one plugin, each starting its next call when its last answered, every answer checked against its own input; calls/s over the run's wall time (in parentheses: the slowest and fastest of its five equal windows; *capped*: the run stopped at its call cap), p99 per call. *vs floor*: the row against its transport's floor measured the same way (start and memory: ratio of costs; calls: ratio of throughputs)."
  if (machines.every((m) => m.report.scale === undefined)) return `${intro}\n\n${notMeasured('scale figures', 'plugin-survey scale')}`
  const notes = perMachine(machines, (m) => rowNotes(m.report.scale ?? []), 4)
  return [
    intro,
    '### Plugins loaded at once',
    perMachine(machines, (m) => instancesTable(m.report.scale ?? []), 4),
    '### Calls in flight',
    perMachine(machines, (m) => callsTable(m.report.scale ?? []), 4),
    ...(notes.trim() === '' ? [] : ['### Notes', notes]),
  ].join('\n\n')
}
