import Table from 'cli-table3'
import {ratioOf} from '../report/ratios.js'
import type {BenchRow, BenchRowOk, SurveyReport} from '../results/types.js'
import {callFigure, flagLines, modesText, ratioFigure, rssFigure, tailFigure} from './figures.js'
import {formatBytes, formatCount, formatMs, formatNs} from './format.js'
import {palette} from './style.js'

const HEAD = ['mechanism', 'cold start', 'vs floor', 'call p50', 'p99', 'ops/s', 'vs floor', 'RSS', 'payload 1 KiB / 1 MiB']

function payloadCell(row: BenchRow): string {
  if (row.status !== 'ok' || !row.payload?.length) return '-'
  const at = (bytes: number) => formatNs(row.payload!.find((p) => p.bytes === bytes)?.p50Ns)
  return `${at(1024)} / ${at(1024 * 1024)}${row.payload.some((p) => p.timing === 'batch-mean') ? ' batch mean' : ''}`
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
    const call = row.call
    table.push([
      name,
      formatMs(row.coldStart?.p50Ms),
      ratioFigure(ratioOf(row, 'coldStart')),
      call ? callFigure(call, call.p50Ns) : '-',
      call ? tailFigure(call, 'p99Ns') : '-',
      formatCount(call?.opsPerSec),
      ratioFigure(ratioOf(row, 'call')),
      rssFigure(row, formatBytes),
      payloadCell(row),
    ])
  }
  const lines = [table.toString()]
  const ok = (report.bench ?? []).filter((row): row is BenchRowOk => row.status === 'ok')
  const comparisons = ok.flatMap((row) => (row.ratios ?? []).filter((r) => r.kind === 'row').map((r) => `${row.mechanism} call vs ${r.against}: ${ratioFigure(r)}`))
  const notes = ok.flatMap((row) =>
    [...(row.buildMs !== undefined ? [`build ${formatMs(row.buildMs)}`] : []), ...(row.call ? [modesText(row.call)].filter((t) => t !== undefined) : []), ...(row.notes ?? [])].map((n) => `${row.mechanism}: ${n}`),
  )
  if (ok.some((r) => r.ratios?.length)) {
    lines.push(c.dim('vs floor: the row over the floor named in the JSON (`floor`, `coldStartFloor`), the median of paired rounds in this run, with its 95% interval.'))
  }
  lines.push(...comparisons.map((line) => c.dim(line)))
  lines.push(...flagLines(ok).map((line) => c.yellow(line)))
  if (notes.length > 0) lines.push(...notes.map((n) => c.dim(`- ${n}`)))
  return `${lines.join('\n')}\n`
}

export function wrap(text: string, width: number): string {
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
