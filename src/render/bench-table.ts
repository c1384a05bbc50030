import Table from 'cli-table3'
import type {BenchRow, SurveyReport} from '../results/types.js'
import {formatBytes, formatCount, formatMs, formatNs, formatRatio} from './format.js'
import {palette} from './style.js'

const HEAD = ['mechanism', 'cold start', 'vs floor', 'call p50', 'p99', 'ops/s', 'vs floor', 'RSS', 'payload 1 KiB / 1 MiB']

function payloadCell(row: BenchRow): string {
  if (row.status !== 'ok' || !row.payload?.length) return '-'
  const at = (bytes: number) => formatNs(row.payload!.find((p) => p.bytes === bytes)?.p50Ns)
  return `${at(1024)} / ${at(1024 * 1024)}`
}

/** The bench results as a terminal table: plain text unless `color`, so it reads well piped into a file. */
export function renderBenchTable(report: SurveyReport, options: {color: boolean}): string {
  const c = palette(options.color)
  // cli-table3 colours borders and heads by default, even when piped: keep its style empty and colour ourselves.
  const table = new Table({head: HEAD.map((h) => c.bold(h)), style: {head: [], border: [], compact: false}})
  for (const row of report.bench ?? []) {
    const name = row.family === 'floor' ? c.dim(row.mechanism) : c.bold(row.mechanism)
    if (row.status !== 'ok') {
      const label =
        row.status === 'skipped'
          ? c.yellow(`skipped: ${row.reason}`)
          : row.status === 'failed'
            ? c.red(`failed${row.errorCode ? ` (${row.errorCode})` : ''}: ${row.reason}`)
            : `finding: ${row.finding}`
      table.push([name, {colSpan: HEAD.length - 1, content: wrap(label, 100)}])
      continue
    }
    table.push([
      name,
      formatMs(row.coldStart?.p50Ms),
      formatRatio(row.coldStartRatio),
      formatNs(row.call?.p50Ns),
      formatNs(row.call?.p99Ns),
      formatCount(row.call?.opsPerSec),
      formatRatio(row.overheadRatio),
      formatBytes(row.rssBytes),
      payloadCell(row),
    ])
  }
  const lines = [table.toString()]
  const notes = (report.bench ?? []).flatMap((row) =>
    row.status === 'ok' || row.status === 'finding' ? [...(row.buildMs !== undefined ? [`build ${formatMs(row.buildMs)}`] : []), ...(row.notes ?? [])].map((n) => `${row.mechanism}: ${n}`) : [],
  )
  const floorsUsed = (report.bench ?? []).filter((r) => r.status === 'ok' && (r.floor || r.coldStartFloor))
  if (floorsUsed.length > 0) lines.push(c.dim('vs floor: p50 divided by the p50 of the floor row named in the JSON (`floor`, `coldStartFloor`), measured in this run.'))
  if (notes.length > 0) lines.push(...notes.map((n) => c.dim(`- ${n}`)))
  return `${lines.join('\n')}\n`
}

function wrap(text: string, width: number): string {
  const words = text.split(' ')
  const out: string[] = []
  let line = ''
  for (const word of words) {
    if (line.length > 0 && line.length + word.length + 1 > width) {
      out.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) out.push(line)
  return out.join('\n')
}
