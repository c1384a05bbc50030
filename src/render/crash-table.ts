import Table from 'cli-table3'
import type {CrashExpectation, CrashRow, CrashRowProbed, HotReloadRow, OrphanRow, SurveyReport} from '../results/types.js'
import {formatBytes, formatCount, formatMs} from './format.js'
import {palette} from './style.js'

type Colors = ReturnType<typeof palette>

/** Mechanisms per matrix table: beyond this a terminal line gets too long, so the matrix continues below. */
const COLUMNS_PER_TABLE = 5

const LEGEND =
  '✔ host survived and the next call got the exact answer   ▲ host survived, the plugin did not recover   ✖ host died or froze   ! differs from the documented expectation   - not applicable'

export function cellMark(row: CrashRowProbed): '✔' | '▲' | '✖' {
  if (!row.hostSurvived) return '✖'
  return row.recovered ? '✔' : '▲'
}

function outcome(row: CrashRowProbed): string {
  if (row.errorCode === 'HOST_HUNG') return 'froze'
  if (!row.hostSurvived) return `died: ${row.signal ?? `exit ${row.exitCode}`}`
  return row.errorCode ?? 'nothing noticed'
}

function cell(row: CrashRow | undefined, c: Colors): string {
  if (row === undefined || row.status === 'skipped') return c.dim('-')
  if (row.status === 'failed') return c.red('failed')
  const mark = cellMark(row)
  const paint = mark === '✔' ? c.green : mark === '▲' ? c.yellow : c.red
  const first = `${row.asExpected ? '' : c.bold.red('! ')}${paint(mark)} ${outcome(row)}`
  const detail = [
    row.detectMs === undefined ? undefined : formatMs(row.detectMs),
    row.stdio ? `stdio ${row.stdio.stdoutLines} out / ${row.stdio.stderrLines} err` : undefined,
    row.orphans > 0 ? c.red(`${row.orphans} orphan(s)`) : undefined,
  ].filter(Boolean)
  return detail.length > 0 ? `${first}\n${c.dim(detail.join(', '))}` : first
}

function describe(state: {hostSurvived: boolean; recovered: boolean}): string {
  if (!state.hostSurvived) return 'the host dies'
  return state.recovered ? 'the host survives and recovers' : 'the host survives, the plugin does not recover'
}

/** The documented error codes, where the measured one is not among them. */
export function codeMismatch(row: CrashRowProbed): string | undefined {
  const codes: CrashExpectation['errorCodes'] = row.expected.errorCodes
  if (codes === undefined || (row.errorCode === undefined ? codes.length === 0 : codes.includes(row.errorCode))) return undefined
  return `${codes.length === 0 ? 'no error' : codes.join(' or ')} documented, ${row.errorCode ?? 'no error'} measured`
}

function matrix(rows: readonly CrashRow[], c: Colors): string[] {
  const mechanisms = [...new Set(rows.map((r) => r.mechanism))]
  const faults = [...new Set(rows.map((r) => r.fault))]
  const tables: string[] = []
  for (let start = 0; start < mechanisms.length; start += COLUMNS_PER_TABLE) {
    const columns = mechanisms.slice(start, start + COLUMNS_PER_TABLE)
    const table = new Table({head: ['fault', ...columns].map((h) => c.bold(h)), style: {head: [], border: []}})
    for (const fault of faults) {
      const cells = columns.map((m) => rows.find((r) => r.mechanism === m && r.fault === fault))
      if (cells.every((r) => r === undefined || r.status === 'skipped')) continue
      table.push([fault, ...cells.map((r) => cell(r, c))])
    }
    tables.push(table.toString())
  }
  return tables
}

function hotReloadTable(rows: readonly HotReloadRow[], c: Colors): string {
  const table = new Table({head: ['hot reload', 'swap', 'calls', 'failed', 'old → new', 'notes'].map((h) => c.bold(h)), style: {head: [], border: []}})
  for (const row of rows) {
    if (row.status !== 'ok') {
      table.push([row.mechanism, {colSpan: 5, content: row.status === 'skipped' ? c.dim(`skipped: ${row.reason}`) : c.red(`failed: ${row.reason}`)}])
      continue
    }
    const failed = row.failedCalls ?? 0
    const versions = row.oldPid !== undefined ? `pid ${row.oldPid} → ${row.newPid}${row.oldProcessExited ? ' (old exited)' : c.red(' (old still running)')}` : `${formatCount(row.answeredByOld)} → ${formatCount(row.answeredByNew)} calls`
    const notes = [
      ...(row.oldModuleRetained ? [`old module still in memory, ${formatBytes(row.heapGrowthPerReloadBytes)} heap per re-import`] : []),
      ...(row.errorCodes?.length ? [`errors: ${row.errorCodes.join(', ')}`] : []),
      ...(row.notes ?? []),
    ]
    table.push([row.mechanism, formatMs(row.reloadMs), formatCount(row.calls), failed === 0 ? c.green('0') : c.red(String(failed)), versions, wrap(notes.join('; '), 60)])
  }
  return table.toString()
}

function orphansTable(rows: readonly OrphanRow[], c: Colors): string {
  const table = new Table({head: ['host killed with SIGKILL', 'plugin processes', 'left behind', 'gone within', 'notes'].map((h) => c.bold(h)), style: {head: [], border: []}})
  for (const row of rows) {
    if (row.status !== 'ok') {
      table.push([row.mechanism, {colSpan: 4, content: row.status === 'skipped' ? c.dim(`skipped: ${row.reason}`) : c.red(`failed: ${row.reason}`)}])
      continue
    }
    const left = row.orphans === 0 ? c.green('0') : c.red(String(row.orphans))
    const notes = row.pluginProcesses === 0 ? [] : (row.notes ?? [])
    table.push([row.mechanism, String(row.pluginProcesses), left, row.pluginProcesses === 0 ? c.dim('no plugin process') : formatMs(row.goneWithinMs), wrap(notes.join('; '), 60)])
  }
  return table.toString()
}

function wrap(text: string, width: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join('\n')
}

/** crash-test's results as terminal tables: plain text unless `color`, so it reads well piped into a file. */
export function renderCrashTable(report: SurveyReport, options: {color: boolean}): string {
  const c = palette(options.color)
  const rows = report.crash ?? []
  const lines: string[] = []
  if (rows.length > 0) {
    lines.push(...matrix(rows, c), c.dim(LEGEND))
    const measured = rows.filter((r): r is CrashRowProbed => r.status === 'ok')
    const mismatches = measured.filter((r) => !r.asExpected)
    lines.push(`${measured.length - mismatches.length} of ${measured.length} cells as documented${mismatches.length > 0 ? c.bold.red(`, ${mismatches.length} not:`) : '.'}`)
    for (const r of mismatches) {
      const orphans = r.orphans > 0 ? `, ${r.orphans} process(es) left behind` : ''
      const code = codeMismatch(r)
      lines.push(c.red(`! ${r.mechanism} × ${r.fault}: expected ${describe(r.expected)}; measured ${describe(r)}${orphans}${code ? `; ${code}` : ''}${r.errorMessage ? ` (${r.errorMessage})` : ''}`))
    }
    for (const r of rows) if (r.status === 'failed') lines.push(c.red(`failed to probe ${r.mechanism} × ${r.fault}: ${r.reason}`))
    const skippedMechanisms = [...new Set(rows.map((r) => r.mechanism))].filter((m) => rows.filter((r) => r.mechanism === m).every((r) => r.status === 'skipped'))
    for (const m of skippedMechanisms) {
      const first = rows.find((r) => r.mechanism === m)
      if (first?.status === 'skipped') lines.push(c.yellow(`${m} skipped: ${first.reason}`))
    }
  }
  if (report.hotReload?.length) lines.push('', hotReloadTable(report.hotReload, c))
  if (report.orphans?.length) lines.push('', orphansTable(report.orphans, c))
  return `${lines.join('\n')}\n`
}
