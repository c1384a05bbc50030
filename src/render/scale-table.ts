import Table from 'cli-table3'
import {callsAt, instancesAt, largestOk, scaleColumns} from '../results/scale.js'
import type {SurveyReport} from '../results/types.js'
import {wrap} from './bench-table.js'
import {formatRatio} from './format.js'
import {callsCell, instancesCell, instancesFloorCell, partNotes} from './scale-cells.js'
import {palette} from './style.js'

/** The scale results as a terminal table: plain text unless `color`. */
export function renderScaleTable(report: SurveyReport, options: {color: boolean}): string {
  const c = palette(options.color)
  const rows = report.scale ?? []
  const {ns, cs} = scaleColumns(rows)
  const head = [
    'mechanism',
    ...ns.map((n) => `N=${n}: all up · per plugin`),
    'vs floor: start · memory',
    ...cs.map((k) => `C=${k}: calls/s · p99`),
    `C=${cs.at(-1) ?? '?'} / C=${cs[0] ?? '?'}`,
    'vs floor',
  ]
  const table = new Table({head: head.map((h) => c.bold(h)), style: {head: [], border: [], compact: false}})
  const notes: string[] = []
  for (const row of rows) {
    const name = row.family === 'floor' ? c.dim(row.mechanism) : c.bold(row.mechanism)
    if (row.status !== 'ok') {
      const label = row.status === 'skipped' ? c.yellow(`skipped: ${row.reason}`) : c.red(`failed (${row.errorCode}): ${row.reason}`)
      table.push([name, {colSpan: head.length - 1, content: wrap(label, 100)}])
      continue
    }
    const topN = row.instances.status === 'measured' ? largestOk(row.instances.points, (p) => p.n) : undefined
    const topC = row.calls.status === 'measured' ? largestOk(row.calls.points, (p) => p.c) : undefined
    table.push([
      name,
      ...ns.map((n) => wrap(instancesCell(instancesAt(row, n)), 24)),
      instancesFloorCell(topN, ns.at(-1)),
      ...cs.map((k) => callsCell(callsAt(row, k))),
      formatRatio(topC?.gainOverC1),
      formatRatio(topC?.vsFloor),
    ])
    notes.push(...partNotes(row).map((note) => `${row.mechanism}: ${note}`))
  }
  const lines = [table.toString()]
  if (rows.some((r) => r.floor)) {
    lines.push(c.dim("vs floor: the row's figure divided by its floor's (`floor` in the JSON) at the same N or C, measured the same way in this run; for calls, throughput over the floor's throughput."))
  }
  lines.push(
    c.dim(
      "all up: from starting N plugins at once to the last one's first exact answer. per plugin: the growth of the host's whole process tree (Pss on Linux) once all N answered, divided by N. calls/s: calls over the wall time of C callers each keeping one call in flight; p99 per call.",
    ),
  )
  lines.push(...notes.map((n) => c.dim(`- ${n}`)))
  return `${lines.join('\n')}\n`
}
